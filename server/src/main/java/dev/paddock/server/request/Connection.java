package dev.paddock.server.request;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.auth.AuthInfo;
import dev.paddock.server.auth.IpMatcher;
import dev.paddock.server.fault.ConnectionFaults;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.WatchEvent;
import dev.paddock.server.watch.Watcher;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import javax.security.sasl.SaslServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection as the request layer sees it: its session once the handshake is done, its
 * identities (the ip identity plus whatever addauth added) and its watches' delivery. Fields other than
 * the counters are touched only on the request thread.
 */
public final class Connection implements Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /**
     * ZooKeeper's default globalOutstandingLimit, also applied per connection: with this many requests not yet
     * ended the connection stops reading, and reads again once half of them have ended.
     */
    public static final int MAX_OUTSTANDING = 1000;

    private final ClientChannel channel;
    private final AuthInfo identities = new AuthInfo();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ConnectionStats stats;
    private long sessionId;
    /** Volatile: the request throttle's thread reads it (ZooKeeper's stale latency check). */
    private volatile int timeoutMs;
    private boolean closed;
    /** The network connection closed (ZooKeeper's stale), or a request of it was dropped (ZooKeeper's invalid). */
    private volatile boolean gone;
    private volatile boolean invalid;
    /** Tickets the request thread holds for this connection (see {@link InFlight}); request thread only. */
    private int tickets;
    private boolean ticketsEnded;
    private InFlight inFlight;
    private boolean broken;
    private long lastZxid;

    private final FlushQueue flushQueue;
    private final SessionOrder order = new SessionOrder();
    private boolean awaitingFlush;
    private volatile boolean fourLetterWord;
    /** This connection's SASL exchange, created by its first sasl request (request thread only). */
    private SaslServer saslServer;
    /** When the request thread learnt of this connection (monotonic), and whether its handshake arrived. */
    private long openedAtMs;
    private boolean handshakeSeen;

    public Connection(ClientChannel channel, FlushQueue flushQueue) {
        this(channel, flushQueue, 0, new ServerStats());
    }

    /**
     * {@code establishedWallMs}: when the connection was accepted, as cons shows it ({@code est}). Every
     * packet counted here counts in {@code serverStats} too (srvr's Received and Sent), as in ZooKeeper.
     */
    public Connection(ClientChannel channel, FlushQueue flushQueue, long establishedWallMs, ServerStats serverStats) {
        this.channel = channel;
        this.flushQueue = flushQueue;
        this.stats = new ConnectionStats(establishedWallMs, serverStats);
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

    /** The identities in the order ZooKeeper lists them (see {@link AuthInfo}); an immutable snapshot. */
    public List<Id> identities() {
        return identities.list();
    }

    void addIdentity(Id id) {
        identities.add(id);
    }

    void opened(long nowMs) {
        openedAtMs = nowMs;
    }

    long openedAtMs() {
        return openedAtMs;
    }

    void handshakeSeen() {
        handshakeSeen = true;
    }

    boolean awaitingHandshake() {
        return !handshakeSeen && !fourLetterWord;
    }

    SaslServer saslServer() {
        return saslServer;
    }

    void saslServer(SaslServer server) {
        saslServer = server;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Detached from its session: ends the tickets of every request of it still in hand (see {@link InFlight}). */
    void markClosed() {
        closed = true;
        if (!ticketsEnded) {
            ticketsEnded = true;
            if (inFlight != null) {
                inFlight.ended(tickets);
            }
            tickets = 0;
        }
    }

    /**
     * The request thread takes one request of this connection in hand: counted here until it ends, or ended at
     * once when the connection is already detached.
     */
    void adopt(Ticket ticket) {
        if (closed) {
            ticket.end();
            return;
        }
        inFlight = ticket.owner();
        ticket.adopted();
        tickets++;
    }

    /** One adopted ticket ended; false when the connection's tickets were already ended in bulk. */
    boolean ticketEnded() {
        if (ticketsEnded) {
            return false;
        }
        tickets--;
        return true;
    }

    /** Adopted tickets not yet ended (tests of the accounting). */
    int ticketsHeld() {
        return tickets;
    }

    /**
     * A request of this connection ended: one fewer outstanding; a connection paused for having too many reads
     * again once half of them have ended.
     */
    void requestEnded() {
        if (outstanding.decrementAndGet() == MAX_OUTSTANDING / 2) {
            channel.resumeReading();
        }
    }

    /** The network connection closed (any thread). */
    public void markGone() {
        gone = true;
    }

    public boolean isGone() {
        return gone;
    }

    /** ZooKeeper's setInvalid: a request of this connection was dropped, so every later one is dropped too. */
    public void invalidate() {
        invalid = true;
    }

    public boolean isInvalid() {
        return invalid;
    }

    /** Requests received but not yet answered; the network layer stops reading when there are too many. */
    public AtomicInteger outstanding() {
        return outstanding;
    }

    public long receivedCount() {
        return stats.received();
    }

    public long sentCount() {
        return stats.sent();
    }

    public ConnectionStats stats() {
        return stats;
    }

    /** This connection carried a four-letter word: it is answered and closed, and reads nothing more. */
    public void markFourLetterWord() {
        fourLetterWord = true;
    }

    public boolean isFourLetterWord() {
        return fourLetterWord;
    }

    /**
     * What ZooKeeper's NIO server shows between brackets in stat and cons, its selection key's interest:
     * 1 (read) while the connection reads, 0 once it is paused (too many requests outstanding) or carries
     * a four-letter word.
     */
    public int interestOps() {
        return fourLetterWord || !channel.reading() ? 0 : 1;
    }

    public long lastZxid() {
        return lastZxid;
    }

    /** A packet received: a request, a handshake or a four-letter word. */
    public void countReceived() {
        stats.countReceived();
    }

    /** A four-letter word's answer left (ZooKeeper counts it as a packet sent). */
    public void countSent() {
        stats.countSent();
    }

    /** Queues a reply; returns its size in bytes without the length prefix (0 when nothing was written). */
    int reply(ReplyHeader header, JuteRecord body) {
        if (closed || broken) {
            return 0;
        }
        stats.countSent();
        if (header.zxid() > 0) {
            lastZxid = header.zxid();
        }
        return write(header, body);
    }

    void writeRaw(JuteRecord record) {
        if (broken) {
            return;
        }
        try {
            channel.writeRaw(record);
            stats.countSent();
            needFlush();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /**
     * The client is not reading what it is sent (its watch events pile up, or it pipelines more than it
     * reads): past the connection's bound on queued bytes it is closed at once, dropping what is queued, so
     * it cannot fill the server's memory. Its session lives on; the client reconnects and sets its watches
     * again, learning of what changed meanwhile as after any reconnection.
     */
    private void checkQueued() {
        if (!broken && channel.overloaded()) {
            broken = true;
            LOG.warn("Closing connection from {} (session 0x{}): more bytes queued than maxClientQueuedBytes; the "
                    + "client is not reading its socket", channel.remoteAddress(), Long.toHexString(sessionId));
            channel.abort();
        }
    }

    /**
     * Encoding and writing are this connection's business: a failure there (a reply that does not encode,
     * a channel that throws) closes this connection only, and nothing more is written to it. The network
     * layer then reports the connection lost, which detaches it from its session and watches.
     */
    private int write(ReplyHeader header, JuteRecord body) {
        try {
            int bytes = channel.write(header, body);
            needFlush();
            checkQueued();
            return bytes;
        } catch (RuntimeException e) {
            fail(e);
            return 0;
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

    /** Whether {@link #fail} or the bound on queued bytes closed this connection. */
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
    public boolean mayRead(List<Acl> acl) {
        return AclChecker.permitted(acl, Acl.READ, identities.list());
    }

    @Override
    public void sendEvent(EventType type, String path, long zxid) {
        sendEvent(new WatchEvent(type, path, zxid));
    }

    /** Sends the event's shared frame (see {@link WatchEvent}); a failure closes this connection only. */
    @Override
    public void sendEvent(WatchEvent event) {
        if (closed || broken) {
            return;
        }
        stats.countSent();
        try {
            channel.writeEvent(event);
            needFlush();
            checkQueued();
        } catch (RuntimeException e) {
            fail(e);
        }
    }
}
