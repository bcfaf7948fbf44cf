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
import java.net.InetSocketAddress;

/** Encodes replies as length-prefixed jute frames onto a Netty channel. */
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
        channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
        return len;
    }

    /** The shared frame goes out as it is: a wrapper of its array per channel, no copy, no encoding. */
    @Override
    public void writeEvent(WatchEvent event) {
        channel.write(Unpooled.wrappedBuffer(event.frame()), channel.voidPromise());
    }

    @Override
    public void writeRaw(JuteRecord record) {
        int len = record.size();
        byte[] bytes = new byte[4 + len];
        JuteWriter out = JuteWriter.wrap(bytes);
        out.writeInt(len);
        record.write(out);
        channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        ByteBuf empty = Unpooled.EMPTY_BUFFER;
        channel.writeAndFlush(empty).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        channel.close();
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
