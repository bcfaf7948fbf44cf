package dev.paddock.server.tree;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.proto.Request;

/** A server-internal log entry that opens a session with its negotiated timeout. */
public record CreateSessionRequest(int timeoutMs) implements Request {
    public static CreateSessionRequest read(JuteReader in) {
        return new CreateSessionRequest(in.readInt());
    }

    @Override
    public OpCode opCode() {
        return OpCode.CREATE_SESSION;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(timeoutMs);
    }

    @Override
    public int size() {
        return 4;
    }
}
