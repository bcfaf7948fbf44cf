package dev.paddock.server.watch;

import dev.paddock.wire.Xid;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.WatcherEvent;

/**
 * One change's notification, shared by every watcher it goes to. A write that fires a thousand watches
 * encodes the frame once ({@link #frame}); each connection sends the same bytes, which nobody changes once
 * encoded. Created and encoded on the request thread only.
 */
public final class WatchEvent {
    /** ZooKeeper's KeeperState.SyncConnected: events are delivered on connected sessions only. */
    public static final int STATE_SYNC_CONNECTED = 3;

    private final EventType type;
    private final String path;
    private final long zxid;
    private byte[] frame;

    public WatchEvent(EventType type, String path, long zxid) {
        this.type = type;
        this.path = path;
        this.zxid = zxid;
    }

    public EventType type() {
        return type;
    }

    public String path() {
        return path;
    }

    public long zxid() {
        return zxid;
    }

    public ReplyHeader header() {
        return new ReplyHeader(Xid.NOTIFICATION, zxid, 0);
    }

    public WatcherEvent body() {
        return new WatcherEvent(type.code, STATE_SYNC_CONNECTED, path);
    }

    /**
     * The whole frame as a client reads it (length prefix, reply header, event), encoded on first use.
     * Callers must not modify the array: it is the one copy every connection sends.
     */
    public byte[] frame() {
        if (frame == null) {
            ReplyHeader header = header();
            WatcherEvent body = body();
            int len = header.size() + body.size();
            byte[] bytes = new byte[4 + len];
            JuteWriter out = JuteWriter.wrap(bytes);
            out.writeInt(len);
            header.write(out);
            body.write(out);
            frame = bytes;
        }
        return frame;
    }

    /** Bytes of the frame without its length prefix, as a reply's size is counted. */
    public int size() {
        return frame().length - 4;
    }
}
