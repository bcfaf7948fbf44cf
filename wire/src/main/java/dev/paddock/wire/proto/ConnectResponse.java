package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.Objects;

/**
 * The answer to {@link ConnectRequest} (no reply header). A session id of 0 with timeout 0 tells the
 * client its session expired. {@code readOnly} is null when the trailing byte is absent, and then not written.
 */
public record ConnectResponse(int protocolVersion, int timeoutMs, long sessionId, byte[] password, Boolean readOnly)
        implements JuteRecord {
    public static ConnectResponse read(JuteReader in) {
        int protocolVersion = in.readInt();
        int timeoutMs = in.readInt();
        long sessionId = in.readLong();
        byte[] password = in.readBuffer();
        Boolean readOnly = in.remaining() > 0 ? in.readBool() : null;
        return new ConnectResponse(protocolVersion, timeoutMs, sessionId, password, readOnly);
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(protocolVersion).writeInt(timeoutMs).writeLong(sessionId).writeBuffer(password);
        if (readOnly != null) {
            out.writeBool(readOnly);
        }
    }

    @Override
    public int size() {
        return Sizes.INT + Sizes.INT + Sizes.LONG + Sizes.buffer(password) + (readOnly != null ? Sizes.BOOL : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectResponse r && protocolVersion == r.protocolVersion && timeoutMs == r.timeoutMs
                && sessionId == r.sessionId && Bytes.eq(password, r.password) && Objects.equals(readOnly, r.readOnly);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, timeoutMs, sessionId, Bytes.hash(password), readOnly);
    }

    @Override
    public String toString() {
        return "ConnectResponse[protocolVersion=" + protocolVersion + ", timeoutMs=" + timeoutMs + ", sessionId=0x"
                + Long.toHexString(sessionId) + ", password=" + Bytes.str(password) + ", readOnly=" + readOnly + "]";
    }
}
