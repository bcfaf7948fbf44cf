package dev.paddock.server.tree;

import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import dev.paddock.wire.proto.ReconfigRequest;
import dev.paddock.wire.proto.Request;

/**
 * A reconfiguration as it travels in the log: the client's request, and what the leader resolved it to
 * ({@code ensemble.Reconfigurations}) just before logging it: the new configuration's text as
 * {@code /zookeeper/config} holds it (with {@code version=} the entry's zxid), or the error the request fails
 * with. ZooKeeper resolves reconfigs in its leader's prep stage too, logging a failure as an error txn; here
 * both outcomes are one entry so every member answers the client the same way.
 *
 * <p>The member that takes the request logs nothing itself: it forwards {@link #asked} unresolved
 * ({@code newConfig} null, {@code error} OK) and the leader replaces the payload.
 */
public record ConfigChange(ReconfigRequest asked, String newConfig, ErrorCode error) implements Request {
    public static ConfigChange asked(ReconfigRequest request) {
        return new ConfigChange(request, null, ErrorCode.OK);
    }

    public static ConfigChange read(JuteReader in) {
        ReconfigRequest asked = ReconfigRequest.read(in);
        String newConfig = in.readString();
        int code = in.readInt();
        ErrorCode error;
        try {
            error = ErrorCode.of(code);
        } catch (IllegalArgumentException e) {
            throw new dev.paddock.wire.jute.MarshallingException("reconfiguration with unknown error code " + code);
        }
        return new ConfigChange(asked, newConfig, error);
    }

    /** Whether the leader resolved it into a new configuration. */
    public boolean changes() {
        return newConfig != null && error == ErrorCode.OK;
    }

    @Override
    public OpCode opCode() {
        return OpCode.RECONFIG;
    }

    @Override
    public void write(JuteWriter out) {
        asked.write(out);
        out.writeString(newConfig).writeInt(error.code);
    }

    @Override
    public int size() {
        return asked.size() + Sizes.string(newConfig) + Sizes.INT;
    }
}
