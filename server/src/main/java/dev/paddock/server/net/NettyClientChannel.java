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

/**
 * Encodes replies as length-prefixed jute frames onto a Netty channel.
 *
 * <p>Every operation reaches the channel in the order the request thread made it. Made from another thread,
 * Netty queues it as a task on the channel's event loop; made on that event loop itself (a request the
 * Netty thread ran as the request thread, {@code RequestLoop.tryRunHere}) it would take effect at once,
 * ahead of writes other threads queued earlier (a watch event before the reply that reflects its change),
 * so there it is queued the same way ({@link #inOrder}).
 */
final class NettyClientChannel implements ClientChannel {
    private final Channel channel;
    private final String remoteIp;
    private final String remoteAddress;

    NettyClientChannel(Channel channel) {
        this.channel = channel;
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
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
        inOrder(() -> channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise()));
        return len;
    }

    /** The shared frame goes out as it is: a wrapper of its array per channel, no copy, no encoding. */
    @Override
    public void writeEvent(WatchEvent event) {
        inOrder(() -> channel.write(Unpooled.wrappedBuffer(event.frame()), channel.voidPromise()));
    }

    @Override
    public void writeRaw(JuteRecord record) {
        int len = record.size();
        byte[] bytes = new byte[4 + len];
        JuteWriter out = JuteWriter.wrap(bytes);
        out.writeInt(len);
        record.write(out);
        inOrder(() -> channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise()));
    }

    @Override
    public void flush() {
        inOrder(channel::flush);
    }

    @Override
    public void close() {
        ByteBuf empty = Unpooled.EMPTY_BUFFER;
        inOrder(() -> channel.writeAndFlush(empty).addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    public void abort() {
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
     * Netty counts a write against it as soon as it is submitted, from any thread, until the socket takes it.
     */
    @Override
    public boolean overloaded() {
        return !channel.isWritable() && channel.isActive();
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
