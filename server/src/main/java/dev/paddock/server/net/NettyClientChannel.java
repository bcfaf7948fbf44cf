package dev.paddock.server.net;

import dev.paddock.server.request.ClientChannel;
import dev.paddock.server.watch.WatchEvent;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.proto.ReplyHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encodes replies as length-prefixed jute frames onto a Netty channel. Used by the request thread: replies
 * and flushes go to Netty as they come; watch events go through the channel's {@link EventLoopOutbox}, one
 * task per event loop for a whole fan-out, and every other call first submits that outbox so the connection's
 * order is the order of the calls.
 *
 * <p>Every operation reaches the channel in the order the request thread made it. Made from another thread,
 * Netty queues it as a task on the channel's event loop (behind the outbox batches submitted before it); made
 * on that event loop itself (a request the Netty thread ran as the request thread, {@code
 * RequestLoop.tryRunHere}) it would take effect at once, ahead of writes and outbox batches queued earlier (a
 * watch event before the reply that reflects its change), so there it is queued the same way ({@link
 * #inOrder}).
 */
final class NettyClientChannel implements ClientChannel {
    private final Channel channel;
    private final EventLoopOutbox outbox;
    private final String remoteIp;
    private final String remoteAddress;
    /** Event bytes in the outbox or its submitted task, not yet counted by the channel's high water mark. */
    private final AtomicLong inOutbox = new AtomicLong();
    /**
     * Whether something was written to Netty directly since the last flush; an outbox batch flushes every
     * channel it wrote to, which covers what was written to it before (the loop runs tasks in order).
     */
    private boolean unflushed;

    NettyClientChannel(Channel channel, EventLoopOutbox outbox) {
        this.channel = channel;
        this.outbox = outbox;
        // Not an IP socket only in tests (Netty's local transport).
        InetSocketAddress remote = channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
        this.remoteIp = remote == null ? "unknown" : remote.getAddress().getHostAddress();
        this.remoteAddress = remote == null ? "unknown" : remoteIp + ":" + remote.getPort();
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    Channel nettyChannel() {
        return channel;
    }

    /** Called on the loop once an outbox batch has handed the channel this many event bytes. */
    void leftOutbox(int bytes) {
        inOutbox.addAndGet(-bytes);
    }

    /** The channel's queued events go first, then this call's own write, which needs a flush. */
    private void direct() {
        outbox.submit();
        unflushed = true;
    }

    @Override
    public int write(ReplyHeader header, JuteRecord body) {
        int len = header.size() + (body == null ? 0 : body.size());
        byte[] bytes = new byte[4 + len];
        JuteWriter out = JuteWriter.wrap(bytes);
        out.writeInt(len);
        header.write(out);
        if (body != null) {
            body.write(out);
        }
        direct();
        inOrder(() -> channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise()));
        return len;
    }

    /**
     * The shared frame goes out as it is: a wrapper of its array per channel, no copy, no encoding, written
     * on the loop by the outbox's batch, which also flushes this channel (and so what was written before).
     */
    @Override
    public void writeEvent(WatchEvent event) {
        byte[] frame = event.frame();
        inOutbox.addAndGet(frame.length);
        unflushed = false;
        outbox.add(this, frame);
    }

    @Override
    public void writeRaw(JuteRecord record) {
        int len = record.size();
        byte[] bytes = new byte[4 + len];
        JuteWriter out = JuteWriter.wrap(bytes);
        out.writeInt(len);
        record.write(out);
        direct();
        inOrder(() -> channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise()));
    }

    @Override
    public void flush() {
        outbox.submit();
        if (unflushed) {
            unflushed = false;
            inOrder(channel::flush);
        }
    }

    @Override
    public void close() {
        outbox.submit();
        ByteBuf empty = Unpooled.EMPTY_BUFFER;
        inOrder(() -> channel.writeAndFlush(empty).addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    public void abort() {
        // Not through the outbox: the request throttle's thread aborts too, and what is queued is dropped anyway.
        inOrder(channel::close);
    }

    /**
     * Off the event loop Netty itself queues the operation behind the earlier ones; on it, it is queued here
     * (run after the current read, still in this loop turn, with no wake-up).
     */
    private void inOrder(Runnable operation) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            loop.execute(operation);
        } else {
            operation.run();
        }
    }

    /**
     * The channel's high water mark is the connection's bound on queued bytes ({@code maxClientQueuedBytes});
     * Netty counts a write against it as soon as it is submitted, from any thread, until the socket takes it;
     * events still in the outbox are counted here until the loop has written them.
     */
    @Override
    public boolean overloaded() {
        return (!channel.isWritable() || inOutbox.get() > channel.bytesBeforeUnwritable()) && channel.isActive();
    }

    @Override
    public boolean reading() {
        return channel.config().isAutoRead();
    }

    @Override
    public void resumeReading() {
        channel.eventLoop().execute(() -> {
            channel.config().setAutoRead(true);
            channel.read();
        });
    }
}
