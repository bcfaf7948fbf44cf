package dev.paddock.server.request;

import dev.paddock.server.auth.IpMatcher;
import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.Watcher;
import dev.paddock.wire.Xid;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.WatcherEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client connection as the request layer sees it: its session once the handshake is done, its
 * identities (the ip identity plus whatever addauth added) and its watches' delivery. Fields other than
 * the counters are touched only on the request thread.
 */
public final class Connection implements Watcher {
    /** ZooKeeper's KeeperState.SyncConnected: watch events are delivered on a connected session. */
    private static final int STATE_SYNC_CONNECTED = 3;

    private final ClientChannel channel;
    private final List<Id> identities = new ArrayList<>(2);
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final long connectedAtMs;
    private long sessionId;
    private int timeoutMs;
    private boolean closed;
    private long lastZxid;

    private final FlushQueue flushQueue;
    private final SessionOrder order = new SessionOrder();
    private boolean awaitingFlush;

    public Connection(ClientChannel channel, long connectedAtMs, FlushQueue flushQueue) {
        this.channel = channel;
        this.connectedAtMs = connectedAtMs;
        this.flushQueue = flushQueue;
        identities.add(new Id(IpMatcher.SCHEME, channel.remoteIp()));
    }

    SessionOrder order() {
        return order;
    }

    public ClientChannel channel() {
        return channel;
    }

    public long sessionId() {
        return sessionId;
    }

    void bind(long sessionId, int timeoutMs) {
        this.sessionId = sessionId;
        this.timeoutMs = timeoutMs;
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    public List<Id> identities() {
        return identities;
    }

    void addIdentity(Id id) {
        if (!identities.contains(id)) {
            identities.add(id);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    public long connectedAtMs() {
        return connectedAtMs;
    }

    /** Requests received but not yet answered; the network layer stops reading when there are too many. */
    public AtomicInteger outstanding() {
        return outstanding;
    }

    public long receivedCount() {
        return received.get();
    }

    public long sentCount() {
        return sent.get();
    }

    public long lastZxid() {
        return lastZxid;
    }

    void countReceived() {
        received.incrementAndGet();
    }

    void reply(ReplyHeader header, dev.paddock.wire.jute.JuteRecord body) {
        if (closed) {
            return;
        }
        sent.incrementAndGet();
        if (header.zxid() > 0) {
            lastZxid = header.zxid();
        }
        channel.write(header, body);
        needFlush();
    }

    void writeRaw(dev.paddock.wire.jute.JuteRecord record) {
        channel.writeRaw(record);
        needFlush();
    }

    private void needFlush() {
        if (!awaitingFlush) {
            awaitingFlush = true;
            flushQueue.add(this);
        }
    }

    void flushed() {
        awaitingFlush = false;
    }

    @Override
    public void sendEvent(EventType type, String path, long zxid) {
        if (closed) {
            return;
        }
        sent.incrementAndGet();
        channel.write(new ReplyHeader(Xid.NOTIFICATION, zxid, 0), new WatcherEvent(type.code, STATE_SYNC_CONNECTED, path));
        needFlush();
    }
}
