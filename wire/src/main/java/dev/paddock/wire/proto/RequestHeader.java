package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;

/** Precedes every request after the handshake: the client's xid and the opcode. */
public record RequestHeader(int xid, int type) implements JuteRecord {
    public static final int SIZE = 8;

    public static RequestHeader read(JuteReader in) {
        return new RequestHeader(in.readInt(), in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(xid).writeInt(type);
    }

    @Override
    public int size() {
        return SIZE;
    }
}
