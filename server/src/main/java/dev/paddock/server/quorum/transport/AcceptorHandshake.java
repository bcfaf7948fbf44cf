package dev.paddock.server.quorum.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.function.Consumer;
import javax.security.sasl.SaslException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of one connection to this member's ports: the sender's hello (its id, and whether it asks for
 * SASL), then quorum SASL when it asks (or a refusal when this member requires SASL and the sender does not).
 * When the connection may carry messages it calls {@code open}; a connection it refuses it closes. Runs on the
 * connection's event loop thread.
 */
final class AcceptorHandshake {
    /** Logged under the transport's name, as before this class was split from it, so log settings still apply. */
    private static final Logger LOG = LoggerFactory.getLogger(QuorumTransport.class);

    private final int myId;
    private final TransportSecurity.Sasl policy;
    private final ThrottledWarnings warnings;
    private final Consumer<ChannelHandlerContext> open;
    private int sender = -1;
    private SaslAcceptor sasl;

    AcceptorHandshake(int myId, TransportSecurity.Sasl policy, ThrottledWarnings warnings,
                      Consumer<ChannelHandlerContext> open) {
        this.myId = myId;
        this.policy = policy;
        this.warnings = warnings;
        this.open = open;
    }

    /** The sender's id, -1 before its hello arrived. */
    int sender() {
        return sender;
    }

    /** True while the next frame belongs to the handshake (the hello, or a SASL token). */
    boolean inProgress() {
        return sender < 0 || sasl != null;
    }

    void read(ChannelHandlerContext ctx, ByteBuf frame) {
        if (sender < 0) {
            hello(ctx, frame);
        } else {
            authenticate(ctx, SaslFrames.bytes(frame));
        }
    }

    /** The connection closed: an exchange still running is given up. */
    void dispose() {
        if (sasl != null) {
            sasl.dispose();
        }
    }

    private void hello(ChannelHandlerContext ctx, ByteBuf frame) {
        boolean authenticating = frame.readableBytes() == 12;
        if (frame.readableBytes() != 4 && !authenticating) {
            LOG.warn("closing quorum connection from {}: bad hello", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        sender = frame.readInt();
        if (sender < 0 || sender == myId || (authenticating && frame.readLong() != SaslFrames.AUTH)) {
            LOG.warn("closing quorum connection from {}: bad hello from server {}", ctx.channel().remoteAddress(),
                    sender);
            ctx.close();
            return;
        }
        if (!authenticating) {
            if (policy.serverRequired()) {
                warnings.warn("sasl-" + sender, "closing quorum connection from server {} at {}: it did not "
                        + "authenticate and quorum.auth.serverRequireSasl is set", sender, ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            open.accept(ctx);
            return;
        }
        if (!policy.enabled()) {
            warnings.warn("sasl-" + sender, "closing quorum connection from server {} at {}: it asks for SASL and "
                    + "quorum.auth.enableSasl is not set here", sender, ctx.channel().remoteAddress());
            ctx.writeAndFlush(SaslFrames.status(SaslFrames.ERROR, null)).addListener(f -> ctx.close());
            return;
        }
        try {
            sasl = new SaslAcceptor(policy.servers().create());
        } catch (SaslException e) {
            LOG.error("closing quorum connection from server {}: cannot start SASL: {}", sender, e.getMessage());
            ctx.close();
        }
    }

    private void authenticate(ChannelHandlerContext ctx, byte[] token) {
        SaslAcceptor.Step step = sasl.step(token);
        ctx.writeAndFlush(step.answer());
        if (step.outcome() == SaslAcceptor.Outcome.CONTINUE) {
            return;
        }
        sasl = null;
        if (step.outcome() == SaslAcceptor.Outcome.AUTHENTICATED) {
            LOG.info("Successfully authenticated learner {} (server {}) at {} with quorum SASL", step.detail(),
                    sender, ctx.channel().remoteAddress());
            open.accept(ctx);
        } else if (policy.serverRequired()) {
            warnings.warn("sasl-" + sender, "closing quorum connection from server {} at {}: SASL authentication "
                    + "failed ({})", sender, ctx.channel().remoteAddress(), step.detail());
            ctx.close();
        } else {
            // As ZooKeeper does when SASL is not required: the connection stays (its opener, which asked for
            // SASL, will close it on the error).
            warnings.warn("sasl-" + sender, "keeping quorum connection from server {} at {} despite a failed SASL "
                    + "authentication ({}): quorum.auth.serverRequireSasl is not set", sender,
                    ctx.channel().remoteAddress(), step.detail());
            open.accept(ctx);
        }
    }
}
