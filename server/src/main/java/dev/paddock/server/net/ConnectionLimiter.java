package dev.paddock.server.net;

import dev.paddock.server.stats.ServerStats;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * maxClientCnxns: at most that many concurrent connections per client address, and maxCnxns: at most that
 * many in all (0 means no limit for either), as ZooKeeper counts them.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxPerAddress;
    private final int maxTotal;
    private final ServerStats stats;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    ConnectionLimiter(int maxPerAddress, ServerStats stats) {
        this(maxPerAddress, 0, stats);
    }

    ConnectionLimiter(int maxPerAddress, int maxTotal, ServerStats stats) {
        this.maxPerAddress = maxPerAddress;
        this.maxTotal = maxTotal;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int count = counts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        int all = total.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> release(address));
        if (maxTotal > 0 && all > maxTotal) {
            LOG.error("Too many connections {} - max is {}", all - 1, maxTotal);
            stats.connectionRejected();
            ctx.close();
            return;
        }
        if (maxPerAddress > 0 && count > maxPerAddress) {
            LOG.warn("Too many connections from {} - max is {}", address, maxPerAddress);
            stats.connectionRejected();
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    private void release(InetAddress address) {
        total.decrementAndGet();
        counts.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    int total() {
        int n = 0;
        for (AtomicInteger c : counts.values()) {
            n += c.get();
        }
        return n;
    }
}
