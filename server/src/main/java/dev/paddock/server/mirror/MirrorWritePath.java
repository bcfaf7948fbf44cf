package dev.paddock.server.mirror;

import dev.paddock.server.migration.ZkTxn;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.WritePath;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.ZkReplay;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The write path of a Paddock server that is a ZooKeeper observer ({@link ZkMirror}): writes, createSession,
 * closeSession and sync go to the ZooKeeper leader as REQUEST packets ({@code long sessionId, int cxid, int
 * type, request bytes}, as ZooKeeper's Learner.request writes them), and a client is answered when the INFORM
 * with its session id and cxid is applied here. The cxid sent is this mirror's own number (the client's xid
 * stays between client and mirror), unique per session, so the match is exact. INFORMs are applied to the
 * server's state machine on the request thread ({@link MirrorApply}), firing watches; the mirror's sessions are
 * touched in its PING replies ({@link #drainTouches}); the ZooKeeper leader alone expires sessions.
 *
 * <p>The {@link MirrorListener} side runs on the mirror's thread and queues work to the request thread; the
 * {@link WritePath} side runs on the request thread. {@code pending} is bounded by what the clients have in
 * flight (each connection stops reading at 1,000 outstanding requests).
 */
public final class MirrorWritePath implements WritePath, MirrorListener {
    private record Key(long sessionId, int cxid) {
    }

    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final SessionTracker tracker;
    private final RequestLoop loop;
    private final MirrorSaves saves;
    private final ZkReplay replay;
    private final Map<Key, Callback> pending = new HashMap<>();
    private final ArrayDeque<Runnable> syncs = new ArrayDeque<>();
    /** REVALIDATEs asked of the leader, by session, answered in order. */
    private final Map<Long, ArrayDeque<Consumer<Boolean>>> revalidations = new HashMap<>();
    /** Sessions touched since the last PING reply, with their timeouts; one entry per session at most. */
    private final Map<Long, Integer> touches = new ConcurrentHashMap<>();
    private volatile ZkMirror mirror;
    private Runnable onNotServing = () -> { };
    private boolean serving;
    private int nextCxid;

    MirrorWritePath(StateMachine stateMachine, WatchManager watches, SessionTracker tracker, RequestLoop loop,
                    MirrorSaves saves) {
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.tracker = tracker;
        this.loop = loop;
        this.saves = saves;
        this.replay = new ZkReplay(stateMachine);
        tracker.recordTouches();
    }

    /** The mirror to forward to, and what to do when it stops serving (close every client connection). */
    void attach(ZkMirror mirror, Runnable onNotServing) {
        this.mirror = mirror;
        this.onNotServing = onNotServing;
    }

    // ---- WritePath (request thread) ---------------------------------------------------------------------

    @Override
    public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
        int cxid = nextCxid();
        byte[] body = request.toBytes();
        byte[] data = ByteBuffer.allocate(16 + body.length).putLong(sessionId).putInt(cxid)
                .putInt(request.opCode().code).put(body).array();
        Key key = new Key(sessionId, cxid);
        if (callback != null) {
            pending.put(key, callback);
        }
        if (!serving || mirror == null || !mirror.forward(new QuorumPacket(QuorumPacket.REQUEST, -1, data, forLeader(identities)))) {
            Callback c = pending.remove(key);
            if (c != null) {
                c.committed(new Committed(stateMachine.lastZxid(), ApplyResult.error(ErrorCode.CONNECTION_LOSS)));
            }
        }
    }

    @Override
    public void sync(Runnable caughtUp) {
        sync(0, caughtUp);
    }

    /** The leader answers SYNC once what it proposed before is committed; the INFORMs come first on the stream. */
    @Override
    public void sync(long sessionId, Runnable caughtUp) {
        byte[] path = "/".getBytes(StandardCharsets.UTF_8);
        byte[] data = ByteBuffer.allocate(20 + path.length).putLong(sessionId).putInt(nextCxid())
                .putInt(OpCode.SYNC.code).putInt(path.length).put(path).array();
        syncs.add(caughtUp);
        if (!serving || mirror == null || !mirror.forward(new QuorumPacket(QuorumPacket.REQUEST, -1, data, null))) {
            syncs.removeLast();
            caughtUp.run();
        }
    }

    /** Learner.validateSession's REVALIDATE: {@code long sessionId, int timeout}; the leader makes this mirror the owner. */
    @Override
    public void revalidate(long sessionId, int timeoutMs, Consumer<Boolean> answer) {
        byte[] data = ByteBuffer.allocate(12).putLong(sessionId).putInt(timeoutMs).array();
        ArrayDeque<Consumer<Boolean>> waiting = revalidations.computeIfAbsent(sessionId, k -> new ArrayDeque<>());
        waiting.add(answer);
        if (!serving || mirror == null || !mirror.forward(new QuorumPacket(QuorumPacket.REVALIDATE, -1, data, null))) {
            waiting.removeLast();
            if (waiting.isEmpty()) {
                revalidations.remove(sessionId);
            }
            answer.accept(null);
        }
    }

    private int nextCxid() {
        nextCxid = nextCxid == Integer.MAX_VALUE ? 1 : nextCxid + 1;
        return nextCxid;
    }

    /** The connection's identities without Paddock's own policy markers (the leader checks ACLs itself). */
    private static List<Id> forLeader(List<Id> identities) {
        List<Id> out = new ArrayList<>(identities.size());
        for (Id id : identities) {
            boolean marker = id.scheme().startsWith("paddock:") || (id.scheme().equals("super") && id.id().isEmpty());
            if (!marker) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public boolean serving() {
        return serving;
    }

    /** The ZooKeeper leader expires sessions; the mirror reports its clients' activity in its pings. */
    @Override
    public boolean decidesExpiry() {
        return false;
    }

    @Override
    public String mode() {
        return "observer";
    }

    /** The ZooKeeper leader's last zxid from its pings: srvr's lag. */
    @Override
    public long upstreamZxid() {
        return saves.state().leaderZxid();
    }

    /** Request thread, every tick: the sessions its clients touched, for the next PING reply. */
    void collectTouches() {
        for (long id : tracker.drainTouched()) {
            SessionTracker.Session s = tracker.get(id);
            if (s != null && !tracker.isLocal(id)) {
                touches.put(id, s.timeoutMs());
            }
        }
    }

    // ---- MirrorListener (mirror's thread, handing over to the request thread) ----------------------------

    @Override
    public void installed(StateMachine state) {
        loop.execute(() -> {
            stateMachine.restoreFrom(state);
            for (long id : tracker.globalSessionIds()) {
                tracker.remove(id);
            }
            stateMachine.sessions().forEach(tracker::add);
        });
    }

    @Override
    public void applied(ZkTxn.Entry entry) {
        loop.execute(() -> apply(entry));
        saves.applied();
    }

    private void apply(ZkTxn.Entry entry) {
        if (entry.zxid() <= stateMachine.lastZxid()) {
            return;
        }
        ApplyResult result = MirrorApply.apply(replay, entry);
        watches.fire(result.changes(), entry.zxid());
        if (entry.txn() instanceof ZkTxn.CreateSession s && !tracker.isAlive(entry.sessionId())) {
            tracker.add(entry.sessionId(), s.timeoutMs());
        } else if (entry.txn() instanceof ZkTxn.CloseSession) {
            tracker.remove(entry.sessionId());
            touches.remove(entry.sessionId());
        }
        Callback c = pending.remove(new Key(entry.sessionId(), entry.cxid()));
        if (c != null) {
            c.committed(new Committed(entry.zxid(), result));
        }
    }

    @Override
    public void upToDate() {
        loop.execute(() -> serving = true);
    }

    @Override
    public void syncAnswered() {
        loop.execute(() -> {
            Runnable r = syncs.poll();
            if (r != null) {
                r.run();
            }
        });
    }

    @Override
    public void revalidated(long sessionId, boolean valid) {
        loop.execute(() -> {
            ArrayDeque<Consumer<Boolean>> waiting = revalidations.get(sessionId);
            Consumer<Boolean> answer = waiting == null ? null : waiting.poll();
            if (waiting != null && waiting.isEmpty()) {
                revalidations.remove(sessionId);
            }
            if (answer != null) {
                answer.accept(valid);
            }
        });
    }

    /**
     * The leader is gone: what was forwarded is answered by nobody, so the clients are disconnected (as a
     * ZooKeeper observer restarts its server) and reconnect once a leader is found; their sessions live on.
     */
    @Override
    public void lost() {
        loop.execute(() -> {
            boolean was = serving;
            serving = false;
            pending.clear();
            syncs.clear();
            List<Consumer<Boolean>> unanswered = new ArrayList<>();
            revalidations.values().forEach(unanswered::addAll);
            revalidations.clear();
            unanswered.forEach(a -> a.accept(null));
            if (was) {
                onNotServing.run();
            }
        });
    }

    @Override
    public Map<Long, Integer> drainTouches() {
        Map<Long, Integer> out = new HashMap<>();
        for (Long id : touches.keySet()) {
            Integer timeout = touches.remove(id);
            if (timeout != null) {
                out.put(id, timeout);
            }
        }
        return out;
    }
}
