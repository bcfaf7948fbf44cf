package dev.paddock.server.watch;

/** Where a watch's event goes: a client connection. */
public interface Watcher {
    void sendEvent(EventType type, String path, long zxid);

    /** The session of the connection, as wchc and wchp show it (0 before the handshake). */
    default long sessionId() {
        return 0;
    }
}
