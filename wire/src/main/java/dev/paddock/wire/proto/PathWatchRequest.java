package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/**
 * exists (3), getData (4), getChildren (8) and getChildren2 (12) share this body: a path and a flag that
 * asks for a one-shot watch.
 */
public record PathWatchRequest(OpCode opCode, String path, boolean watch) implements Request {
    public static PathWatchRequest read(OpCode opCode, JuteReader in) {
        return new PathWatchRequest(opCode, in.readString(), in.readBool());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBool(watch);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.BOOL;
    }
}
