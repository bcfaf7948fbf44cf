package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.WatchEvent;
import dev.paddock.wire.proto.ReplyHeader;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A frame written on the channel's own event loop (a request its Netty thread ran as the request thread)
 * goes out after the frames other threads wrote before it, as it would from the request thread.
 */
class NettyClientChannelOrderTest {
    private final EventLoopGroup group = new NioEventLoopGroup(1);

    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();

    /** A loopback listener whose first accepted connection completes {@link #accepted}. */
    private Channel listen() throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.complete(ch);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aWriteOnTheEventLoopQueuesBehindEarlierWritesFromOtherThreads() throws Exception {
        Channel server = listen();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(),
                ((InetSocketAddress) server.localAddress()).getPort())) {
            Channel ch = accepted.get(5, TimeUnit.SECONDS);
            NettyClientChannel out = new NettyClientChannel(ch, new EventLoopOutbox(ch.eventLoop()));
            CountDownLatch earlierWritten = new CountDownLatch(1);
            // The event loop is busy (as in a read) while another thread writes the earlier frame; then,
            // still in that turn, the loop writes and flushes the later one.
            ch.eventLoop().execute(() -> {
                await(earlierWritten);
                out.write(new ReplyHeader(2, 0, 0), null);
                out.flush();
            });
            out.write(new ReplyHeader(1, 0, 0), null);
            earlierWritten.countDown();
            ch.eventLoop().execute(out::flush);
            client.setSoTimeout(5_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            assertThat(readXid(in)).isEqualTo(1);
            assertThat(readXid(in)).isEqualTo(2);
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    /**
     * A request run on the channel's own event loop that fires a watch on that channel and then answers: the
     * event (held in the loop's outbox) still goes out before the reply.
     */
    @Test
    void onTheEventLoopAnEventInTheOutboxGoesOutBeforeTheReplyAfterIt() throws Exception {
        Channel server = listen();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(),
                ((InetSocketAddress) server.localAddress()).getPort())) {
            Channel ch = accepted.get(5, TimeUnit.SECONDS);
            NettyClientChannel out = new NettyClientChannel(ch, new EventLoopOutbox(ch.eventLoop()));
            ch.eventLoop().execute(() -> {
                out.writeEvent(new WatchEvent(EventType.NODE_DATA_CHANGED, "/n", 5));
                out.write(new ReplyHeader(7, 5, 0), null);
                out.flush();
            });
            client.setSoTimeout(5_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            assertThat(readXid(in)).as("the event").isEqualTo(-1);
            assertThat(readXid(in)).as("the reply").isEqualTo(7);
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    private static int readXid(DataInputStream in) throws Exception {
        int len = in.readInt();
        byte[] body = new byte[len];
        in.readFully(body);
        return ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
