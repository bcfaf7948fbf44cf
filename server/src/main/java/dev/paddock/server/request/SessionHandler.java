package dev.paddock.server.request;

import dev.paddock.server.admin.ServerView;
import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.auth.DigestAuth;
import dev.paddock.server.auth.IpMatcher;
import dev.paddock.server.auth.X509Scheme;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.Xid;
import dev.paddock.wire.proto.AuthPacket;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.ConnectResponse;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session lifecycle on the request thread: the handshake (new session, or reattach with id and password),
 * closeSession, expiry, lost connections and addauth. Sessions open and close through the log.
 */
public final class SessionHandler implements ServerView {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final SessionTracker tracker;
    private final WatchManager watches;
    private final WritePath writePath;
    private final ServerStats stats;
    private final Clock clock;
    private final Map<Long, Connection> bySession = new HashMap<>();
    /** Every open connection, with or without a session (four-letter words too), as stat and cons list them. */
    private final Set<Connection> connections = new LinkedHashSet<>();

    public SessionHandler(ServerConfig config, StateMachine stateMachine, SessionTracker tracker, WatchManager watches,
                          WritePath writePath, ServerStats stats, Clock clock) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.tracker = tracker;
        this.watches = watches;
        this.writePath = writePath;
        this.stats = stats;
        this.clock = clock;
    }

    /** A new network connection, before its first packet; it leaves with {@link #connectionLost}. */
    public void opened(Connection conn) {
        if (!conn.isClosed()) {
            conn.opened(clock.monotonicMs());
            connections.add(conn);
        }
    }

    /**
     * Closes connections that have not sent their handshake within {@code zookeeper.nio.sessionlessCnxnTimeout}
     * of being accepted, so connections that send a byte and stall cannot use up the server's file
     * descriptors. ZooKeeper closes such a connection once it has been idle that long (10-20 s by default,
     * its expiry queue's granularity); here the time counts from the accept, whatever trickles in meanwhile.
     * Runs periodically on the request thread.
     */
    public void closeStalledHandshakes(long timeoutMs) {
        long now = clock.monotonicMs();
        List<Connection> stalled = new ArrayList<>();
        for (Connection c : connections) {
            if (c.awaitingHandshake() && now - c.openedAtMs() >= timeoutMs) {
                stalled.add(c);
            }
        }
        for (Connection c : stalled) {
            LOG.info("Closing connection from {}: no handshake within {} ms", c.channel().remoteAddress(), timeoutMs);
            detach(c);
            c.channel().abort();
        }
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public List<Client> clients() {
        List<Client> clients = new ArrayList<>(connections.size());
        for (Connection c : connections) {
            ConnectionStats s = c.stats();
            clients.add(new Client(c.channel().remoteAddress(), c.interestOps(), c.outstanding().get(), s.received(),
                    s.sent(), c.sessionId(), s.lastOp(), s.establishedWallMs(), c.timeoutMs(), s.lastCxid(),
                    s.lastZxid(), s.lastResponseMs(), s.lastLatencyMs(), s.minLatencyMs(), s.avgLatencyMs(),
                    s.maxLatencyMs()));
        }
        return clients;
    }

    @Override
    public int outstandingRequests() {
        int n = 0;
        for (Connection c : connections) {
            n += c.outstanding().get();
        }
        return n;
    }

    @Override
    public void resetConnectionStats() {
        for (Connection c : connections) {
            c.stats().reset();
        }
    }

    @Override
    public String mode() {
        return writePath.mode();
    }

    @Override
    public boolean serving() {
        return writePath.serving();
    }

    /**
     * Wraps one step of one connection's handling (the handshake, a read, building and writing an answer):
     * an unexpected exception there closes that connection only, as ZooKeeper closes a connection whose
     * request it cannot handle, and the server carries on. What fails inside the write path is not the
     * connection's fault: it arrives as a {@link WritePathFailure}, an Error, passes through and stops the
     * process (see {@link RequestLoop}).
     */
    public Runnable guarded(Connection conn, Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                conn.fail(e);
            }
            if (conn.broken()) {
                // Failed here, or writing its answer (Connection fails itself): detach it now rather than
                // when the network reports the close.
                detach(conn);
            }
        };
    }

    /** The handshake; a new session goes through the write path. */
    public void connect(Connection conn, ConnectRequest req) {
        guarded(conn, () -> handshake(conn, req)).run();
    }

    private void handshake(Connection conn, ConnectRequest req) {
        conn.handshakeSeen();
        long receivedAtMs = clock.monotonicMs();
        stats.connectionRequest();
        conn.countReceived();
        if (!writePath.serving()) {
            // Like a ZooKeeper member without a leader: not running, so the client tries another server.
            close(conn);
            return;
        }
        if (req.lastZxidSeen() > stateMachine.lastZxid()) {
            LOG.info("Refusing session request for client {} as it has seen zxid 0x{} our last zxid is 0x{}"
                            + " client must try another server", conn.channel().remoteAddress(),
                    Long.toHexString(req.lastZxidSeen()), Long.toHexString(stateMachine.lastZxid()));
            close(conn);
            return;
        }
        int timeout = Math.max(config.minSessionTimeoutMs(), Math.min(config.maxSessionTimeoutMs(), req.timeoutMs()));
        Boolean readOnly = req.readOnly() == null ? null : Boolean.FALSE;
        long sessionId = req.sessionId();
        if (sessionId == 0) {
            long newId = tracker.newSessionId();
            tracker.add(newId, timeout);
            WritePathFailure.call(() -> writePath.submit(newId, conn.identities(), new CreateSessionRequest(timeout),
                    c -> guarded(conn, () -> {
                        LOG.debug("Established session 0x{} with negotiated timeout {} for client {}",
                                Long.toHexString(newId), timeout, conn.channel().remoteAddress());
                        accept(conn, newId, timeout, readOnly);
                        // As ZooKeeper: only a new session is an operation (SESS); a reattached one is not.
                        answered(conn, 0, c.zxid(), OpCode.CREATE_SESSION, receivedAtMs, true);
                    }).run()));
            return;
        } else if (!tracker.isAlive(sessionId)
                || !Arrays.equals(req.password(), SessionTracker.passwordFor(sessionId))) {
            LOG.info("Invalid session 0x{} for client {}, probably expired", Long.toHexString(sessionId),
                    conn.channel().remoteAddress());
            conn.writeRaw(new ConnectResponse(0, 0, 0, new byte[16], readOnly));
            close(conn);
            return;
        } else {
            tracker.touch(sessionId, timeout);
            Connection previous = bySession.get(sessionId);
            if (previous != null && previous != conn) {
                // The client moved to a new connection; the old one is stale.
                detach(previous);
                previous.channel().close();
            }
        }
        accept(conn, sessionId, timeout, readOnly);
    }

    private void accept(Connection conn, long sessionId, int timeout, Boolean readOnly) {
        if (conn.isClosed()) {
            return;
        }
        conn.bind(sessionId, timeout);
        bySession.put(sessionId, conn);
        conn.writeRaw(new ConnectResponse(0, timeout, sessionId, SessionTracker.passwordFor(sessionId), readOnly));
    }

    /** The client's closeSession: through the log, then answer and hang up. */
    public void closeSession(Connection conn, int xid, long receivedAtMs) {
        long sessionId = conn.sessionId();
        tracker.remove(sessionId);
        SessionOrder.Slot slot = conn.order().reserve();
        WritePathFailure.call(() -> writePath.submit(sessionId, conn.identities(), EmptyRequest.CLOSE_SESSION,
                c -> slot.complete(guarded(conn, () -> {
                    stats.clientResponseSize(conn.reply(new ReplyHeader(xid, c.zxid(), 0), null));
                    answered(conn, xid, c.zxid(), OpCode.CLOSE_SESSION, receivedAtMs, true);
                    close(conn);
                }))));
    }

    /** The statistics of one answered request: the server's (srvr, mntr) and the connection's (cons). */
    void answered(Connection conn, int xid, long zxid, OpCode op, long receivedAtMs, boolean update) {
        long nowMs = clock.monotonicMs();
        stats.latency(Math.max(0, nowMs - receivedAtMs), update);
        conn.stats().answered(xid, zxid, ConnectionStats.opName(op.code), receivedAtMs, nowMs);
    }

    /** Runs every tick: sessions past their deadline are closed through the log. */
    public void expireDue() {
        if (!writePath.decidesExpiry()) {
            return;
        }
        for (long sessionId : tracker.expired()) {
            LOG.info("Expiring session 0x{}, timeout of {}ms exceeded", Long.toHexString(sessionId),
                    tracker.get(sessionId) == null ? 0 : tracker.get(sessionId).timeoutMs());
            tracker.remove(sessionId);
            writePath.submit(sessionId, List.of(), EmptyRequest.CLOSE_SESSION, null);
            Connection conn = bySession.get(sessionId);
            if (conn != null) {
                close(conn);
            }
        }
    }

    /** Closes every client connection, as a member that lost its leader does; sessions live on. */
    public void closeAllConnections() {
        for (Connection conn : new ArrayList<>(bySession.values())) {
            close(conn);
        }
    }

    /** The network connection went away; the session lives on until it expires or the client returns. */
    public void connectionLost(Connection conn) {
        detach(conn);
    }

    /** The client's TLS certificate names it: x509:&lt;subject DN&gt;, and super for the x509 super user. */
    public void authenticatedByCertificate(Connection conn, String subjectDn) {
        conn.addIdentity(new Id(X509Scheme.SCHEME, subjectDn));
        if (subjectDn.equals(config.tls().x509SuperUser())) {
            conn.addIdentity(new Id(AclChecker.SUPER_SCHEME, subjectDn));
        }
    }

    public void addAuth(Connection conn, AuthPacket auth) {
        if (IpMatcher.SCHEME.equals(auth.scheme())) {
            // As in ZooKeeper, "ip" authenticates as the connection's real address, which it already has.
            conn.reply(new ReplyHeader(Xid.AUTH, 0, ErrorCode.OK.code), null);
            return;
        }
        if (DigestAuth.SCHEME.equals(auth.scheme()) && auth.auth() != null) {
            String digest = DigestAuth.digestOf(new String(auth.auth(), StandardCharsets.UTF_8));
            if (digest.equals(config.superDigest())) {
                conn.addIdentity(new Id(AclChecker.SUPER_SCHEME, ""));
            }
            conn.addIdentity(new Id(DigestAuth.SCHEME, digest));
            conn.reply(new ReplyHeader(Xid.AUTH, 0, ErrorCode.OK.code), null);
            return;
        }
        LOG.warn("No authentication provider for scheme {} from {}", auth.scheme(), conn.channel().remoteAddress());
        conn.reply(new ReplyHeader(Xid.AUTH, 0, ErrorCode.AUTH_FAILED.code), null);
        close(conn);
    }

    /** Closes a connection whose client broke a rule of the protocol; its session lives on. */
    void dropConnection(Connection conn) {
        close(conn);
    }

    private void close(Connection conn) {
        detach(conn);
        if (!conn.broken()) {
            conn.channel().close();
        }
    }

    private void detach(Connection conn) {
        if (conn.isClosed()) {
            return;
        }
        conn.markClosed();
        connections.remove(conn);
        watches.removeAll(conn);
        if (conn.sessionId() != 0 && bySession.get(conn.sessionId()) == conn) {
            bySession.remove(conn.sessionId());
        }
    }
}
