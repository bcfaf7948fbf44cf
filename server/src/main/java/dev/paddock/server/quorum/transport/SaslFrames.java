package dev.paddock.server.quorum.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The frames of quorum SASL on Paddock's transport. A connection that authenticates opens with a 12-byte hello
 * (the sender's id and {@link #AUTH}) instead of the 4-byte one; then the opener sends tokens (a frame each)
 * and the acceptor answers each with a status (int) and its challenge, until it answers {@link #SUCCESS} or
 * {@link #ERROR}. Only then do messages flow.
 */
final class SaslFrames {
    /** Marks a hello that starts an exchange ("PADDOCK" and a version byte). */
    static final long AUTH = 0x504144444f434b01L;
    static final int IN_PROGRESS = 0;
    static final int SUCCESS = 1;
    static final int ERROR = -1;
    /** Exchanges that take more rounds than this fail (DIGEST-MD5 takes two). */
    static final int MAX_ROUNDS = 5;

    private SaslFrames() {
    }

    static ByteBuf hello(int id, boolean authenticating) {
        ByteBuf b = Unpooled.buffer(authenticating ? 12 : 4).writeInt(id);
        return authenticating ? b.writeLong(AUTH) : b;
    }

    static ByteBuf status(int status, byte[] token) {
        byte[] t = token == null ? new byte[0] : token;
        return Unpooled.buffer(4 + t.length).writeInt(status).writeBytes(t);
    }

    static byte[] bytes(ByteBuf frame) {
        byte[] b = new byte[frame.readableBytes()];
        frame.readBytes(b);
        return b;
    }
}
