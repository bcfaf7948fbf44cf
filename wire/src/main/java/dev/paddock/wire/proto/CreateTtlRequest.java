package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;
import java.util.Objects;

/** createTTL (21): a create with a time to live in milliseconds. {@code flags} is the CreateMode's wire value. */
public record CreateTtlRequest(String path, byte[] data, List<Acl> acl, int flags, long ttl) implements Request {
    public static CreateTtlRequest read(JuteReader in) {
        return new CreateTtlRequest(in.readString(), in.readBuffer(), in.readList(Acl::read, 12), in.readInt(),
                in.readLong());
    }

    @Override
    public OpCode opCode() {
        return OpCode.CREATE_TTL;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBuffer(data).writeRecordList(acl).writeInt(flags).writeLong(ttl);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.buffer(data) + Sizes.recordList(acl) + Sizes.INT + Sizes.LONG;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreateTtlRequest r && Objects.equals(path, r.path) && Bytes.eq(data, r.data)
                && Objects.equals(acl, r.acl) && flags == r.flags && ttl == r.ttl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Bytes.hash(data), acl, flags, ttl);
    }

    @Override
    public String toString() {
        return "CreateTtlRequest[path=" + path + ", data=" + Bytes.str(data) + ", acl=" + acl + ", flags=" + flags
                + ", ttl=" + ttl + "]";
    }
}
