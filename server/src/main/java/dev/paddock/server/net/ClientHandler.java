package dev.paddock.server.net;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.fault.ConnectionFaults;
import dev.paddock.server.request.Connection;
import dev.paddock.server.request.RequestAdmission;
import dev.paddock.server.request.RequestHandler;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.SessionHandler;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.MarshallingException;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import dev.paddock.wire.proto.Requests;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection on a Netty thread: decodes the handshake and each request and hands them to the
 * request thread through the server's {@link RequestAdmission} (the request throttle and globalOutstandingLimit).
 * Anything malformed closes this connection only, with the reason logged. When a client has too many requests
 * outstanding ({@link Connection#MAX_OUTSTANDING}), or the server as a whole has ({@link RequestAdmission#arrived}),
 * the connection stops reading until enough of them have ended.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private final RequestLoop loop;
    private final SessionHandler sessions;
    private final RequestHandler requests;
    private final FourLetterWords fourLetterWords;
    private final ServerStats stats;
    private final Clock clock;
    private final ConnectionThrottle throttle;
    private final RequestAdmission admission;
    private final EventLoopOutboxes outboxes;
    private Connection conn;
    /** Stops this channel's reading (the global outstanding limit); made once, used from its event loop. */
    private RequestAdmission.Pause pause;
    private boolean handshakeReceived;

    ClientHandler(RequestLoop loop, SessionHandler sessions, RequestHandler requests, FourLetterWords fourLetterWords,
                  ServerStats stats, Clock clock, ConnectionThrottle throttle, RequestAdmission admission,
                  EventLoopOutboxes outboxes) {
        this.loop = loop;
        this.outboxes = outboxes;
        this.admission = admission;
        this.throttle = throttle;
        this.sessions = sessions;
        this.requests = requests;
        this.fourLetterWords = fourLetterWords;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Connection c = new Connection(
                new NettyClientChannel(ctx.channel(), outboxes.forLoop(ctx.channel().eventLoop())), loop.flushQueue(), clock.wallMs(),
                stats);
        conn = c;
        pause = () -> ctx.channel().config().setAutoRead(false);
        // Listed by stat and cons from now on, as ZooKeeper lists every connection it accepted.
        loop.execute(() -> sessions.opened(c));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FourLetterWord word) {
            fourLetterWord(ctx, word);
            return;
        }
        byte[] frame = (byte[]) msg;
        stats.bytesReceived(4L + frame.length);
        try {
            if (!handshakeReceived) {
                handshakeReceived = true;
                ConnectRequest req = ConnectRequest.read(JuteReader.of(frame));
                if (!throttle.admit(req.sessionId() == 0 ? ConnectionThrottle.Kind.NEW_SESSION
                        : ConnectionThrottle.Kind.RENEWAL)) {
                    // As ZooKeeper: refused by the connection throttle, closed without an answer.
                    LOG.debug("Closing connection from {}: connection throttle", ctx.channel().remoteAddress());
                    stats.connectionRejected();
                    ctx.close();
                    return;
                }
                Connection c = conn;
                loop.execute(() -> sessions.connect(c, req));
                return;
            }
            JuteReader in = JuteReader.of(frame);
            RequestHeader header = RequestHeader.read(in);
            long receivedAtMs = clock.monotonicMs();
            Connection c = conn;
            if (c.outstanding().incrementAndGet() >= Connection.MAX_OUTSTANDING) {
                ctx.channel().config().setAutoRead(false);
            }
            admission.arrived(c, pause);
            OpCode op = OpCode.of(header.type());
            if (op == null || !isClientOpCode(op)) {
                admission.submit(c, receivedAtMs, header.type(),
                        ticket -> requests.unimplemented(c, header, receivedAtMs, ticket));
                return;
            }
            Request request;
            try {
                request = Requests.read(header.type(), in);
            } catch (MarshallingException e) {
                // The frame was whole but its body did not decode: ZooKeeper answers MarshallingError and
                // keeps the connection.
                LOG.debug("Undecodable {} request from {}: {}", op, c.channel().remoteAddress(), e.getMessage());
                admission.submit(c, receivedAtMs, header.type(),
                        ticket -> requests.undecodable(c, header, receivedAtMs, ticket));
                return;
            }
            admission.submit(c, receivedAtMs, header.type(),
                    ticket -> requests.handle(c, header, request, receivedAtMs, ticket));
        } catch (MarshallingException e) {
            LOG.warn("Closing connection from {}: malformed request: {}", conn.channel().remoteAddress(), e.getMessage());
            ctx.close();
        } catch (RuntimeException e) {
            // Decoding is this connection's business: whatever goes wrong there closes it and nothing else.
            ConnectionFaults.closing(conn.channel().remoteAddress(), "decoding its request", e);
            ctx.close();
        }
    }

    /**
     * A four-letter word counts as a received packet of 4 bytes (srvr's Received, the connection's recved),
     * as in ZooKeeper; its answer is written, then the connection closes. A null answer closes it at once.
     */
    private void fourLetterWord(ChannelHandlerContext ctx, FourLetterWord word) {
        Connection c = conn;
        c.markFourLetterWord();
        stats.bytesReceived(4);
        loop.execute(() -> {
            c.countReceived();
            try {
                fourLetterWords.answer(word.word(), word.argument(), text -> reply(ctx, c, text));
            } catch (RuntimeException e) {
                // This connection's failure only (a four-letter word reads state, never changes it).
                ConnectionFaults.closing(c.channel().remoteAddress(), "answering " + word.word(), e);
                ctx.close();
            }
        });
    }

    private static void reply(ChannelHandlerContext ctx, Connection c, String text) {
        if (text == null) {
            ctx.close();
            return;
        }
        c.countSent();
        ctx.channel().eventLoop().execute(() -> ctx.writeAndFlush(
                Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8))).addListener(ChannelFutureListener.CLOSE));
    }

    /** check (13) travels only inside a multi: on its own ZooKeeper answers it Unimplemented. */
    private static boolean isClientOpCode(OpCode op) {
        return op != OpCode.NOTIFICATION && op != OpCode.CREATE_SESSION && op != OpCode.ERROR
                && op != OpCode.DELETE_CONTAINER && op != OpCode.CHECK;
    }

    /**
     * A TLS handshake that asked for the client's certificate (ssl.clientAuth need or want) and got one
     * authenticates the connection as x509:&lt;subject DN&gt;, as ZooKeeper's X509AuthenticationProvider
     * does; queued before anything the client sends after the handshake, so its handshake already has it.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && conn != null) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            SSLEngine engine = ssl == null ? null : ssl.engine();
            if (engine != null && (engine.getNeedClientAuth() || engine.getWantClientAuth())) {
                try {
                    Certificate[] chain = engine.getSession().getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate cert) {
                        String subject = cert.getSubjectX500Principal().getName();
                        Connection c = conn;
                        loop.execute(sessions.guarded(c, () -> sessions.authenticatedByCertificate(c, subject)));
                    }
                } catch (SSLPeerUnverifiedException e) {
                    LOG.debug("TLS client {} sent no certificate", ctx.channel().remoteAddress());
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Connection c = conn;
        if (c != null) {
            c.markGone();
            loop.execute(sessions.guarded(c, () -> sessions.connectionLost(c)));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String who = conn == null ? String.valueOf(ctx.channel().remoteAddress()) : conn.channel().remoteAddress();
        if (cause instanceof DecoderException) {
            LOG.warn("Closing connection from {}: {}", who, cause.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("Connection from {} failed: {}", who, cause.getMessage());
        } else {
            ConnectionFaults.closing(who, "in its channel", cause);
        }
        ctx.close();
    }
}
