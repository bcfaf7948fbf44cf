package dev.paddock.server.ensemble;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Host;
import dev.paddock.server.quorum.Member;
import dev.paddock.server.quorum.Message;
import dev.paddock.server.quorum.QuorumConfig;
import dev.paddock.server.quorum.Role;
import dev.paddock.server.quorum.Roster;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.transport.QuorumTransport;
import dev.paddock.server.quorum.transport.TransportSecurity;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.WritePath;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.storage.MemberStorage;
import dev.paddock.server.storage.RecoveryException;
import dev.paddock.server.storage.ServerStorage;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one write path, in every mode: the quorum {@link Member} driven by the request thread, with
 * the server's {@link ServerStorage} as its log and epochs and, when there are peers, {@link QuorumTransport}
 * for the network. A standalone server is a one-member ensemble ({@link Membership#ofStandalone()}): it
 * elects itself, and each write commits once its own fsync is done.
 *
 * <p>It is the server's {@link WritePath} (writes go to the leader, and each server answers its own clients
 * when it applies their entry; {@link WriteRequests} holds them meanwhile) and the member's {@link Host}:
 * committed entries apply to the state machine, and snapshots are served and installed, in
 * {@link AppliedState}; the configuration in force and reconfigs are {@link MemberConfiguration}'s; this
 * class wires them to the member, the network and the storage. Every method runs on the request thread,
 * except {@link #wake}, which the log calls from its own thread.
 *
 * <p>Everything that is not deterministic reaches it through {@link Parts}: storage, network, request
 * thread, clock and randomness. The server wires the real ones ({@link #open(Membership, ServerConfig,
 * StateMachine, WatchManager, SessionTracker, RequestLoop, Clock)}); the glue simulation wires simulated
 * ones, so this class runs unchanged under a seeded schedule (docs/decisions.md decision 4).
 */
public final class EnsembleMember implements WritePath, Host, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleMember.class);
    /** A leader moves to a new epoch this close to the zxid counter's end (ZOOKEEPER-1277). */
    public static final long DEFAULT_COUNTER_LIMIT = 0xffff_fff0L;

    /**
     * Everything a member takes from the world: its storage (opened with the member's durable-point wake),
     * network, request thread, clock and random source (link nonces; the storage has its own), the zxid
     * counter at which a leader starts a new epoch (small in the simulation, so that happens often) and an
     * observer.
     */
    public record Parts(MemberStorage.Opener storage, MemberNetwork network, RequestThread requestThread,
                        Clock clock, RandomGenerator random, long counterLimit, MemberObserver observer) {
    }

    private final Membership membership;
    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final SessionTracker tracker;
    private final RequestThread requestThread;
    private final Clock clock;
    private final RandomGenerator random;
    private final long counterLimit;
    private final MemberStorage storage;
    private final MemberNetwork network;
    private final AtomicBoolean persistedScheduled = new AtomicBoolean();
    private final Runnable persistedTask = this::persisted;
    /** The write side: clients' writes and syncs until their entry applies. */
    private final WriteRequests writes;
    /** The configuration side of Host: the configuration in force and reconfigs. */
    private final MemberConfiguration configuration;
    /** The state-machine side of Host: applying entries, serving and installing snapshots. */
    private final AppliedState applied;
    private Member member;
    private Runnable onNotServing = () -> { };
    /** Told of every role this member takes up (not LOOKING); the server resets its statistics. */
    private Runnable onNewRole = () -> { };
    /** While leading: each learner link's statistics (the AdminServer's observers). */
    private final LearnerTraffic traffic = new LearnerTraffic();

    private EnsembleMember(Membership membership, ServerConfig config, StateMachine stateMachine, WatchManager watches,
                           SessionTracker tracker, Parts parts) throws IOException, RecoveryException {
        this.membership = membership;
        this.config = config;
        this.stateMachine = stateMachine;
        this.tracker = tracker;
        this.requestThread = parts.requestThread();
        this.clock = parts.clock();
        this.random = parts.random();
        this.counterLimit = parts.counterLimit();
        this.network = parts.network();
        this.storage = parts.storage().open(this::wake);
        this.configuration = new MemberConfiguration(membership, config, stateMachine, network, clock);
        // Numbered from a random point (see WriteRequests).
        this.writes = new WriteRequests(membership.myId(), clock, stateMachine, random.nextLong() >>> 1);
        this.applied = new AppliedState(config, stateMachine, watches, tracker, configuration, writes,
                parts.observer(), storage);
    }

    /**
     * Opens the server's storage and loads the newest snapshot into {@code stateMachine}; the entries logged
     * after it wait in the log until the member knows they are committed (at once, for a one-member
     * ensemble), except on a standalone server, where everything logged is committed and start-up applies it
     * as it reads it.
     *
     * @throws RecoveryException when the data on disk cannot be read without losing acknowledged entries
     */
    public static EnsembleMember open(Membership membership, ServerConfig config, StateMachine stateMachine,
                                      WatchManager watches, SessionTracker tracker, RequestLoop loop, Clock clock,
                                      TransportSecurity security)
            throws IOException, RecoveryException {
        RequestThread requestThread = RequestThread.of(loop);
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        SplittableRandom storageRandom = random.split();
        MemberStorage.Opener storage = wake -> ServerStorage.open(config, requestThread::execute, storageRandom,
                wake, membership.standalone());
        MemberNetwork network = membership.hasPeers() ? new TransportNetwork(membership, clock,
                QuorumTransport.maxFrameBytes(config.juteMaxBufferBytes()), security) : MemberNetwork.NONE;
        return open(membership, config, stateMachine, watches, tracker,
                new Parts(storage, network, requestThread, clock, random, DEFAULT_COUNTER_LIMIT, MemberObserver.NONE));
    }

    /**
     * Opens the member on the given parts, exactly as the server does on its own: the state machine starts at
     * the storage's recovered snapshot, and every session in it is tracked with a fresh deadline.
     */
    public static EnsembleMember open(Membership membership, ServerConfig config, StateMachine stateMachine,
                                      WatchManager watches, SessionTracker tracker, Parts parts)
            throws IOException, RecoveryException {
        EnsembleMember m = new EnsembleMember(membership, config, stateMachine, watches, tracker, parts);
        stateMachine.restoreFrom(m.storage.recoveredState());
        m.configuration.adoptConfigInState();
        // Recovered sessions live on with fresh deadlines, so their clients can come back in time.
        stateMachine.sessions().forEach(tracker::add);
        tracker.recordTouches();
        m.storage.tookRecoveredState(stateMachine);
        return m;
    }

    /** What to run when this member takes up a role other than LOOKING (on the request thread); before start. */
    public void onNewRole(Runnable action) {
        this.onNewRole = action;
    }

    /** Starts the network and the protocol; call before serving. */
    public void start(Runnable onNotServing) throws InterruptedException {
        this.onNotServing = onNotServing;
        network.start(new MemberNetwork.Receiver() {
            @Override
            public void receive(int from, Message message) {
                requestThread.execute(() -> EnsembleMember.this.receive(from, message));
            }

            @Override
            public void peerDisconnected(int peer) {
                requestThread.execute(() -> {
                    if (member != null) {
                        member.peerDisconnected(peer);
                    }
                });
            }
        });
        QuorumConfig quorum = new QuorumConfig(membership.voters(), membership.observers(), config.initLimit(),
                config.syncLimit(), counterLimit);
        long configVersion = configuration.version();
        QuorumConfig inForce = configuration.startingQuorum(quorum);
        requestThread.execute(() -> {
            member = new Member(membership.myId(), inForce, configVersion, storage.log(), this, random,
                    stateMachine.lastZxid());
            // A one-member ensemble needs nobody's vote: settle at once rather than on the first timer.
            member.electionTick();
        });
    }

    /** Runs every tick on the request thread. */
    public void tick() {
        if (member == null) {
            return;
        }
        member.tick();
        member.reportTouches(tracker.drainTouched());
    }

    /** Runs every ~100 ms on the request thread: settles elections without waiting for a tick. */
    public void electionTick() {
        if (member != null) {
            member.electionTick();
        }
    }

    /**
     * Log writer thread: entries became durable; tell the member on the request thread (never blocking). When
     * that thread is idle and no next batch waits for this one, the writer plays it and applies and answers
     * itself: one hand-off fewer per write at low concurrency, and no fsync waits behind the apply.
     */
    private boolean wake() {
        if (!persistedScheduled.compareAndSet(false, true)) {
            return true;
        }
        if (storage.log().nothingQueued() && requestThread.tryRunHere(persistedTask)) {
            return true;
        }
        if (requestThread.tryExecute(persistedTask)) {
            return true;
        }
        persistedScheduled.set(false);
        return false;
    }

    private void persisted() {
        persistedScheduled.set(false);
        if (member != null) {
            member.persisted(storage.log().durableZxid());
        }
    }

    private void receive(int from, Message message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("from {}: {}", from, MessageDescription.of(message));
        }
        if (member != null) {
            if (member.role() == Role.LEADING) {
                traffic.received(from, message, clock.wallMs());
            }
            member.receive(from, message);
        }
    }

    /**
     * Callbacks this member still holds: writes not yet applied, syncs not yet answered. Bounded by what its
     * connected clients have in flight; the glue simulation checks that it drains.
     */
    int outstandingCallbacks() {
        return writes.outstanding();
    }

    public Role role() {
        return member == null ? Role.LOOKING : member.role();
    }

    /** The member this one follows or is, -1 while there is none (the AdminServer's leader command). */
    public int leaderId() {
        return member == null ? -1 : member.leaderId();
    }

    /** The learners' progress as this member sees them while it leads (none otherwise); request thread. */
    public List<dev.paddock.server.quorum.LearnerProgress> learnerProgress() {
        return member == null ? List.of() : member.learnerProgress();
    }

    /**
     * A learner's link as this member sees it while leading: established (wall ms), messages received and sent,
     * requests forwarded, the last zxid sent (-1 before any); null when it has no link with this member.
     * Request thread.
     */
    public long[] learnerTraffic(int id) {
        LearnerTraffic.Link l = traffic.link(id);
        return l == null ? null
                : new long[] {l.establishedWallMs(), l.packetsReceived(), l.packetsSent(), l.requests(), l.lastZxid()};
    }

    /** The AdminServer's observer_connection_stat_reset; request thread. */
    public void resetLearnerTraffic() {
        traffic.resetCounts();
    }

    /** The configuration text in force (conf's membership); any thread. */
    public String membershipText() {
        return configuration.publishedText();
    }

    /** The {@code snap} four-letter word. */
    public String snapshotNow() {
        return storage.snapshotNow(stateMachine);
    }

    /** Why a restore cannot happen; {@code retryable} when it may succeed once writes in flight are done. */
    public static final class RestoreRefused extends Exception {
        private final boolean retryable;

        RestoreRefused(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    /**
     * The AdminServer's restore, on the request thread: the snapshot body (verified by its checksum) becomes the
     * state at a new zxid after everything logged, and the log is reset to it as when a learner installs a
     * leader's snapshot, so it is the state after a restart too (durable once {@code snapshot.<zxid>} exists).
     * Sessions are the snapshot's, with fresh deadlines; every client connection is closed, so clients whose
     * session the snapshot holds come back to it (and send their watches again), the others learn that their
     * session expired. Only standalone: in an ensemble every member's state is the log's.
     *
     * @return the restored state's zxid
     * @throws IOException when the body does not decode (nothing was changed)
     */
    public long restore(byte[] body) throws IOException, RestoreRefused {
        if (!membership.standalone()) {
            throw new RestoreRefused("restore works on a standalone server only: in an ensemble every member's state"
                    + " is the replicated log's, which one member cannot replace on its own", false);
        }
        long zxid = member == null ? -1 : member.restorableZxid();
        if (zxid < 0 || writes.outstanding() != 0) {
            throw new RestoreRefused("writes are in flight or the server is not serving; stop client traffic and"
                    + " ask again", true);
        }
        StateMachine loaded = decode(body, zxid);
        stateMachine.restoreFrom(loaded);
        configuration.putLocalConfig();
        for (long id : tracker.timeouts().keySet().stream().toList()) {
            tracker.remove(id);
        }
        stateMachine.sessions().forEach(tracker::add);
        member.restored(new Snapshot(zxid, body));
        LOG.info("Restored a snapshot at zxid 0x{}: {} sessions", Long.toHexString(zxid), tracker.count());
        onNotServing.run();
        return zxid;
    }

    private StateMachine decode(byte[] body, long zxid) throws IOException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        StateMachine loaded;
        try {
            loaded = TreeSnapshot.read(new DataInputStream(bytes), zxid, config.extendedTypesEnabled());
        } catch (java.io.EOFException e) {
            throw new IOException("truncated snapshot body", e);
        } catch (RuntimeException e) {
            throw new IOException("malformed snapshot body: " + e.getMessage(), e);
        }
        if (bytes.available() != 0) {
            throw new IOException("bytes after the end of the snapshot body");
        }
        return loaded;
    }

    // ---- WritePath ------------------------------------------------------------------------------------

    @Override
    public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
        writes.submit(member, sessionId, identities, request, callback);
    }

    @Override
    public void sync(Runnable caughtUp) {
        writes.sync(member, caughtUp);
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
        return membership.standalone() ? "standalone" : switch (role()) {
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
            LOG.trace("to {}: {}", to, MessageDescription.of(message));
        }
        traffic.sent(to, message);
        network.send(to, message);
    }

    @Override
    public void apply(Entry entry) {
        applied.apply(entry);
    }

    @Override
    public Snapshot snapshot() {
        return applied.snapshot();
    }

    @Override
    public void install(Snapshot snapshot) {
        applied.install(snapshot);
    }

    @Override
    public Roster rosterOf(Entry entry) {
        return configuration.rosterOf(entry);
    }

    @Override
    public Roster rosterInState() {
        return configuration.rosterInState();
    }

    @Override
    public byte[] configText() {
        return configuration.configText();
    }

    @Override
    public Roster adoptConfig(long version, byte[] text) {
        return configuration.adoptConfig(version, text);
    }

    @Override
    public boolean versionsConfigs() {
        return configuration.versionsConfigs();
    }

    @Override
    public void configVersioned(long version) {
        configuration.configVersioned(version);
    }

    @Override
    public byte[] prepare(long zxid, byte[] payload, LeaderView view) {
        return configuration.prepare(zxid, payload, view);
    }

    @Override
    public boolean reconfigurable() {
        return configuration.reconfigurable();
    }

    @Override
    public void roleChanged(Role role, int leaderId, long epoch) {
        LOG.info("Server {} is now {} (leader {}, epoch {})", membership.myId(), role, leaderId, epoch);
        // Its tracker may have let go of sessions still open (see AppliedState.trackEverySession).
        applied.trackEverySession();
        traffic.clear();
        if (role != Role.LOOKING) {
            onNewRole.run();
        }
        if (role == Role.LEADING) {
            tracker.restartAllDeadlines();
        }
        if (member == null || !member.isServing()) {
            // Without a leader this member cannot answer correctly: its clients move to another member, and
            // whatever it still owed their connections is owed to nobody. A sync asked of the lost leader
            // would otherwise wait for its answer for ever (glue simulation seed 10).
            writes.dropAll();
            onNotServing.run();
        }
    }

    @Override
    public void syncReady(long id, long commitZxid) {
        writes.syncReady(id, commitZxid);
    }

    @Override
    public void touched(long[] sessionIds) {
        for (long id : sessionIds) {
            tracker.touch(id);
        }
    }

    @Override
    public void close() {
        network.close();
        storage.close();
    }
}
