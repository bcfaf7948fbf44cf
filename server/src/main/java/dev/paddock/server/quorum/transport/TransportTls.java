package dev.paddock.server.quorum.transport;

import dev.paddock.server.net.UnifiedTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;

/**
 * TLS on quorum connections as {@link TransportSecurity} says ({@code sslQuorum}, {@code portUnification}): the
 * handlers at the head of a connection's pipeline, and the warnings when a peer's TLS (or its lack of it) is
 * refused. The framing above it never sees the difference.
 */
final class TransportTls {
    private final TransportSecurity security;
    private final ThrottledWarnings warnings;

    TransportTls(TransportSecurity security, ThrottledWarnings warnings) {
        this.security = security;
        this.warnings = warnings;
    }

    /** A connection to this member's ports: TLS, or TLS and plaintext told apart by the first bytes, or neither. */
    void secureAccepted(SocketChannel ch) {
        if (security.acceptTls() != null && security.acceptPlaintext()) {
            ch.pipeline().addLast("tls-detect", new UnifiedTls(security.acceptTls(), false));
        } else if (security.acceptTls() != null) {
            ch.pipeline().addLast("ssl", UnifiedTls.serverHandler(security.acceptTls().get(), ch, true));
        }
    }

    /** A connection this member opens to {@code address}: TLS when this member dials with TLS. */
    void secureDialed(SocketChannel ch, InetSocketAddress address) {
        if (security.dialTls() != null) {
            ch.pipeline().addLast("ssl", security.dialTls().get().newHandler(ch.alloc(), address.getHostString(),
                    address.getPort()));
        }
    }

    /** Warns when the TLS handshake of a connection this member opened to {@code peer} fails. */
    void watchDialed(Channel ch, int peer, InetSocketAddress address) {
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        if (tls != null) {
            tls.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    warnings.warn("tls-out-" + peer, "Cannot open a TLS channel to server {} at {}: {}", peer,
                            address, done.cause().toString());
                }
            });
        }
    }

    /** Warns when the TLS handshake of an accepted connection fails (a user event its pipeline saw). */
    void acceptedEvent(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            warnings.warn("tls-in-" + hostOf(ctx), "refusing TLS quorum connection from {}: {}",
                    ctx.channel().remoteAddress(), e.cause().toString());
        }
    }

    /** Whether {@code cause} is a plaintext peer on a TLS-only port; warns if so. */
    boolean refusedPlaintext(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof NotSslRecordException) {
            warnings.warn("plain-in-" + hostOf(ctx), "refusing plaintext quorum connection from {}: sslQuorum is "
                    + "set and portUnification is not", ctx.channel().remoteAddress());
            return true;
        }
        return false;
    }

    private static String hostOf(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getHostString() : "?";
    }
}
