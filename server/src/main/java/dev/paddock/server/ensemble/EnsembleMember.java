package dev.paddock.server.ensemble;

import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.log.LogFormat;
import dev.paddock.server.log.SnapshotFile;
import dev.paddock.server.log.TxnCodec;
import dev.paddock.server.quorum.DiskReplicaStorage;
import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Host;
import dev.paddock.server.quorum.Member;
import dev.paddock.server.quorum.Message;
import dev.paddock.server.quorum.QuorumConfig;
import dev.paddock.server.quorum.Role;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.transport.QuorumTransport;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.WritePath;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ensemble member inside the server: the quorum {@link Member} driven by the request thread, with
 * {@link DiskReplicaStorage} for its log and epochs and {@link QuorumTransport} for the network. It is the
 * server's {@link WritePath} (writes go to the leader, and each server answers its own clients when it
 * applies their entry) and the member's {@link Host} (committed entries apply to the state machine here).
 * Every method runs on the request thread.
 */
public final class EnsembleMember implements WritePath, Host, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleMember.class);
    /** Prefix of every entry's payload: the server that took the request and its number there. */
    private static final int ORIGIN_BYTES = 12;

    private final EnsembleConfig ensemble;
    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final SessionTracker tracker;
    private final RequestLoop loop;
    private final Clock clock;
    private final Path dir;
    private final DiskReplicaStorage storage;
    private final QuorumTransport transport;
    private final Map<Long, Callback> pending = new HashMap<>();
    private final Map<Long, Runnable> syncsAsked = new HashMap<>();
    private final TreeMap<Long, List<Runnable>> waitingForApplied = new TreeMap<>();
    private Member member;
    private Runnable onNotServing = () -> { };
    private long nextRequestId;
    private long nextSyncId;
    private long appliedSinceSnapshot;
    private boolean snapshotRunning;
    private final java.util.concurrent.ExecutorService snapshotter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "paddock-member-snapshot");
        t.setDaemon(true);
        return t;
    });

    private EnsembleMember(EnsembleConfig ensemble, ServerConfig config, StateMachine stateMachine,
                           WatchManager watches, SessionTracker tracker, RequestLoop loop, Clock clock, Path dir)
            throws IOException {
        this.ensemble = ensemble;
        this.config = config;
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.tracker = tracker;
        this.loop = loop;
        this.clock = clock;
        this.dir = dir;
        this.storage = new DiskReplicaStorage(dir, config.forceSync(), zxid -> loop.execute(this::persisted));
        Map<Integer, QuorumTransport.PeerAddress> peers = new HashMap<>();
        for (EnsembleConfig.Peer p : ensemble.peers().values()) {
            peers.put(p.id(), new QuorumTransport.PeerAddress(p.quorumAddress(), p.electionAddress()));
        }
        this.transport = new QuorumTransport(ensemble.myId(), peers,
                (from, message) -> loop.execute(() -> receive(from, message)), clock::monotonicMs);
        transport.onPeerDisconnected(peer -> loop.execute(() -> {
            if (member != null) {
                member.peerDisconnected(peer);
            }
        }));
    }

    /** Where an ensemble member keeps its replica log, epochs and snapshots. */
    public static Path directory(ServerConfig config) {
        return config.dataLogDir().resolve(LogFormat.SUBDIR).resolve("quorum");
    }

    /**
     * Loads the member's state (the snapshot at its log's base, if any) into {@code stateMachine}; the
     * entries after the base wait in the log until a leader says they are committed.
     */
    public static EnsembleMember open(EnsembleConfig ensemble, ServerConfig config, StateMachine stateMachine,
                                      WatchManager watches, SessionTracker tracker, RequestLoop loop, Clock clock)
            throws IOException {
        Path dir = directory(config);
        EnsembleMember m = new EnsembleMember(ensemble, config, stateMachine, watches, tracker, loop, clock, dir);
        long base = m.storage.baseZxid();
        if (base > 0) {
            Path newest = null;
            for (Path p : LogFormat.list(dir, LogFormat.SNAPSHOT_PREFIX)) {
                if (LogFormat.zxidOf(p, LogFormat.SNAPSHOT_PREFIX) >= base) {
                    newest = p;
                }
            }
            if (newest == null) {
                throw new IOException(dir + ": the replica log starts after zxid 0x" + Long.toHexString(base)
                        + " but no snapshot covers it");
            }
            stateMachine.restoreFrom(SnapshotFile.read(newest, config.extendedTypesEnabled()).stateMachine());
        }
        stateMachine.sessions().forEach(tracker::add);
        tracker.recordTouches();
        return m;
    }

    /** Starts the network and the protocol; call on the request thread's behalf before serving. */
    public void start(Runnable onNotServing) throws InterruptedException {
        this.onNotServing = onNotServing;
        EnsembleConfig.Peer me = ensemble.me();
        transport.start(me.quorumAddress(), me.electionAddress());
        QuorumConfig quorum = new QuorumConfig(ensemble.voters(), ensemble.observers(), config.initLimit(),
                config.syncLimit(), 0xffff_fff0L);
        loop.execute(() -> member = new Member(ensemble.myId(), quorum, storage, this,
                new SplittableRandom(new SecureRandom().nextLong()), stateMachine.lastZxid()));
    }

    /** Runs every tick on the request thread. */
    public void tick() {
        if (member == null) {
            return;
        }
        member.tick();
        member.reportTouches(tracker.drainTouched());
    }

    /** The replica log forced a batch; the member learns the durable point on the request thread. */
    private void persisted() {
        if (member != null) {
            member.persisted(storage.durableZxid());
        }
    }

    /** Runs every ~100 ms on the request thread: settles elections without waiting for a tick. */
    public void electionTick() {
        if (member != null) {
            member.electionTick();
        }
    }

    private void receive(int from, Message message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("from {}: {}", from, describe(message));
        }
        if (member != null) {
            member.receive(from, message);
        }
    }

    public Role role() {
        return member == null ? Role.LOOKING : member.role();
    }

    // ---- WritePath ------------------------------------------------------------------------------------

    @Override
    public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
        long requestId = ++nextRequestId;
        // The zxid is the leader's to give; time and identities are fixed here, before replication.
        byte[] txn = TxnCodec.encode(new Txn(0, clock.wallMs(), sessionId, List.copyOf(identities), request));
        byte[] payload = ByteBuffer.allocate(ORIGIN_BYTES + txn.length).putInt(ensemble.myId()).putLong(requestId)
                .put(txn).array();
        if (callback != null) {
            pending.put(requestId, callback);
        }
        if (member == null || !member.submit(payload)) {
            Callback c = pending.remove(requestId);
            if (c != null) {
                c.committed(new Committed(stateMachine.lastZxid(), ApplyResult.error(ErrorCode.CONNECTION_LOSS)));
            }
        }
    }

    @Override
    public void sync(Runnable caughtUp) {
        long id = ++nextSyncId;
        syncsAsked.put(id, caughtUp);
        if (member == null || !member.sync(id)) {
            syncsAsked.remove(id);
            caughtUp.run();
        }
    }

    @Override
    public boolean serving() {
        return member != null && member.isServing();
    }

    @Override
    public boolean decidesExpiry() {
        return member != null && member.isServingLeader();
    }

    @Override
    public String mode() {
        return switch (role()) {
            case LEADING -> "leader";
            case FOLLOWING -> "follower";
            case OBSERVING -> "observer";
            case LOOKING -> "looking";
        };
    }

    // ---- Host -------------------------------------------------------------------------------------------

    @Override
    public void send(int to, Message message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("to {}: {}", to, describe(message));
        }
        transport.send(to, message);
    }

    private static String describe(Message m) {
        if (m instanceof Message.Linked l) {
            Message.Body b = l.body();
            String body = b instanceof Message.Sync s ? "Sync[trunc=" + s.truncateTo() + ", snapshot="
                    + (s.snapshot() != null) + ", entries=" + s.entries().size() + "]"
                    : b instanceof Message.Proposal || b instanceof Message.Inform || b instanceof Message.Forward
                    ? b.getClass().getSimpleName() : b.toString();
            return body + " #" + l.seq() + " link " + Long.toHexString(l.link());
        }
        return m.toString();
    }

    @Override
    public void apply(Entry entry) {
        ByteBuffer b = ByteBuffer.wrap(entry.payload());
        int origin = b.getInt();
        long requestId = b.getLong();
        Txn txn = TxnCodec.read(entry.zxid(), b.slice());
        ApplyResult result = stateMachine.apply(txn);
        watches.fire(result.changes(), txn.zxid());
        OpCode op = txn.request().opCode();
        if (op == OpCode.CREATE_SESSION && !tracker.isAlive(txn.sessionId())) {
            tracker.add(txn.sessionId(), ((CreateSessionRequest) txn.request()).timeoutMs());
        } else if (op == OpCode.CLOSE_SESSION) {
            tracker.remove(txn.sessionId());
        }
        if (origin == ensemble.myId()) {
            Callback c = pending.remove(requestId);
            if (c != null) {
                c.committed(new Committed(txn.zxid(), result));
            }
        }
        while (!waitingForApplied.isEmpty() && waitingForApplied.firstKey() <= entry.zxid()) {
            waitingForApplied.pollFirstEntry().getValue().forEach(Runnable::run);
        }
        if (++appliedSinceSnapshot >= config.snapCount() && !snapshotRunning) {
            snapshotAndCompact();
        }
    }

    /**
     * Every snapCount applied entries: capture the tree (copy-on-write, so writes go on), write the snapshot
     * on a background thread, then drop the log entries it covers. Learners further behind get it whole.
     */
    private void snapshotAndCompact() {
        appliedSinceSnapshot = 0;
        snapshotRunning = true;
        TreeSnapshot.Capture capture = TreeSnapshot.capture(stateMachine);
        long zxid = capture.zxid();
        snapshotter.execute(() -> {
            try {
                SnapshotFile.write(dir, capture);
                loop.execute(() -> {
                    storage.compactTo(zxid);
                    purgeSnapshotsBefore(zxid);
                    snapshotRunning = false;
                });
            } catch (IOException | RuntimeException e) {
                LOG.error("member snapshot at zxid 0x{} failed; the log keeps its entries", Long.toHexString(zxid), e);
                loop.execute(() -> snapshotRunning = false);
            } finally {
                capture.release();
            }
        });
    }

    /** Keeps the newest snapRetainCount snapshots (at least the one the log now starts from). */
    private void purgeSnapshotsBefore(long newest) {
        try {
            List<Path> snapshots = LogFormat.list(dir, LogFormat.SNAPSHOT_PREFIX);
            int keep = Math.max(1, config.snapRetainCount());
            for (int i = 0; i < snapshots.size() - keep; i++) {
                if (LogFormat.zxidOf(snapshots.get(i), LogFormat.SNAPSHOT_PREFIX) < newest) {
                    java.nio.file.Files.deleteIfExists(snapshots.get(i));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot purge old member snapshots in {}", dir, e);
        }
    }

    @Override
    public Snapshot snapshot() {
        TreeSnapshot.Capture capture = TreeSnapshot.capture(stateMachine);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            capture.writeTo(new DataOutputStream(bytes));
            return new Snapshot(capture.zxid(), bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the tree", e);
        } finally {
            capture.release();
        }
    }

    @Override
    public void install(Snapshot snapshot) {
        try {
            StateMachine loaded = TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(snapshot.state())),
                    snapshot.zxid(), config.extendedTypesEnabled());
            stateMachine.restoreFrom(loaded);
            for (long id : new ArrayList<>(tracker.timeouts().keySet())) {
                tracker.remove(id);
            }
            stateMachine.sessions().forEach(tracker::add);
            // Durable before the log is reset to start after it.
            TreeSnapshot.Capture capture = TreeSnapshot.capture(stateMachine);
            try {
                SnapshotFile.write(dir, capture);
            } finally {
                capture.release();
            }
            LOG.info("Installed the leader's snapshot at zxid 0x{}", Long.toHexString(snapshot.zxid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the leader's snapshot", e);
        }
    }

    @Override
    public void roleChanged(Role role, int leaderId, long epoch) {
        LOG.info("Server {} is now {} (leader {}, epoch {})", ensemble.myId(), role, leaderId, epoch);
        if (role == Role.LEADING) {
            tracker.restartAllDeadlines();
        }
        if (member == null || !member.isServing()) {
            // Without a leader this member cannot answer correctly: its clients move to another member.
            pending.clear();
            onNotServing.run();
        }
    }

    @Override
    public void syncReady(long id, long commitZxid) {
        Runnable caughtUp = syncsAsked.remove(id);
        if (caughtUp == null) {
            return;
        }
        if (stateMachine.lastZxid() >= commitZxid) {
            caughtUp.run();
        } else {
            waitingForApplied.computeIfAbsent(commitZxid, k -> new ArrayList<>()).add(caughtUp);
        }
    }

    @Override
    public void touched(long[] sessionIds) {
        for (long id : sessionIds) {
            tracker.touch(id);
        }
    }

    @Override
    public void close() {
        transport.close();
        snapshotter.shutdown();
        try {
            snapshotter.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storage.close();
    }
}
