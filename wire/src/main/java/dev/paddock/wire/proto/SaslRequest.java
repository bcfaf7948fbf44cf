package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** sasl (102): a SASL token from the client (ZooKeeper's GetSASLRequest). */
public record SaslRequest(byte[] token) implements Request {
    public static SaslRequest read(JuteReader in) {
        return new SaslRequest(in.readBuffer());
    }

    @Override
    public OpCode opCode() {
        return OpCode.SASL;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeBuffer(token);
    }

    @Override
    public int size() {
        return Sizes.buffer(token);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslRequest r && Bytes.eq(token, r.token);
    }

    @Override
    public int hashCode() {
        return Bytes.hash(token);
    }

    @Override
    public String toString() {
        return "SaslRequest[token=" + Bytes.str(token) + "]";
    }
}
