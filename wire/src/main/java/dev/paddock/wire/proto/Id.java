package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** An identity: a scheme ("world", "digest", "ip", "auth", "super") and an id within it. */
public record Id(String scheme, String id) implements JuteRecord {
    public static Id read(JuteReader in) {
        return new Id(in.readString(), in.readString());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(scheme).writeString(id);
    }

    @Override
    public int size() {
        return Sizes.string(scheme) + Sizes.string(id);
    }
}
