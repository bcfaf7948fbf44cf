package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** The reply of sasl (102): the server's SASL challenge or final token (ZooKeeper's SetSASLResponse). */
public record SaslResponse(byte[] token) implements Response {
    public static SaslResponse read(JuteReader in) {
        return new SaslResponse(in.readBuffer());
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
        return o instanceof SaslResponse r && Bytes.eq(token, r.token);
    }

    @Override
    public int hashCode() {
        return Bytes.hash(token);
    }

    @Override
    public String toString() {
        return "SaslResponse[token=" + Bytes.str(token) + "]";
    }
}
