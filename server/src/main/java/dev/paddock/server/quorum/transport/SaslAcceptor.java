package dev.paddock.server.quorum.transport;

import io.netty.buffer.ByteBuf;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/** The accepting member's side of one connection's quorum SASL exchange: each token in, a status frame out. */
final class SaslAcceptor {
    enum Outcome { CONTINUE, AUTHENTICATED, FAILED }

    /** What to send back and where the exchange stands; the detail is the authorized id, or why it failed. */
    record Step(ByteBuf answer, Outcome outcome, String detail) {
    }

    private final SaslServer server;
    private int rounds;

    SaslAcceptor(SaslServer server) {
        this.server = server;
    }

    Step step(byte[] token) {
        try {
            byte[] challenge = server.evaluateResponse(token);
            if (server.isComplete()) {
                String id = server.getAuthorizationID();
                dispose();
                return new Step(SaslFrames.status(SaslFrames.SUCCESS, challenge), Outcome.AUTHENTICATED, id);
            }
            if (++rounds > SaslFrames.MAX_ROUNDS) {
                dispose();
                return new Step(SaslFrames.status(SaslFrames.ERROR, challenge), Outcome.FAILED,
                        "more than " + SaslFrames.MAX_ROUNDS + " rounds");
            }
            return new Step(SaslFrames.status(SaslFrames.IN_PROGRESS, challenge), Outcome.CONTINUE, null);
        } catch (SaslException e) {
            dispose();
            return new Step(SaslFrames.status(SaslFrames.ERROR, null), Outcome.FAILED, e.getMessage());
        }
    }

    void dispose() {
        try {
            server.dispose();
        } catch (SaslException e) {
            // nothing held that matters
        }
    }
}
