package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.Objects;

/** setData (5): new data for a path if its version matches ({@code -1} for any). */
public record SetDataRequest(String path, byte[] data, int version) implements Request {
    public static SetDataRequest read(JuteReader in) {
        return new SetDataRequest(in.readString(), in.readBuffer(), in.readInt());
    }

    @Override
    public OpCode opCode() {
        return OpCode.SET_DATA;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBuffer(data).writeInt(version);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.buffer(data) + Sizes.INT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetDataRequest r && Objects.equals(path, r.path) && Bytes.eq(data, r.data)
                && version == r.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Bytes.hash(data), version);
    }

    @Override
    public String toString() {
        return "SetDataRequest[path=" + path + ", data=" + Bytes.str(data) + ", version=" + version + "]";
    }
}
