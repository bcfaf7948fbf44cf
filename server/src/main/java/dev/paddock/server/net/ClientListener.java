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

    /**
     * Loads and initialises, on a thread of its own, what opening the client port and serving its first
     * connection need (the transport's native library, Netty's bootstrap, channel and allocator, this
     * package's handlers), so that work overlaps a long start-up (a large log read back) instead of
     * following it: a restarted server answers its first client sooner. Only class loading; nothing is bound
     * or started, and a failure here is left for the real opening to meet and report.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(ClientListener::warmUp, "paddock-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void warmUp() {
        try {
            ClassLoader loader = ClientListener.class.getClassLoader();
            Class.forName(ClientTransport.chosen().serverChannel().getName(), true, loader);
            for (Class<?> c : new Class<?>[] {ServerBootstrap.class, ChannelInitializer.class, WriteBufferWaterMark.class,
                    FrameDecoder.class, ClientHandler.class, NettyClientChannel.class, EventLoopOutboxes.class,
                    ConnectionLimiter.class, ConnectionThrottle.class}) {
                Class.forName(c.getName(), true, loader);
            }
            io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(64).release();
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // Nothing lost: the client port loads the same classes when it opens, and reports what fails there.
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
