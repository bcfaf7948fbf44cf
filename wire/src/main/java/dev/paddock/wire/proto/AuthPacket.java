package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.Objects;

/** auth (100, sent with xid -4): addAuthInfo's scheme and credentials. {@code type} is always 0 from clients. */
public record AuthPacket(int type, String scheme, byte[] auth) implements Request {
    public static AuthPacket read(JuteReader in) {
        return new AuthPacket(in.readInt(), in.readString(), in.readBuffer());
    }

    @Override
    public OpCode opCode() {
        return OpCode.AUTH;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(type).writeString(scheme).writeBuffer(auth);
    }

    @Override
    public int size() {
        return Sizes.INT + Sizes.string(scheme) + Sizes.buffer(auth);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthPacket r && type == r.type && Objects.equals(scheme, r.scheme) && Bytes.eq(auth, r.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, scheme, Bytes.hash(auth));
    }

    @Override
    public String toString() {
        return "AuthPacket[type=" + type + ", scheme=" + scheme + ", auth=" + Bytes.str(auth) + "]";
    }
}
