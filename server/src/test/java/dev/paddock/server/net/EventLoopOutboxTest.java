package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.WatchEvent;
import dev.paddock.wire.Xid;
import dev.paddock.wire.proto.ReplyHeader;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watch events through the per-loop outbox, on a real event loop (Netty's in-process transport) with the
 * test thread as the request thread: each connection receives its replies and events in the order they were
 * written, events leave without a write task per channel, and the bound on queued bytes sees them at once.
 */
class EventLoopOutboxTest {
    private static final long WAIT_S = 30;
    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final EventLoopOutboxes outboxes = new EventLoopOutboxes();
    private final List<Channel> opened = new ArrayList<>();
    private Channel server;
    private LocalAddress address;
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();

    @BeforeEach
    void listen() throws Exception {
        address = new LocalAddress("outbox-" + System.nanoTime());
        server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32, 64))
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        accepted.add(ch);
                    }
                }).bind(address).sync().channel();
    }

    @AfterEach
    void close() throws Exception {
        for (Channel c : opened) {
            c.close().sync();
        }
        server.close().sync();
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    /** A client of the listener that records the xid and zxid of every frame it receives, in order. */
    private final class Client {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final NettyClientChannel serverSide;

        Client() throws Exception {
            Channel ch = new Bootstrap().group(loops).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            while (b.readableBytes() >= 4) {
                                int len = b.readInt();
                                ByteBuf frame = b.readSlice(len);
                                frames.add(frame.readInt() + "@" + frame.readLong());
                            }
                            b.release();
                        }
                    }).connect(address).sync().channel();
            opened.add(ch);
            Channel child = accepted.poll(WAIT_S, TimeUnit.SECONDS);
            assertThat(child).isNotNull();
            serverSide = new NettyClientChannel(child, outboxes.forLoop(child.eventLoop()));
        }

        List<String> take(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String f = frames.poll(WAIT_S, TimeUnit.SECONDS);
                assertThat(f).as("frame %d of %d", i + 1, n).isNotNull();
                out.add(f);
            }
            return out;
        }
    }

    private static WatchEvent event(long zxid) {
        return new WatchEvent(EventType.NODE_DATA_CHANGED, "/n", zxid);
    }

    @Test
    void repliesAndEventsArriveInTheOrderTheyWereWritten() throws Exception {
        Client a = new Client();
        Client b = new Client();
        a.serverSide.write(new ReplyHeader(1, 10, 0), null);
        a.serverSide.writeEvent(event(11));
        b.serverSide.writeEvent(event(11));
        a.serverSide.write(new ReplyHeader(2, 12, 0), null);
        b.serverSide.writeEvent(event(13));
        a.serverSide.writeEvent(event(13));
        b.serverSide.write(new ReplyHeader(3, 14, 0), null);
        a.serverSide.flush();
        b.serverSide.flush();
        int n = Xid.NOTIFICATION;
        assertThat(a.take(4)).containsExactly("1@10", n + "@11", "2@12", n + "@13");
        assertThat(b.take(3)).containsExactly(n + "@11", n + "@13", "3@14");
    }

    @Test
    void eventsAloneLeaveWithTheFlushOfAnyChannelOfTheLoop() throws Exception {
        Client a = new Client();
        Client b = new Client();
        a.serverSide.writeEvent(event(5));
        b.serverSide.writeEvent(event(5));
        a.serverSide.flush(); // b's flush is not needed: the loop's one batch flushes both
        assertThat(a.take(1)).containsExactly(Xid.NOTIFICATION + "@5");
        assertThat(b.take(1)).containsExactly(Xid.NOTIFICATION + "@5");
    }

    @Test
    void aFullOutboxIsHandedToTheLoopWithoutWaitingForAFlush() throws Exception {
        Client a = new Client();
        for (int i = 0; i < EventLoopOutbox.MAX_ENTRIES; i++) {
            a.serverSide.writeEvent(event(i));
        }
        List<String> got = a.take(EventLoopOutbox.MAX_ENTRIES);
        assertThat(got.get(EventLoopOutbox.MAX_ENTRIES - 1))
                .isEqualTo(Xid.NOTIFICATION + "@" + (EventLoopOutbox.MAX_ENTRIES - 1));
    }

    @Test
    void queuedEventsCountAgainstTheHighWaterMarkBeforeTheLoopWritesThem() throws Exception {
        Client a = new Client();
        // Hold the loop so the batch cannot run yet: the bytes are only in the outbox's count.
        CompletableFuture<Void> release = new CompletableFuture<>();
        loops.next().execute(release::join);
        assertThat(a.serverSide.overloaded()).isFalse();
        for (int i = 0; i < 3; i++) {
            a.serverSide.writeEvent(event(i)); // about 30 bytes each; the mark is 64
        }
        assertThat(a.serverSide.overloaded()).isTrue();
        a.serverSide.flush();
        release.complete(null);
        a.take(3);
        CompletableFuture<Boolean> after = new CompletableFuture<>();
        loops.next().execute(() -> after.complete(a.serverSide.overloaded()));
        assertThat(after.get(WAIT_S, TimeUnit.SECONDS)).isFalse();
    }
}
