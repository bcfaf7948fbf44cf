package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/**
 * A watch notification, sent with xid -1 ({@code Xid.NOTIFICATION}). {@code type} is the EventType wire
 * value (e.g. 1 NodeCreated, 2 NodeDeleted, 3 NodeDataChanged, 4 NodeChildrenChanged), {@code state} the
 * KeeperState (3 SyncConnected).
 */
public record WatcherEvent(int type, int state, String path) implements Response {
    public static WatcherEvent read(JuteReader in) {
        return new WatcherEvent(in.readInt(), in.readInt(), in.readString());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(type).writeInt(state).writeString(path);
    }

    @Override
    public int size() {
        return Sizes.INT + Sizes.INT + Sizes.string(path);
    }
}
