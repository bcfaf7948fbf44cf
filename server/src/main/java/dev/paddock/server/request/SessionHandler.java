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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session lifecycle on the request thread: the handshake (new session, or reattach with id and password),
 * closeSession, expiry, lost connections and addauth. Global sessions open and close through the log; local
 * ones ({@code localSessionsEnabled}, and every session of a read-only member) live in this server's tracker
 * only, until an ephemeral needs them global ({@link #ensureGlobal}).
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
    private final ReadOnlyMode readOnlyMode;
    private final LocalSessions local;
    private final LocalSessionUpgrade upgrade;
    /** Connections given a session while read-only; they are closed when the server serves again. */
    private final Set<Connection> readOnlyConnections = new HashSet<>();
    /** Every open connection, with or without a session (four-letter words too), as stat and cons list them. */
    private final Set<Connection> connections = new LinkedHashSet<>();

    /**
     * How new sessions start: {@code enabled} (localSessionsEnabled) makes them local; {@code upgrading}
     * (localSessionsUpgradingEnabled) lets an ephemeral make one global. Only ensemble members have them.
     */
    public record LocalSessions(boolean enabled, boolean upgrading) {
        public static final LocalSessions NONE = new LocalSessions(false, false);
    }

    public SessionHandler(ServerConfig config, StateMachine stateMachine, SessionTracker tracker, WatchManager watches,
                          WritePath writePath, ServerStats stats, Clock clock) {
        this(config, stateMachine, tracker, watches, writePath, stats, clock, ReadOnlyMode.disabled(clock, writePath),
                LocalSessions.NONE);
    }

    public SessionHandler(ServerConfig config, StateMachine stateMachine, SessionTracker tracker, WatchManager watches,
                          WritePath writePath, ServerStats stats, Clock clock, ReadOnlyMode readOnlyMode,
                          LocalSessions local) {
        this.readOnlyMode = readOnlyMode;
        this.local = local;
        this.upgrade = new LocalSessionUpgrade(tracker, writePath, local.upgrading());
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
        return readOnly() ? "read-only" : writePath.mode();
    }

    @Override
    public long upstreamZxid() {
        return writePath.upstreamZxid();
    }

    @Override
    public boolean serving() {
        return writePath.serving() || readOnly();
    }

    /** Whether this member serves read-only clients now (cut off from its quorum, readonlymode.enabled). */
    @Override
    public boolean readOnly() {
        return !writePath.serving() && readOnlyMode.active();
    }

    @Override
    public int localSessionCount() {
        return tracker.localCount();
    }

    @Override
    public boolean localSessionsEnabled() {
        return local.enabled();
    }

    /** Whether this connection's session was given by a read-only member: its writes fail with NotReadOnly. */
    boolean isReadOnly(Connection conn) {
        return readOnlyConnections.contains(conn);
    }

    /**
     * Runs every election tick: times read-only mode, and once the member serves again ends it as ZooKeeper
     * ends its read-only server: every read-only connection is closed and its local sessions are gone, so the
     * clients reconnect as read-write.
     */
    public void observeServingMode() {
        readOnlyMode.observe();
        if (writePath.serving() && !readOnlyConnections.isEmpty()) {
            LOG.info("Serving read-write again: closing {} read-only connections", readOnlyConnections.size());
            for (Connection conn : new ArrayList<>(readOnlyConnections)) {
                close(conn);
            }
            dropLocalSessions();
        }
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
        boolean readOnly = !writePath.serving();
        if (readOnly && !admitReadOnly(conn, req)) {
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
        Boolean readOnlyFlag = req.readOnly() == null ? null : readOnly;
        long sessionId = req.sessionId();
        if (sessionId == 0 && (readOnly || local.enabled())) {
            startLocalSession(conn, timeout, readOnly, readOnlyFlag, receivedAtMs);
            return;
        }
        Boolean readOnlyAnswer = readOnlyFlag;
        if (sessionId == 0) {
            long newId = tracker.newSessionId();
            tracker.add(newId, timeout);
            WritePathFailure.call(() -> writePath.submit(newId, conn.identities(), new CreateSessionRequest(timeout),
                    c -> guarded(conn, () -> {
                        LOG.debug("Established session 0x{} with negotiated timeout {} for client {}",
                                Long.toHexString(newId), timeout, conn.channel().remoteAddress());
                        accept(conn, newId, timeout, readOnlyAnswer);
                        // As ZooKeeper: only a new session is an operation (SESS); a reattached one is not.
                        answered(conn, 0, c.zxid(), OpCode.CREATE_SESSION, receivedAtMs, true);
                    }).run()));
            return;
        } else if (!tracker.isAlive(sessionId)
                || !Arrays.equals(req.password(), SessionTracker.passwordFor(sessionId))) {
            refuseExpired(conn, sessionId, readOnlyFlag);
            return;
        }
        // A ZooKeeper mirror asks the ZooKeeper leader first (REVALIDATE); any other write path answers at once.
        WritePathFailure.call(() -> writePath.revalidate(sessionId, timeout, valid -> guarded(conn, () -> {
            if (valid == null) {
                close(conn);
            } else if (!valid) {
                refuseExpired(conn, sessionId, readOnlyFlag);
            } else {
                reattach(conn, sessionId, timeout, readOnly, readOnlyFlag);
            }
        }).run()));
    }

    private void refuseExpired(Connection conn, long sessionId, Boolean readOnlyFlag) {
        LOG.info("Invalid session 0x{} for client {}, probably expired", Long.toHexString(sessionId),
                conn.channel().remoteAddress());
        conn.writeRaw(new ConnectResponse(0, 0, 0, new byte[16], readOnlyFlag));
        close(conn);
    }

    /** A client back with a live session: its old connection, if any, is stale. */
    private void reattach(Connection conn, long sessionId, int timeout, boolean readOnly, Boolean readOnlyFlag) {
        if (conn.isClosed()) {
            return;
        }
        tracker.touch(sessionId, timeout);
        Connection previous = bySession.get(sessionId);
        if (previous != null && previous != conn) {
            detach(previous);
            previous.channel().close();
        }
        accept(conn, sessionId, timeout, readOnlyFlag);
        if (readOnly) {
            readOnlyConnections.add(conn);
        }
    }

    /** A new session that lives on this server only: no log entry, answered at once. */
    private void startLocalSession(Connection conn, int timeout, boolean readOnly, Boolean readOnlyFlag,
                                   long receivedAtMs) {
        if (readOnly && !local.enabled()) {
            // ZooKeeper's read-only server refuses a global createSession with a reply header carrying
            // NotReadOnly in place of the ConnectResponse; its client cannot read it and tries again.
            conn.writeRaw(new ReplyHeader(0, stateMachine.lastZxid(), ErrorCode.NOT_READ_ONLY.code));
            return;
        }
        long newId = tracker.newSessionId();
        tracker.addLocal(newId, timeout);
        LOG.debug("Established local session 0x{} with negotiated timeout {} for client {}",
                Long.toHexString(newId), timeout, conn.channel().remoteAddress());
        accept(conn, newId, timeout, readOnlyFlag);
        if (readOnly) {
            readOnlyConnections.add(conn);
        }
        answered(conn, 0, stateMachine.lastZxid(), OpCode.CREATE_SESSION, receivedAtMs, true);
    }

    /**
     * Whether a member without a leader gives this client a session: only in read-only mode, only to a client
     * that allows read-only sessions, and never a global session back (it cannot know whether that one still
     * lives), as ZooKeeper's read-only server decides.
     */
    private boolean admitReadOnly(Connection conn, ConnectRequest req) {
        if (!readOnlyMode.active()) {
            return false;
        }
        if (!Boolean.TRUE.equals(req.readOnly())) {
            LOG.info("Refusing session request for not-read-only client {}", conn.channel().remoteAddress());
            return false;
        }
        if (req.sessionId() != 0 && stateMachine.sessions().containsKey(req.sessionId())) {
            LOG.info("Refusing global session reconnection in read-only mode {}", conn.channel().remoteAddress());
            return false;
        }
        return true;
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
        if (tracker.isLocal(sessionId)) {
            // A local session closes here only: nothing else knows it, and it holds no ephemerals.
            tracker.remove(sessionId);
            conn.order().inOrder(guarded(conn, () -> {
                stats.clientResponseSize(conn.reply(new ReplyHeader(xid, stateMachine.lastZxid(), 0), null));
                answered(conn, xid, stateMachine.lastZxid(), OpCode.CLOSE_SESSION, receivedAtMs, true);
                close(conn);
            }));
            return;
        }
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

    /**
     * Runs every tick: sessions past their deadline are closed, global ones through the log (only where expiry
     * is decided: standalone, or the leader), local ones here, by every member.
     */
    public void expireDue() {
        for (long sessionId : writePath.decidesExpiry() ? tracker.expired() : tracker.expiredLocal()) {
            LOG.info("Expiring session 0x{}, timeout of {}ms exceeded", Long.toHexString(sessionId),
                    tracker.get(sessionId) == null ? 0 : tracker.get(sessionId).timeoutMs());
            boolean isLocal = tracker.isLocal(sessionId);
            tracker.remove(sessionId);
            if (!isLocal) {
                writePath.submit(sessionId, List.of(), EmptyRequest.CLOSE_SESSION, null);
            }
            Connection conn = bySession.get(sessionId);
            if (conn != null) {
                close(conn);
            }
        }
    }

    /**
     * Closes every client connection, as a member that lost its leader does; global sessions live on, local
     * ones end (ZooKeeper starts a new session tracker with each role), and read-only mode is timed anew.
     */
    public void closeAllConnections() {
        for (Connection conn : new ArrayList<>(bySession.values())) {
            close(conn);
        }
        dropLocalSessions();
        readOnlyMode.restart();
    }

    private void dropLocalSessions() {
        for (long id : tracker.localSessions()) {
            tracker.remove(id);
        }
    }

    /** Before a write of a local session (see {@link LocalSessionUpgrade}); null: go ahead. */
    ErrorCode ensureGlobal(Connection conn, dev.paddock.wire.proto.Request request) {
        return upgrade.ensureGlobal(conn, request);
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
        readOnlyConnections.remove(conn);
        watches.removeAll(conn);
        if (conn.sessionId() != 0 && bySession.get(conn.sessionId()) == conn) {
            bySession.remove(conn.sessionId());
        }
    }
}
