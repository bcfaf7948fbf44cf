package dev.paddock.server.admin.http;

import dev.paddock.server.admin.AdminCommands;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's AdminServer on Netty's HTTP codec: {@code GET <commandURL>} lists the commands,
 * {@code GET <commandURL>/<name>} runs one and answers JSON, {@code POST <commandURL>/restore}. One event
 * loop thread; the commands themselves run on the request thread ({@link AdminHttpHandler}).
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);
    /** A request body or header block larger than this is refused (restore's body goes to a file instead). */
    static final int MAX_REQUEST_BYTES = 1 << 20;
    /** Open admin connections; more are closed at once. */
    static final int MAX_CONNECTIONS = 64;

    private final EventLoopGroup group = new NioEventLoopGroup(1, r -> {
        Thread t = new Thread(r, "paddock-admin-http");
        t.setDaemon(true);
        return t;
    });
    private final Channel channel;
    private final AdminSettings settings;

    private AdminHttpServer(AdminSettings settings, AdminCommands commands, Executor requestThread)
            throws IOException {
        this.settings = settings;
        AtomicInteger open = new AtomicInteger();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new RestoreUpload(settings.commandUrl(), commands))
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new AdminHttpHandler(settings.commandUrl(), commands, requestThread));
                    }
                });
        try {
            channel = b.bind(new InetSocketAddress(settings.address(), settings.port())).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("Problem starting AdminServer on address " + settings.address() + ", port "
                    + settings.port() + " and command URL " + settings.commandUrl() + ": " + e, e);
        }
    }

    /**
     * Starts it; {@code requestThread} runs the commands (the request thread).
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminHttpServer start(AdminSettings settings, AdminCommands commands, Executor requestThread)
            throws IOException {
        AdminHttpServer s = new AdminHttpServer(settings, commands, requestThread);
        LOG.info("Started AdminServer on address {}, port {} and command URL {}", settings.address(), s.port(),
                settings.commandUrl());
        return s;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
