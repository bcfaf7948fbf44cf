package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;
import java.util.Objects;

/**
 * create (1), create2 (15) and createContainer (19) share this body; the opcode travels with it because
 * it decides the response type. {@code flags} is the CreateMode's wire value.
 */
public record CreateRequest(OpCode opCode, String path, byte[] data, List<Acl> acl, int flags) implements Request {
    public static CreateRequest read(OpCode opCode, JuteReader in) {
        return new CreateRequest(opCode, in.readString(), in.readBuffer(), in.readList(Acl::read, 12), in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBuffer(data).writeRecordList(acl).writeInt(flags);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.buffer(data) + Sizes.recordList(acl) + Sizes.INT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreateRequest r && opCode == r.opCode && Objects.equals(path, r.path)
                && Bytes.eq(data, r.data) && Objects.equals(acl, r.acl) && flags == r.flags;
    }

    @Override
    public int hashCode() {
        return Objects.hash(opCode, path, Bytes.hash(data), acl, flags);
    }

    @Override
    public String toString() {
        return "CreateRequest[opCode=" + opCode + ", path=" + path + ", data=" + Bytes.str(data) + ", acl=" + acl
                + ", flags=" + flags + "]";
    }
}
