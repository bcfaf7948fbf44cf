package dev.paddock.server.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Arrays;

/**
 * Watch events the request thread has queued for the channels of one event loop, handed to that loop as one
 * task. A Netty write from outside the channel's event loop is a task per write (and the flush another), so a
 * change that fires 10,000 watches cost 20,000 tasks and their wake-ups; here it costs one task per event
 * loop (or per {@link #MAX_ENTRIES} events), which writes every frame and flushing each channel as it goes.
 *
 * <p>Order: every other thing the request thread does to one of this loop's channels (a reply, a flush, a
 * close) first {@link #submit}s what is queued here, and a loop runs its tasks in the order they were
 * submitted, so a connection still gets its events and replies in the order they were written. Request thread
 * only, apart from {@link Batch#run} on the loop.
 */
final class EventLoopOutbox {
    /**
     * Bound on queued events; a full outbox is submitted at once. Small, so that in a large fan-out the loops
     * are already writing while the request thread queues the rest; a task per 256 events costs nothing.
     */
    static final int MAX_ENTRIES = 256;
    /** Bound on queued bytes, which the channels' high water marks do not see until the loop writes them. */
    static final int MAX_BYTES = 1 << 20;

    private final EventLoop loop;
    private NettyClientChannel[] channels = new NettyClientChannel[16];
    private byte[][] frames = new byte[16][];
    private int count;
    private int bytes;

    EventLoopOutbox(EventLoop loop) {
        this.loop = loop;
    }

    /** Queues a shared, never modified frame for the channel; submits when a bound is reached. */
    void add(NettyClientChannel channel, byte[] frame) {
        if (count == channels.length) {
            int size = Math.min(MAX_ENTRIES, count * 2);
            channels = Arrays.copyOf(channels, size);
            frames = Arrays.copyOf(frames, size);
        }
        channels[count] = channel;
        frames[count] = frame;
        count++;
        bytes += frame.length;
        if (count == MAX_ENTRIES || bytes >= MAX_BYTES) {
            submit();
        }
    }

    /** Hands what is queued to the loop as one task; nothing if the outbox is empty. */
    void submit() {
        if (count == 0) {
            return;
        }
        Batch batch = new Batch(Arrays.copyOf(channels, count), Arrays.copyOf(frames, count));
        Arrays.fill(channels, 0, count, null);
        Arrays.fill(frames, 0, count, null);
        count = 0;
        bytes = 0;
        loop.execute(batch);
    }

    /**
     * One submission, on the loop: each frame is written and its channel flushed at once, so the first
     * watchers hear of the change while the last frames are still being written.
     */
    private record Batch(NettyClientChannel[] channels, byte[][] frames) implements Runnable {
        @Override
        public void run() {
            for (int i = 0; i < channels.length; i++) {
                Channel ch = channels[i].nettyChannel();
                ch.writeAndFlush(Unpooled.wrappedBuffer(frames[i]), ch.voidPromise());
                // Netty now counts whatever the socket did not take against the channel's high water mark.
                channels[i].leftOutbox(frames[i].length);
            }
        }
    }
}
