package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** A path as the whole reply body: create (1), whose path may carry a sequence suffix, and sync (9). */
public record PathResponse(String path) implements Response {
    public static PathResponse read(JuteReader in) {
        return new PathResponse(in.readString());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path);
    }

    @Override
    public int size() {
        return Sizes.string(path);
    }
}
