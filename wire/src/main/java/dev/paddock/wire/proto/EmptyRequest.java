package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteWriter;

/** A request with no body: ping (11, xid -2), closeSession (-11) and whoAmI (107). */
public record EmptyRequest(OpCode opCode) implements Request {
    public static final EmptyRequest PING = new EmptyRequest(OpCode.PING);
    public static final EmptyRequest CLOSE_SESSION = new EmptyRequest(OpCode.CLOSE_SESSION);
    public static final EmptyRequest WHO_AM_I = new EmptyRequest(OpCode.WHO_AM_I);

    @Override
    public void write(JuteWriter out) {
    }

    @Override
    public int size() {
        return 0;
    }
}
