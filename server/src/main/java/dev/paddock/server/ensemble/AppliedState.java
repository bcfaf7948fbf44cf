package dev.paddock.server.ensemble;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.storage.EntryPayload;
import dev.paddock.server.storage.MemberStorage;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.OpCode;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state-machine side of an {@link EnsembleMember}'s {@code Host}: committed entries apply to the state
 * machine here (firing watches, tracking sessions, answering the member's own writes), and snapshots are
 * served and installed here. Request thread only.
 */
final class AppliedState {
    /** Logs as the member, whose messages these were. */
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleMember.class);

    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final SessionTracker tracker;
    private final MemberConfiguration configuration;
    private final WriteRequests writes;
    private final MemberObserver observer;
    private final MemberStorage storage;

    AppliedState(ServerConfig config, StateMachine stateMachine, WatchManager watches, SessionTracker tracker,
                 MemberConfiguration configuration, WriteRequests writes, MemberObserver observer,
                 MemberStorage storage) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.tracker = tracker;
        this.configuration = configuration;
        this.writes = writes;
        this.observer = observer;
        this.storage = storage;
    }

    void apply(Entry entry) {
        EntryPayload.Decoded decoded = EntryPayload.decode(entry.zxid(), entry.payload());
        Txn txn = decoded.txn();
        ApplyResult result = stateMachine.apply(txn);
        watches.fire(result.changes(), txn.zxid());
        OpCode op = txn.request().opCode();
        configuration.applied(entry, op, result);
        if (op == OpCode.CREATE_SESSION && !tracker.isAlive(txn.sessionId())) {
            tracker.add(txn.sessionId(), ((CreateSessionRequest) txn.request()).timeoutMs());
        } else if (op == OpCode.CLOSE_SESSION) {
            tracker.remove(txn.sessionId());
        }
        writes.applied(decoded, entry.zxid(), result);
        observer.applied(entry, result);
        storage.applied(stateMachine);
    }

    /**
     * The applied state for a learner too far behind for a diff, serialised now on the request thread
     * (without the copy-on-write guard, so a periodic snapshot being written meanwhile is no obstacle).
     */
    Snapshot snapshot() {
        return new Snapshot(stateMachine.lastZxid(), TreeSnapshot.serializeNow(stateMachine));
    }

    /**
     * Replaces the applied state with a leader's snapshot, in memory; the log makes it durable
     * ({@code ReplicaStorage.resetTo}) before anything after it is acknowledged.
     */
    void install(Snapshot snapshot) {
        StateMachine loaded;
        try {
            loaded = TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(snapshot.state())),
                    snapshot.zxid(), config.extendedTypesEnabled());
        } catch (IOException e) {
            throw new UncheckedIOException("the leader's snapshot at zxid 0x" + Long.toHexString(snapshot.zxid())
                    + " does not decode", e);
        }
        stateMachine.restoreFrom(loaded);
        configuration.adoptConfigInState();
        // Local sessions are this member's own; the leader's state replaces the global ones.
        for (long id : tracker.globalSessionIds()) {
            tracker.remove(id);
        }
        stateMachine.sessions().forEach(tracker::add);
        LOG.info("Installed the leader's snapshot at zxid 0x{}", Long.toHexString(snapshot.zxid()));
        observer.installed(snapshot);
    }

    /**
     * A session is open until its close is committed, but this member's tracker may have let go of one whose
     * close never was: a client's closeSession drops it from the tracker of the member it is connected to
     * before the close goes through the log, and a leader that expires a session drops it before proposing
     * the close; when the leader died or was cut off before committing, the session stays open everywhere
     * else. On every role change the tracker takes back every open session: as leader, because only the
     * leader expires sessions, and one it lacks would never expire and keep its ephemerals for ever (glue
     * simulation seed 6); as a follower, because it would tell the session's client that the session
     * expired, which only the leader decides (seed 221).
     */
    void trackEverySession() {
        stateMachine.sessions().forEach((id, timeoutMs) -> {
            if (!tracker.isAlive(id)) {
                tracker.add(id, timeoutMs);
            }
        });
    }
}
