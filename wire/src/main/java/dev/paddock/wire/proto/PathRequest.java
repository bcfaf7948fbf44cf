package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/**
 * A path as the whole body: sync (9), getACL (6), getEphemerals (103, where it is a prefix path) and
 * getAllChildrenNumber (104).
 */
public record PathRequest(OpCode opCode, String path) implements Request {
    public static PathRequest read(OpCode opCode, JuteReader in) {
        return new PathRequest(opCode, in.readString());
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
