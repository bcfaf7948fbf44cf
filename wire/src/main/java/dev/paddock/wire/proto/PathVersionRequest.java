package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** delete (2) and check (13) share this body: a path and the expected version, -1 for any. */
public record PathVersionRequest(OpCode opCode, String path, int version) implements Request {
    public static PathVersionRequest read(OpCode opCode, JuteReader in) {
        return new PathVersionRequest(opCode, in.readString(), in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(version);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.INT;
    }
}
