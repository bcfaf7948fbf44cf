package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;

/** Precedes each operation of a multi (14) / multiRead (22) request and each result of their reply. */
public record MultiHeader(int type, boolean done, int err) implements JuteRecord {
    public static final int SIZE = 9;
    /** The header that ends the list of operations or results. */
    public static final MultiHeader END = new MultiHeader(-1, true, -1);

    public static MultiHeader read(JuteReader in) {
        return new MultiHeader(in.readInt(), in.readBool(), in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(type).writeBool(done).writeInt(err);
    }

    @Override
    public int size() {
        return SIZE;
    }
}
