package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;

/** Precedes every reply and notification: the xid answered, the server's last zxid and an error code. */
public record ReplyHeader(int xid, long zxid, int err) implements JuteRecord {
    public static final int SIZE = 16;

    public static ReplyHeader read(JuteReader in) {
        return new ReplyHeader(in.readInt(), in.readLong(), in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(xid).writeLong(zxid).writeInt(err);
    }

    @Override
    public int size() {
        return SIZE;
    }
}
