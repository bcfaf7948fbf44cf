package dev.paddock.server.request;

import dev.paddock.server.auth.IpMatcher;
import dev.paddock.server.fault.ConnectionFaults;
import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.Watcher;
import dev.paddock.wire.Xid;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.WatcherEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection as the request layer sees it: its session once the handshake is done, its
 * identities (the ip identity plus whatever addauth added) and its watches' delivery. Fields other than
 * the counters are touched only on the request thread.
 */
public final class Connection implements Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** ZooKeeper's KeeperState.SyncConnected: watch events are delivered on a connected session. */
    private static final int STATE_SYNC_CONNECTED = 3;

    private final ClientChannel channel;
    private final List<Id> identities = new ArrayList<>(2);
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private long sessionId;
    private int timeoutMs;
    private boolean closed;
    private boolean broken;
    private long lastZxid;

    private final FlushQueue flushQueue;
    private final SessionOrder order = new SessionOrder();
    private boolean awaitingFlush;

    public Connection(ClientChannel channel, FlushQueue flushQueue) {
        this.channel = channel;
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

    void reply(ReplyHeader header, JuteRecord body) {
        if (closed || broken) {
            return;
        }
        sent.incrementAndGet();
        if (header.zxid() > 0) {
            lastZxid = header.zxid();
        }
        write(header, body);
    }

    void writeRaw(JuteRecord record) {
        if (broken) {
            return;
        }
        try {
            channel.writeRaw(record);
            needFlush();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Encoding and writing are this connection's business: a failure there (a reply that does not encode,
     * a channel that throws) closes this connection only, and nothing more is written to it. The network
     * layer then reports the connection lost, which detaches it from its session and watches.
     */
    private void write(ReplyHeader header, JuteRecord body) {
        try {
            channel.write(header, body);
            needFlush();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Closes this connection after an unexpected error in its own handling. Request thread only. */
    void fail(RuntimeException e) {
        if (broken) {
            return;
        }
        broken = true;
        ConnectionFaults.closing(channel.remoteAddress(), "in session 0x" + Long.toHexString(sessionId), e);
        try {
            channel.close();
        } catch (RuntimeException closing) {
            LOG.warn("Closing connection from {} failed too", channel.remoteAddress(), closing);
        }
    }

    /** Whether {@link #fail} closed this connection. */
    boolean broken() {
        return broken;
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
        if (closed || broken) {
            return;
        }
        sent.incrementAndGet();
        write(new ReplyHeader(Xid.NOTIFICATION, zxid, 0), new WatcherEvent(type.code, STATE_SYNC_CONNECTED, path));
    }
}
