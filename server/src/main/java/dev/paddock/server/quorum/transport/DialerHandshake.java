package dev.paddock.server.quorum.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.function.Consumer;
import javax.security.sasl.SaslException;

/**
 * The start of a connection this member opened: the hello with its id, and quorum SASL when this member
 * authenticates on every connection it opens ({@code quorum.auth.learnerRequireSasl}). Messages wait (bounded,
 * by the caller) until it says the connection is ready.
 */
final class DialerHandshake {
    private final int myId;
    private final TransportSecurity.Sasl policy;
    private final ThrottledWarnings warnings;

    DialerHandshake(int myId, TransportSecurity.Sasl policy, ThrottledWarnings warnings) {
        this.myId = myId;
        this.policy = policy;
        this.warnings = warnings;
    }

    /**
     * Starts on a connection to {@code peer} that just connected; {@code ready} is called once messages may flow,
     * with the hello still to be sent before them, or null when the hello went out already. The SASL exchange's
     * handler goes before the handler named {@code readerName}, which reads messages after it.
     */
    void begin(Channel ch, int peer, String readerName, Consumer<ByteBuf> ready) {
        if (!policy.learnerRequired()) {
            ready.accept(SaslFrames.hello(myId, false));
            return;
        }
        // The TLS handler, if any, holds these writes until its own handshake is done.
        try {
            SaslDialer dialer = new SaslDialer(policy.clients().create(), peer, () -> ready.accept(null));
            ch.pipeline().addBefore(readerName, "sasl", dialer);
            ch.write(SaslFrames.hello(myId, true), ch.voidPromise());
            ch.writeAndFlush(Unpooled.wrappedBuffer(dialer.initialToken()), ch.voidPromise());
        } catch (SaslException e) {
            warnings.warn("sasl-out-" + peer, "Cannot start quorum SASL with server {}: {}", peer, e.getMessage());
            ch.close();
        }
    }
}
