package dev.paddock.server.watch;

import dev.paddock.wire.proto.Acl;
import java.util.List;

/** Where a watch's event goes: a client connection. */
public interface Watcher {
    void sendEvent(EventType type, String path, long zxid);

    /**
     * Sends a change's event, which {@link WatchManager#fire} shares between all the watchers it goes to: a
     * connection sends its already encoded frame instead of encoding its own copy.
     */
    default void sendEvent(WatchEvent event) {
        sendEvent(event.type(), event.path(), event.zxid());
    }

    /**
     * Whether this watcher's session may READ a node with this ACL, which an event about the node needs
     * (ZooKeeper filters each delivery so). A watch used up by an event it may not see stays used up.
     */
    default boolean mayRead(List<Acl> acl) {
        return true;
    }

    /** The session of the connection, as wchc and wchp show it (0 before the handshake). */
    default long sessionId() {
        return 0;
    }
}
