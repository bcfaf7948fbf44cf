package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;

/** A znode's metadata, field for field as ZooKeeper's {@code data.Stat}. */
public record Stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion,
                   long ephemeralOwner, int dataLength, int numChildren, long pzxid) implements JuteRecord {
    public static final int SIZE = 8 * 6 + 4 * 5;

    public static Stat read(JuteReader in) {
        return new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
                in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readLong());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeLong(czxid).writeLong(mzxid).writeLong(ctime).writeLong(mtime).writeInt(version)
                .writeInt(cversion).writeInt(aversion).writeLong(ephemeralOwner).writeInt(dataLength)
                .writeInt(numChildren).writeLong(pzxid);
    }

    @Override
    public int size() {
        return SIZE;
    }
}
