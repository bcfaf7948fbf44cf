package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** The reply of create2 (15), createContainer (19) and createTTL (21): the created path and its stat. */
public record Create2Response(String path, Stat stat) implements Response {
    public static Create2Response read(JuteReader in) {
        return new Create2Response(in.readString(), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeRecord(stat);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Stat.SIZE;
    }
}
