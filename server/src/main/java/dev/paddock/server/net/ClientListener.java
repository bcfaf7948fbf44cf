package dev.paddock.server.net;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.config.ConnectionLimits;
import dev.paddock.server.fault.EssentialThreads;
import dev.paddock.server.request.RequestAdmission;
import dev.paddock.server.request.RequestHandler;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.SessionHandler;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The client port: a Netty listener whose pipeline is limiter, framing, then the per-connection handler. */
public final class ClientListener implements AutoCloseable {
    private final ClientTransport transport = ClientTransport.chosen();
    private final EventLoopGroup boss = transport.group(1, EssentialThreads.netty("paddock-accept"));
    private final EventLoopGroup workers = transport.group(Math.max(1, Runtime.getRuntime().availableProcessors()),
            EssentialThreads.netty("paddock-client-io"));
    private final Channel serverChannel;

    /** How a port speaks: plaintext, TLS only (secureClientPort), or both (client.portUnification). */
    public record Tls(Supplier<SslContext> contexts, boolean only) {
        public static final Tls PLAINTEXT = new Tls(null, false);
    }

    /**
     * @param limits    the connection count (maxCnxns) and the bound on bytes queued for one connection, which
     *                  becomes each channel's high water mark ({@link NettyClientChannel#overloaded})
     * @param admission the server's request throttle and global outstanding limit, shared by its listeners
     */
    public ClientListener(InetSocketAddress address, Tls tls, int maxClientCnxns, ConnectionLimits limits,
                          int maxFrameBytes, RequestLoop loop, SessionHandler sessions, RequestHandler requests,
                          RequestAdmission admission, FourLetterWords fourLetterWords, ServerStats stats, Clock clock)
            throws InterruptedException {
        ConnectionLimiter limiter = new ConnectionLimiter(maxClientCnxns, limits.maxCnxns(), stats);
        ConnectionThrottle throttle = new ConnectionThrottle(limits.throttle(), clock, new SplittableRandom());
        if (limits.throttle().enabled()) {
            stats.connectionDropChance(throttle::dropChance);
        }
        EventLoopOutboxes outboxes = new EventLoopOutboxes();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(limits.maxQueuedBytes() / 2, limits.maxQueuedBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("limit", limiter);
                        if (tls.only()) {
                            ch.pipeline().addLast("ssl", UnifiedTls.serverHandler(tls.contexts().get(), ch, false));
                        } else if (tls.contexts() != null) {
                            ch.pipeline().addLast("tls-detect", new UnifiedTls(tls.contexts(), true));
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder(maxFrameBytes, fourLetterWords::isEnabled));
                        ch.pipeline().addLast("client",
                                new ClientHandler(loop, sessions, requests, fourLetterWords, stats, clock, throttle,
                                        admission, outboxes));
                    }
                });
        try {
            serverChannel = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdownGroups();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        shutdownGroups();
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
