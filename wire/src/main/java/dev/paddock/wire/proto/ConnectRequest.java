package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.Objects;

/**
 * The first frame of every connection (no request header). {@code readOnly} is null when the client did
 * not send the trailing byte (clients older than 3.4); it is then not written either.
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeoutMs, long sessionId, byte[] password,
                             Boolean readOnly) implements JuteRecord {
    public static ConnectRequest read(JuteReader in) {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeoutMs = in.readInt();
        long sessionId = in.readLong();
        byte[] password = in.readBuffer();
        Boolean readOnly = in.remaining() > 0 ? in.readBool() : null;
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeoutMs, sessionId, password, readOnly);
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(protocolVersion).writeLong(lastZxidSeen).writeInt(timeoutMs).writeLong(sessionId)
                .writeBuffer(password);
        if (readOnly != null) {
            out.writeBool(readOnly);
        }
    }

    @Override
    public int size() {
        return Sizes.INT + Sizes.LONG + Sizes.INT + Sizes.LONG + Sizes.buffer(password)
                + (readOnly != null ? Sizes.BOOL : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectRequest r && protocolVersion == r.protocolVersion
                && lastZxidSeen == r.lastZxidSeen && timeoutMs == r.timeoutMs && sessionId == r.sessionId
                && Bytes.eq(password, r.password) && Objects.equals(readOnly, r.readOnly);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, lastZxidSeen, timeoutMs, sessionId, Bytes.hash(password), readOnly);
    }

    @Override
    public String toString() {
        return "ConnectRequest[protocolVersion=" + protocolVersion + ", lastZxidSeen=0x"
                + Long.toHexString(lastZxidSeen) + ", timeoutMs=" + timeoutMs + ", sessionId=0x"
                + Long.toHexString(sessionId) + ", password=" + Bytes.str(password) + ", readOnly=" + readOnly + "]";
    }
}
