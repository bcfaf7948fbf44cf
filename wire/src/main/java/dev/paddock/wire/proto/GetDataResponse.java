package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.Objects;

/** The reply of getData (4) and reconfig (16, the new configuration as data): data and stat. */
public record GetDataResponse(byte[] data, Stat stat) implements Response {
    public static GetDataResponse read(JuteReader in) {
        return new GetDataResponse(in.readBuffer(), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeBuffer(data).writeRecord(stat);
    }

    @Override
    public int size() {
        return Sizes.buffer(data) + Stat.SIZE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GetDataResponse r && Bytes.eq(data, r.data) && Objects.equals(stat, r.stat);
    }

    @Override
    public int hashCode() {
        return 31 * Bytes.hash(data) + Objects.hashCode(stat);
    }

    @Override
    public String toString() {
        return "GetDataResponse[data=" + Bytes.str(data) + ", stat=" + stat + "]";
    }
}
