package dev.paddock.server.request;

import dev.paddock.server.auth.DigestAuth;
import dev.paddock.server.auth.SaslLogin;
import dev.paddock.server.auth.SaslScheme;
import dev.paddock.server.auth.X509Scheme;
import dev.paddock.server.config.AuthConfig;
import dev.paddock.server.auth.IpMatcher;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.tree.KeeperError;
import dev.paddock.server.tree.Reads;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.WritePolicy;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.server.tree.ConfigChange;
import dev.paddock.wire.proto.ReconfigRequest;
import dev.paddock.wire.proto.AuthPacket;
import dev.paddock.wire.proto.ClientInfo;
import dev.paddock.wire.proto.ErrorResponse;
import dev.paddock.wire.proto.GetChildren2Response;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.IntResponse;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.MultiResult;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathResponse;
import dev.paddock.wire.proto.PathWatchRequest;
import dev.paddock.wire.Xid;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import dev.paddock.wire.proto.SaslRequest;
import dev.paddock.wire.proto.SetWatches2Request;
import dev.paddock.wire.proto.SetWatchesRequest;
import dev.paddock.wire.proto.Stat;
import dev.paddock.wire.proto.StatResponse;
import dev.paddock.wire.proto.StringListResponse;
import dev.paddock.wire.proto.WatchModeRequest;
import dev.paddock.wire.proto.WhoAmIResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers one client request on the request thread: writes go through the {@link WritePath}, reads are
 * served from the local tree (after every earlier write of the session, because the thread is in order),
 * and watches are registered as ZooKeeper registers them.
 */
public final class RequestHandler {
    private final StateMachine stateMachine;
    private final Reads reads;
    private final WatchManager watches;
    private final SessionTracker tracker;
    private final SessionHandler sessions;
    private final WritePath writePath;
    private final ServerStats stats;
    private final boolean reconfigEnabled;
    private final AuthConfig auth;
    private final SaslExchange sasl;
    private final AuthEnforcement enforcement;
    private final WritePolicy policy;
    private final InFlight inFlight = new InFlight();
    private final WatchRestore watchRestore;

    public RequestHandler(StateMachine stateMachine, WatchManager watches, SessionTracker tracker,
                          SessionHandler sessions, WritePath writePath, ServerStats stats) {
        this(stateMachine, watches, tracker, sessions, writePath, stats, false, AuthConfig.none(), null,
                WritePolicy.DEFAULT);
    }

    /**
     * @param reconfigEnabled zoo.cfg's {@code reconfigEnabled}; decides how a reconfig request is refused
     * @param auth            the authentication settings (SASL, enforced schemes)
     * @param saslLogin       the server's SASL users, or null when it has no SASL
     * @param policy          {@code zookeeper.enforceQuota} and {@code zookeeper.skipACL}: written into each write's
     *                        entry and applied to reads
     */
    public RequestHandler(StateMachine stateMachine, WatchManager watches, SessionTracker tracker,
                          SessionHandler sessions, WritePath writePath, ServerStats stats, boolean reconfigEnabled,
                          AuthConfig auth, SaslLogin saslLogin, WritePolicy policy) {
        this.reconfigEnabled = reconfigEnabled;
        this.policy = policy;
        this.auth = auth;
        this.sasl = new SaslExchange(saslLogin, auth, sessions, stats);
        this.enforcement = new AuthEnforcement(auth.enforcedSchemes(), sessions, stats);
        this.stateMachine = stateMachine;
        this.reads = new Reads(stateMachine.tree());
        this.watches = watches;
        this.watchRestore = new WatchRestore(stateMachine, watches);
        this.tracker = tracker;
        this.sessions = sessions;
        this.writePath = writePath;
        this.stats = stats;
    }

    /** The server-wide count of requests in process, which this handler ends (see {@link InFlight}). */
    public InFlight inFlight() {
        return inFlight;
    }

    /**
     * Runs one request's handling with its ticket: adopted by its connection, given to the place the request
     * takes in the connection's order, or ended here when it takes none (see {@link SessionOrder}).
     */
    private void withTicket(Connection conn, Ticket ticket, Runnable handling) {
        conn.adopt(ticket);
        if (ticket.isEnded()) {
            return; // its connection was detached before the request got here
        }
        conn.order().begin(ticket);
        try {
            handling.run();
        } finally {
            conn.order().finish();
        }
    }

    /** A request received outside the network layer (tests): counted as the network layer counts it. */
    private Ticket ticketFor(Connection conn) {
        conn.outstanding().incrementAndGet();
        return inFlight.open(conn);
    }

    /** A request whose opcode the server does not serve; the connection stays open, as in ZooKeeper. */
    public void unimplemented(Connection conn, RequestHeader header, long receivedAtMs) {
        unimplemented(conn, header, receivedAtMs, ticketFor(conn));
    }

    public void unimplemented(Connection conn, RequestHeader header, long receivedAtMs, Ticket ticket) {
        withTicket(conn, ticket, () -> unimplementedNow(conn, header, receivedAtMs));
    }

    private void unimplementedNow(Connection conn, RequestHeader header, long receivedAtMs) {
        if (!conn.isClosed()) {
            conn.countReceived();
            if (!enforcement.admit(conn, header.xid())) {
                return;
            }
            conn.order().inOrder(sessions.guarded(conn, () -> {
                // ZooKeeper answers an unknown request type, then drops the connection.
                answer(conn, header, stateMachine.lastZxid(), ErrorCode.UNIMPLEMENTED, null, receivedAtMs);
                sessions.connectionLost(conn);
                conn.channel().close();
            }));
        }
    }

    /**
     * One decoded request, on the request thread. Everything done for the connection runs under
     * {@link SessionHandler#guarded} (an unexpected exception closes this connection only); the calls into
     * the write path do not (a failure there stops the process).
     */
    public void handle(Connection conn, RequestHeader header, Request request, long receivedAtMs) {
        handle(conn, header, request, receivedAtMs, ticketFor(conn));
    }

    /** {@link #handle(Connection, RequestHeader, Request, long)} of a request the network layer counted. */
    public void handle(Connection conn, RequestHeader header, Request request, long receivedAtMs, Ticket ticket) {
        withTicket(conn, ticket, () -> {
            if (conn.isClosed()) {
                return;
            }
            conn.countReceived();
            sessions.guarded(conn, () -> dispatch(conn, header, request, receivedAtMs, ticket.throttled())).run();
        });
    }

    /** {@code throttled}: it waited for the request throttle past throttled_op_wait_time, answered ThrottledOp. */
    private void dispatch(Connection conn, RequestHeader header, Request request, long receivedAtMs,
                          boolean throttled) {
        OpCode op = request.opCode();
        if (op != OpCode.AUTH && op != OpCode.SASL && !enforcement.admit(conn, header.xid())) {
            return;
        }
        if (!tracker.touch(conn.sessionId())) {
            answer(conn, header, stateMachine.lastZxid(), ErrorCode.SESSION_EXPIRED, null, receivedAtMs);
            sessions.connectionLost(conn);
            conn.channel().close();
            return;
        }
        ErrorCode rejected = throttled ? ErrorCode.THROTTLED_OP : refusal(conn, request);
        if (rejected != null) {
            conn.order().inOrder(sessions.guarded(conn, () -> answer(conn, header, stateMachine.lastZxid(),
                    rejected, null, receivedAtMs)));
            return;
        }
        switch (op) {
            case CLOSE_SESSION -> sessions.closeSession(conn, header.xid(), receivedAtMs);
            case SYNC -> {
                // Answered once this server has applied everything the ensemble had committed.
                SessionOrder.Slot slot = conn.order().reserve();
                String path = ((PathRequest) request).path();
                WritePathFailure.call(() -> writePath.sync(conn.sessionId(), () -> slot.complete(sessions.guarded(conn, () ->
                        answer(conn, header, stateMachine.lastZxid(), ErrorCode.OK, new PathResponse(path),
                                receivedAtMs)))));
            }
            // After the session check, ZooKeeper's standalone server answers Unimplemented; a member resolves
            // the request at the leader (ensemble.Reconfigurations), which logs the outcome either way.
            case RECONFIG -> {
                // ZooKeeper 3.9.5 checks reconfigEnabled first (a caller without the permission also gets
                // ReconfigDisabled), then, on a standalone server, answers Unimplemented; the connection stays open.
                if (!reconfigEnabled || !writePath.reconfigurable()) {
                    ErrorCode refusal = reconfigEnabled ? ErrorCode.UNIMPLEMENTED : ErrorCode.RECONFIG_DISABLED;
                    conn.order().inOrder(sessions.guarded(conn, () -> answer(conn, header, stateMachine.lastZxid(),
                            refusal, null, receivedAtMs)));
                    return;
                }
                SessionOrder.Slot slot = conn.order().reserve();
                WritePathFailure.call(() -> writePath.submit(conn.sessionId(), policy.apply(conn.identities()),
                        ConfigChange.asked((ReconfigRequest) request),
                        c -> slot.complete(sessions.guarded(conn, () -> answer(conn, header, c.zxid(),
                                c.result().error(), c.result().response(), receivedAtMs)))));
            }
            case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL, DELETE, SET_DATA, SET_ACL, MULTI -> {
                SessionOrder.Slot slot = conn.order().reserve();
                WritePathFailure.call(() -> writePath.submit(conn.sessionId(), policy.apply(conn.identities()), request,
                        c -> slot.complete(sessions.guarded(conn, () -> {
                            QuotaRefusals.count(request, c.result(), stats);
                            answer(conn, header, c.zxid(), c.result().error(), c.result().response(), receivedAtMs);
                        }))));
            }
            default -> conn.order().inOrder(sessions.guarded(conn,
                    () -> handleInOrder(conn, header, request, receivedAtMs)));
        }
    }

    /** Requests answered from local state, once every earlier write of the connection is applied. */
    private void handleInOrder(Connection conn, RequestHeader header, Request request, long receivedAtMs) {
        if (conn.isClosed()) {
            return;
        }
        switch (request.opCode()) {
            case PING -> {
                // ZooKeeper answers every ping with the ping xid (-2), whatever xid the request carried.
                stats.clientResponseSize(conn.reply(new ReplyHeader(Xid.PING, stateMachine.lastZxid(),
                        ErrorCode.OK.code), null));
                sessions.answered(conn, header.xid(), stateMachine.lastZxid(), OpCode.PING, receivedAtMs, false);
            }
            case AUTH -> sessions.addAuth(conn, (AuthPacket) request);
            case SET_WATCHES -> {
                SetWatchesRequest r = (SetWatchesRequest) request;
                ErrorCode err = watchRestore.apply(conn, r.relativeZxid(), r.dataWatches(), r.existWatches(), r.childWatches(),
                        List.of(), List.of());
                answer(conn, header, stateMachine.lastZxid(), err, null, receivedAtMs);
            }
            case SET_WATCHES2 -> {
                SetWatches2Request r = (SetWatches2Request) request;
                ErrorCode err = watchRestore.apply(conn, r.relativeZxid(), r.dataWatches(), r.existWatches(), r.childWatches(),
                        r.persistentWatches(), r.persistentRecursiveWatches());
                answer(conn, header, stateMachine.lastZxid(), err, null, receivedAtMs);
            }
            case SASL -> sasl.handle(conn, header.xid(), ((SaslRequest) request).token());
            default -> {
                ErrorCode err = ErrorCode.OK;
                JuteRecord body = null;
                try {
                    body = read(conn, request);
                } catch (KeeperError e) {
                    err = e.code();
                }
                answer(conn, header, stateMachine.lastZxid(), err, body, receivedAtMs);
            }
        }
    }

    private JuteRecord read(Connection conn, Request request) throws KeeperError {
        List<Id> ids = policy.apply(conn.identities());
        switch (request.opCode()) {
            case EXISTS -> {
                PathWatchRequest r = (PathWatchRequest) request;
                Stat stat = reads.exists(r.path(), ids);
                if (r.watch()) {
                    // As in ZooKeeper, exists on a missing node still leaves a watch for its creation.
                    watches.addDataWatch(r.path(), conn);
                }
                if (stat == null) {
                    throw new KeeperError(ErrorCode.NO_NODE);
                }
                return new StatResponse(stat);
            }
            case GET_DATA -> {
                PathWatchRequest r = (PathWatchRequest) request;
                JuteRecord body = reads.getData(r.path(), ids);
                if (r.watch()) {
                    watches.addDataWatch(r.path(), conn);
                }
                return body;
            }
            case GET_CHILDREN -> {
                PathWatchRequest r = (PathWatchRequest) request;
                List<String> children = reads.getChildren(r.path(), ids);
                if (r.watch()) {
                    watches.addChildWatch(r.path(), conn);
                }
                return new StringListResponse(children);
            }
            case GET_CHILDREN2 -> {
                PathWatchRequest r = (PathWatchRequest) request;
                GetChildren2Response body = reads.getChildren2(r.path(), ids);
                if (r.watch()) {
                    watches.addChildWatch(r.path(), conn);
                }
                return body;
            }
            case GET_ACL -> {
                return reads.getAcl(((PathRequest) request).path(), ids);
            }
            case GET_ALL_CHILDREN_NUMBER -> {
                return new IntResponse(reads.allChildrenNumber(((PathRequest) request).path(), ids));
            }
            case GET_EPHEMERALS -> {
                return new StringListResponse(reads.ephemerals(conn.sessionId(), ((PathRequest) request).path()));
            }
            case WHO_AM_I -> {
                return new WhoAmIResponse(clientInfos(ids));
            }
            case MULTI_READ -> {
                return multiRead(conn, (MultiRequest) request);
            }
            case CHECK_WATCHES -> {
                WatchModeRequest r = (WatchModeRequest) request;
                requireWatcherType(r.mode());
                if (!watches.contains(r.path(), conn, r.mode())) {
                    throw new KeeperError(ErrorCode.NO_WATCHER);
                }
                return null;
            }
            case REMOVE_WATCHES -> {
                WatchModeRequest r = (WatchModeRequest) request;
                requireWatcherType(r.mode());
                if (!watches.remove(r.path(), conn, r.mode())) {
                    throw new KeeperError(ErrorCode.NO_WATCHER);
                }
                return null;
            }
            case ADD_WATCH -> {
                WatchModeRequest r = (WatchModeRequest) request;
                if (!watches.addPersistentWatch(r.path(), conn, r.mode())) {
                    // ZooKeeper fails to decode an unknown mode, hence MarshallingError.
                    throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
                }
                return new ErrorResponse(0);
            }
            default -> throw new KeeperError(ErrorCode.UNIMPLEMENTED);
        }
    }

    /** An unknown WatcherType cannot be decoded by ZooKeeper, which answers MarshallingError. */
    private static void requireWatcherType(int type) throws KeeperError {
        if (type < WatchManager.TYPE_CHILDREN || type > WatchManager.TYPE_PERSISTENT_RECURSIVE) {
            throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        }
    }

    /** A known opcode whose body did not decode: answered MarshallingError; the connection stays open. */
    public void undecodable(Connection conn, RequestHeader header, long receivedAtMs) {
        undecodable(conn, header, receivedAtMs, ticketFor(conn));
    }

    public void undecodable(Connection conn, RequestHeader header, long receivedAtMs, Ticket ticket) {
        withTicket(conn, ticket, () -> undecodableNow(conn, header, receivedAtMs));
    }

    private void undecodableNow(Connection conn, RequestHeader header, long receivedAtMs) {
        if (!conn.isClosed()) {
            conn.countReceived();
            OpCode op = OpCode.of(header.type());
            if (op != OpCode.AUTH && op != OpCode.SASL && !enforcement.admit(conn, header.xid())) {
                return;
            }
            conn.order().inOrder(sessions.guarded(conn, () -> answer(conn, header, stateMachine.lastZxid(),
                    ErrorCode.MARSHALLING_ERROR, null, receivedAtMs)));
        }
    }

    /** Only getData and getChildren with a path get here (see {@link RequestChecks}). */
    private MultiResponse multiRead(Connection conn, MultiRequest multi) {
        List<MultiResult> results = new ArrayList<>(multi.ops().size());
        for (Request op : multi.ops()) {
            try {
                PathWatchRequest r = (PathWatchRequest) op;
                if (op.opCode() == OpCode.GET_CHILDREN) {
                    results.add(MultiResult.ok(OpCode.GET_CHILDREN,
                            new StringListResponse(reads.getChildren(r.path(), policy.apply(conn.identities())))));
                } else {
                    results.add(MultiResult.ok(OpCode.GET_DATA, reads.getData(r.path(), policy.apply(conn.identities()))));
                }
            } catch (KeeperError e) {
                results.add(MultiResult.error(e.code().code));
            }
        }
        return new MultiResponse(results);
    }

    /** As ZooKeeper's whoAmI: the user its provider names, "" where the scheme has no provider. */
    private List<ClientInfo> clientInfos(List<Id> ids) {
        List<ClientInfo> infos = new ArrayList<>(ids.size());
        for (Id id : ids) {
            String user = switch (id.scheme()) {
                case DigestAuth.SCHEME -> DigestAuth.userOf(id.id());
                case IpMatcher.SCHEME -> id.id();
                case SaslScheme.SCHEME -> auth.saslProvider() ? id.id() : "";
                case X509Scheme.SCHEME -> id.id();
                default -> "";
            };
            infos.add(new ClientInfo(id.scheme(), user));
        }
        return infos;
    }

    private void answer(Connection conn, RequestHeader header, long zxid, ErrorCode err, JuteRecord body,
                        long receivedAtMs) {
        stats.clientResponseSize(conn.reply(new ReplyHeader(header.xid(), zxid, err.code),
                err == ErrorCode.OK ? body : null));
        OpCode op = OpCode.of(header.type());
        if (op == OpCode.SASL) {
            // ZooKeeper answers SASL outside its request pipeline: no latency, no last operation.
            return;
        }
        sessions.answered(conn, header.xid(), zxid, op == null ? OpCode.ERROR : op, receivedAtMs, isWrite(op));
    }

    /**
     * Why a request is answered without being served, or null: the read-only refusal comes first (ZooKeeper's
     * read-only server refuses before anything else looks at the request), then the checks of malformed requests,
     * then a local session's ephemeral ({@link SessionHandler#ensureGlobal}, which may upgrade the session).
     */
    private ErrorCode refusal(Connection conn, Request request) {
        OpCode op = request.opCode();
        if (sessions.isReadOnly(conn) && refusedReadOnly(op)) {
            return ErrorCode.NOT_READ_ONLY;
        }
        ErrorCode rejected = RequestChecks.reject(request, stateMachine.tree().extendedTypesEnabled());
        return rejected == null && isWrite(op) ? sessions.ensureGlobal(conn, request) : rejected;
    }

    /**
     * What ZooKeeper's read-only server answers NotReadOnly: every write, sync and check (closeSession of
     * its sessions, which are all local, closes them locally).
     */
    private static boolean refusedReadOnly(OpCode op) {
        return switch (op) {
            case SYNC, CREATE, CREATE2, CREATE_TTL, CREATE_CONTAINER, DELETE, DELETE_CONTAINER, SET_DATA, RECONFIG,
                    SET_ACL, MULTI, CHECK -> true;
            default -> false;
        };
    }

    /** Requests that ZooKeeper logs as transactions: their latency is zk_updatelatency, the rest zk_readlatency. */
    private static boolean isWrite(OpCode op) {
        return op != null && switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL, DELETE, SET_DATA, SET_ACL, MULTI, RECONFIG -> true;
            default -> false;
        };
    }
}
