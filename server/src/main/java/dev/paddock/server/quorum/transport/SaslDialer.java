package dev.paddock.server.quorum.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opening member's side of quorum SASL on one connection: sends the first token after the hello, answers
 * each challenge, and on {@link SaslFrames#SUCCESS} checks the acceptor's final answer, steps out of the
 * pipeline and lets messages flow. An error, a wrong final answer or the connection closing ends it.
 */
final class SaslDialer extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(SaslDialer.class);

    private final SaslClient client;
    private final int peer;
    private final Runnable onAuthenticated;

    SaslDialer(SaslClient client, int peer, Runnable onAuthenticated) {
        this.client = client;
        this.peer = peer;
        this.onAuthenticated = onAuthenticated;
    }

    /** The first token (DIGEST-MD5 has no initial response: an empty one). */
    byte[] initialToken() throws SaslException {
        return client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (frame.readableBytes() < 4) {
            fail(ctx, "a short SASL answer");
            return;
        }
        int status = frame.readInt();
        byte[] token = SaslFrames.bytes(frame);
        try {
            if (status == SaslFrames.IN_PROGRESS) {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(client.evaluateChallenge(token)));
            } else if (status == SaslFrames.SUCCESS) {
                if (!client.isComplete()) {
                    client.evaluateChallenge(token); // checks the server's rspauth
                }
                if (!client.isComplete()) {
                    fail(ctx, "the exchange did not complete");
                    return;
                }
                LOG.info("Successfully completed quorum SASL authentication with server {} at {}", peer,
                        ctx.channel().remoteAddress());
                dispose();
                ctx.pipeline().remove(this);
                onAuthenticated.run();
            } else {
                fail(ctx, "the server refused the credentials");
            }
        } catch (SaslException e) {
            fail(ctx, e.getMessage());
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        LOG.warn("Quorum SASL authentication failed against server {} at {}: {}", peer, ctx.channel().remoteAddress(),
                why);
        dispose();
        ctx.close();
    }

    private void dispose() {
        try {
            client.dispose();
        } catch (SaslException e) {
            // nothing held that matters
        }
    }
}
