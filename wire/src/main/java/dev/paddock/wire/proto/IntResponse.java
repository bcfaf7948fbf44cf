package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** An int as the whole reply body: getAllChildrenNumber (104). */
public record IntResponse(int value) implements Response {
    public static IntResponse read(JuteReader in) {
        return new IntResponse(in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(value);
    }

    @Override
    public int size() {
        return Sizes.INT;
    }
}
