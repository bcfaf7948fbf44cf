package dev.paddock.server.quorum;

import dev.paddock.server.fault.Invariants;
import dev.paddock.server.quorum.Message.Linked;
import dev.paddock.server.quorum.Message.Notification;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.random.RandomGenerator;

/**
 * One ensemble member's protocol logic as a single-threaded event loop: it reacts to ticks, messages and
 * storage completions, and acts only through {@link Host} and {@link ReplicaStorage}. Time, network, disk
 * and randomness are all injected, so whole ensembles run inside a deterministic simulation (the KRaft
 * style of docs/decisions.md decision 4).
 *
 * <p>The roles ({@link LeaderRole}, {@link LearnerRole}) change the member's durable state only through
 * the small methods in "shared by the roles" below, which check the protocol's invariants (etcd's
 * {@code Panicf}): zxids are appended in increasing order; nothing applied is truncated; a snapshot never
 * takes the state back; applied &lt;= committed &lt;= last logged; an epoch is promised only upwards; the
 * current epoch is recorded only once the history synced in it is durable, never goes back, and has one
 * leader as seen by this member. A failed check throws {@link Invariants.InvariantViolation}: the member's
 * own logic reached a state it must never reach. A message from a peer that is merely stale or unexpected
 * is not such a state; the roles ignore it or start over.
 *
 * <h2>Role transitions</h2>
 * <pre>
 *   (start)    -> LOOKING    a new member looks for a leader
 *   LOOKING    -> LEADING    the election settled on this member (only a voter), or this leader starts
 *                            a new epoch without an election (counter exhausted, or a voter promised a
 *                            newer epoch elsewhere: lookForLeaderAs)
 *   LOOKING    -> FOLLOWING  the election settled on another voter, or a running leader was found
 *                            (only a voter follows)
 *   LOOKING    -> OBSERVING  as FOLLOWING, for an observer
 *   LEADING    -> LOOKING    no quorum for syncLimit ticks, not established within initLimit ticks, or an
 *                            acknowledging voter holds a newer history
 *   FOLLOWING  -> LOOKING    the leader fell silent, its connection closed, the link broke, it stepped
 *   OBSERVING  -> LOOKING    down or asked to re-establish, or it sent something the protocol does not allow
 * </pre>
 * A member never moves between LEADING, FOLLOWING and OBSERVING directly: a new role always starts from
 * LOOKING, so every role object is fresh.
 */
public final class Member {
    private static final Transitions<Role> ROLE_TRANSITIONS = Transitions.of(Role.class, "role")
            .allow(Role.LOOKING, Role.LEADING, Role.FOLLOWING, Role.OBSERVING)
            .allow(Role.LEADING, Role.LOOKING)
            .allow(Role.FOLLOWING, Role.LOOKING)
            .allow(Role.OBSERVING, Role.LOOKING)
            .build();
    /** Session ids per Touches message, so a report stays well inside the message bound. */
    static final int MAX_TOUCHES_PER_MESSAGE = 65_536;
    /** Link openings remembered (oldest forgotten first). */
    private static final int MAX_REMEMBERED_LINKS = 4096;
    /**
     * Entries read from the log at a time when applying or scanning a long range: the storage may hold only
     * its newest entries in memory and read older ones back from disk, so a long range is never held at once.
     */
    static final int READ_BATCH = 1024;

    final int myId;
    /**
     * The configuration this member started with, for its limits only (ticks, the zxid counter, sync message
     * sizes), which no reconfiguration changes. Who takes part now is {@link #configs}' business.
     */
    final QuorumConfig config;
    /** The configuration in force, the reconfigurations logged after it, and what they make this member. */
    private final MemberConfigs configs;
    final ReplicaStorage storage;
    final Host host;
    final RandomGenerator random;
    private final Election election;
    private final ElectionMessages messages;
    private long appliedZxid;
    /** The leader this member synced with in its current epoch, -1 when not known (after a restart). */
    private int currentEpochLeader = -1;

    private Role role;
    /**
     * Links this member has accepted as a leader, newest last (bounded). A late or repeated opening of a
     * link must not open it again, least of all in a later leader role whose numbering starts afresh.
     */
    private final LinkedHashSet<Long> openedLinks = new LinkedHashSet<>();
    private LeaderRole leader;
    private LearnerRole learner;

    public Member(int myId, QuorumConfig config, ReplicaStorage storage, Host host, RandomGenerator random,
                  long appliedZxid) {
        this(myId, config, 0, storage, host, random, appliedZxid);
    }

    /**
     * @param configVersion the version of {@code config} (0 for a static one); a member that a reconfiguration
     *     removed may start with a config that does not list it: it then never serves
     */
    public Member(int myId, QuorumConfig config, long configVersion, ReplicaStorage storage, Host host,
                  RandomGenerator random, long appliedZxid) {
        this.myId = myId;
        this.config = config;
        this.storage = storage;
        this.host = host;
        this.random = random;
        this.appliedZxid = appliedZxid;
        this.election = new Election(myId, config);
        this.configs = new MemberConfigs(myId, config, configVersion, host, election);
        this.messages = new ElectionMessages(myId, election, configs, host, storage);
        findLoggedConfigs();
        lookForLeader();
    }

    public int id() {
        return myId;
    }

    public Role role() {
        return role;
    }

    boolean isObserver() {
        return configs.isObserver();
    }

    /** The configuration in force (its members change when a reconfiguration applies). */
    QuorumConfig configInForce() {
        return configs.inForce();
    }

    /** The version of the configuration in force (the zxid of the reconfiguration that made it, or 0). */
    public long configVersion() {
        return configs.version();
    }

    /** Whether a reconfiguration is logged here and not yet applied. */
    boolean configPending() {
        return configs.pending();
    }

    /** A voter of the configuration in force or of one logged after it. */
    boolean isVoterAnywhere(int id) {
        return configs.isVoterAnywhere(id);
    }

    /** A quorum of the configuration in force and of every one logged after it. */
    boolean isQuorum(java.util.Set<Integer> ids) {
        return isQuorumAt(Long.MAX_VALUE, ids);
    }

    /**
     * Whether {@code ids} may commit the entry at {@code zxid}: a quorum of the configuration in force and of
     * every reconfiguration logged at or before it (entries before a reconfiguration need the old voters only).
     */
    boolean isQuorumAt(long zxid, java.util.Set<Integer> ids) {
        return configs.isQuorumAt(zxid, ids);
    }

    /** The leader this member follows or is, -1 while looking. */
    public int leaderId() {
        return switch (role) {
            case LEADING -> myId;
            case FOLLOWING, OBSERVING -> learner.leaderId();
            case LOOKING -> -1;
        };
    }

    /** What this member knows of its learners while it leads (none otherwise); read-only, for operators. */
    public java.util.List<LearnerProgress> learnerProgress() {
        return role == Role.LEADING ? leader.progress() : java.util.List.of();
    }

    /** True for a leader whose epoch is established (it may propose). */
    public boolean isServingLeader() {
        return role == Role.LEADING && leader.established();
    }

    /** True once this member may answer clients: a leader with an epoch, or a learner that is up to date. */
    public boolean isServing() {
        return switch (role) {
            case LEADING -> leader.established();
            case FOLLOWING, OBSERVING -> learner.upToDate();
            case LOOKING -> false;
        };
    }

    /** Records a link opening; false when this link was opened before (in any leader role). */
    boolean firstOpening(long nonce) {
        if (!openedLinks.add(nonce)) {
            return false;
        }
        if (openedLinks.size() > MAX_REMEMBERED_LINKS) {
            openedLinks.remove(openedLinks.iterator().next());
        }
        return true;
    }

    /** False for a role object that was replaced; it must stop acting at once. */
    boolean isCurrent(Object roleObject) {
        return roleObject == leader || roleObject == learner;
    }

    public long appliedZxid() {
        return appliedZxid;
    }

    public long epoch() {
        return storage.currentEpoch();
    }

    /**
     * A client write arriving at this member: proposed here when leading, forwarded to the leader when
     * following. Returns false when there is nobody to take it (the client should retry).
     */
    public boolean submit(byte[] payload) {
        if (role == Role.LEADING) {
            return leader.propose(payload) >= 0;
        }
        if ((role == Role.FOLLOWING || role == Role.OBSERVING) && learner.upToDate()) {
            learner.forward(payload);
            return true;
        }
        return false;
    }

    /**
     * Asks for the ensemble's commit point; {@link Host#syncReady} answers (at once on the leader). Returns
     * false when there is no leader to ask.
     */
    public boolean sync(long id) {
        if (role == Role.LEADING && leader.established()) {
            host.syncReady(id, appliedZxid);
            return true;
        }
        if ((role == Role.FOLLOWING || role == Role.OBSERVING) && learner.upToDate()) {
            learner.send(new Message.SyncRequest(id));
            return true;
        }
        return false;
    }

    /** On a learner: reports the sessions its clients used, so the leader does not expire them. */
    public void reportTouches(long[] sessionIds) {
        if ((role == Role.FOLLOWING || role == Role.OBSERVING) && learner.upToDate() && sessionIds.length > 0) {
            for (int from = 0; from < sessionIds.length; from += MAX_TOUCHES_PER_MESSAGE) {
                int to = Math.min(sessionIds.length, from + MAX_TOUCHES_PER_MESSAGE);
                learner.send(new Message.Touches(from == 0 && to == sessionIds.length ? sessionIds
                        : Arrays.copyOfRange(sessionIds, from, to)));
            }
        }
    }

    public void tick() {
        switch (role) {
            case LOOKING -> messages.announce();
            case LEADING -> leader.tick();
            case FOLLOWING, OBSERVING -> learner.tick();
        }
    }

    /**
     * A short timer (about 100 ms, independent of tickTime) that settles elections: a vote a quorum holds
     * wins once it has stood for one of these, as ZooKeeper's finalizeWait of 200 ms lets it. Ticks of
     * seconds would make every failover take seconds more.
     */
    public void electionTick() {
        if (role == Role.LOOKING) {
            Integer winner = election.decide();
            if (winner != null) {
                follow(winner);
            }
        }
    }

    /**
     * The connection from {@code peer} closed. A learner whose leader it was looks for a new one at once
     * instead of waiting syncLimit ticks of silence, as a ZooKeeper follower does when its socket closes.
     */
    public void peerDisconnected(int peer) {
        if ((role == Role.FOLLOWING || role == Role.OBSERVING) && learner.leaderId() == peer) {
            lookForLeader();
        }
    }

    public void receive(int from, Message message) {
        if (message instanceof Notification n) {
            onNotification(from, n);
        } else if (message instanceof Linked l) {
            if (role == Role.LEADING) {
                leader.receive(from, l);
            } else if (role == Role.FOLLOWING || role == Role.OBSERVING) {
                learner.receive(from, l);
            }
        }
    }

    /** The storage made every appended entry up to {@code zxid} durable. */
    public void persisted(long zxid) {
        if (role == Role.LEADING) {
            leader.persisted(zxid);
        } else if (role == Role.FOLLOWING || role == Role.OBSERVING) {
            learner.persisted(zxid);
        }
    }

    // ---- role changes ---------------------------------------------------------------------------------

    private void become(Role to) {
        role = role == null ? to : ROLE_TRANSITIONS.check(role, to, this);
    }

    void lookForLeader() {
        become(Role.LOOKING);
        leader = null;
        learner = null;
        election.start(storage.currentEpoch(), storage.lastZxid());
        host.roleChanged(Role.LOOKING, -1, storage.currentEpoch());
        messages.announce();
    }

    /** Starts a new epoch led by {@code leaderId} without an election (used when the zxid counter runs out). */
    void lookForLeaderAs(int leaderId) {
        lookForLeader();
        follow(leaderId);
    }

    private void follow(int leaderId) {
        if (leaderId == myId) {
            Invariants.check(isVoterAnywhere(myId) || election.isVoter(myId), "observer %d about to lead", myId);
            become(Role.LEADING);
            leader = new LeaderRole(this);
            host.roleChanged(role, myId, storage.currentEpoch());
            leader.start();
        } else {
            Invariants.check(isVoterAnywhere(leaderId) || election.isVoter(leaderId),
                    "member %d about to follow non-voter %d", myId,
                    leaderId);
            // An observer that a logged reconfiguration makes a voter (its own, or one the leader announced)
            // follows: its promise and acknowledgements may be needed to finish it.
            become(isObserver() && !election.isVoter(myId) ? Role.OBSERVING : Role.FOLLOWING);
            learner = new LearnerRole(this, leaderId);
            host.roleChanged(role, leaderId, storage.currentEpoch());
        }
    }

    private void onNotification(int from, Notification n) {
        if (role == Role.LOOKING) {
            messages.heardWhileLooking(from, n);
        } else {
            messages.heardInRole(from, n, role, leaderId());
        }
    }

    // ---- shared by the roles: every change of durable or applied state goes through these ---------------

    /** Logs an entry; zxids are appended in strictly increasing order. */
    void append(Entry entry) {
        if (entry.zxid() <= storage.lastZxid()) {
            throw Invariants.violation("member %d appends %s after %s", myId, Zxid.hex(entry.zxid()),
                    Zxid.hex(storage.lastZxid()));
        }
        storage.append(entry);
        configs.logged(entry);
    }

    /** Takes a newer configuration in force that a leader sent in NEWLEADER (see {@link MemberConfigs#adopt}). */
    void adoptConfig(long version, byte[] text) {
        configs.adopt(version, text);
    }

    /** A leader versions its static configuration (see {@link Host#versionsConfigs}). */
    void versionStaticConfig(long version) {
        configs.versionStatic(version);
    }

    /** Rebuilds the logged reconfigurations from the log after it was read, cut or replaced. */
    private void findLoggedConfigs() {
        configs.rebuildLogged(storage.lastZxid() > appliedZxid
                ? storage.reconfigCandidates(appliedZxid, storage.lastZxid(), READ_BATCH) : java.util.List.of());
    }

    /**
     * Called by the roles once they have sent what they owe for the entries just applied. A member whose part
     * changed starts again in its new part, as ZooKeeper's members do ({@code QuorumPeer.updateLearnerType}:
     * "changes proposed in reconfig"): an observer made a voter, a voter made an observer, an observer removed.
     * A leader that is no longer a voter hands over by stepping down once it sent the commit, and the new
     * configuration's voters elect one of themselves. A member that no configuration lists follows the
     * leader as a non-voting participant, as in ZooKeeper: a removed follower keeps following (and serving
     * its clients, until the operator stops it), a voter joining before the reconfig that adds it follows
     * on, and either counts nowhere.
     */
    void settleReconfig() {
        if (!configs.partChanged(role)) {
            return;
        }
        if (role == Role.LEADING) {
            leader.stepDown();
        } else {
            lookForLeader();
        }
    }

    /**
     * Drops the log above {@code zxid}. Only entries that were never committed may go: everything applied
     * here was committed, so a cut below the applied point would lose acknowledged writes (ZOOKEEPER-4785).
     */
    void truncateAfter(long zxid) {
        Invariants.check(zxid >= appliedZxid, "member %d told to truncate to %s below its applied %s", myId,
                Zxid.hex(zxid), Zxid.hex(appliedZxid));
        storage.truncateAfter(zxid);
        findLoggedConfigs();
    }

    /** Replaces the state and the log with a leader's snapshot, which is never behind what was applied. */
    void installSnapshot(Snapshot snapshot) {
        Invariants.check(snapshot.zxid() >= appliedZxid, "member %d installs a snapshot at %s below its applied %s",
                myId, Zxid.hex(snapshot.zxid()), Zxid.hex(appliedZxid));
        host.install(snapshot);
        storage.resetTo(snapshot);
        appliedZxid = snapshot.zxid();
        configs.snapshotInstalled();
    }

    /**
     * The zxid an operator's restore (the AdminServer's restore) would give the restored state now, or -1 when
     * it cannot happen now: only a one-member ensemble's established leader with nothing in flight may replace
     * its state on its own (in a larger ensemble every member's state is the log's). The zxid is the next of
     * the epoch, after everything logged, so recovery never replays an older entry on top of the restored state.
     */
    public long restorableZxid() {
        if (role != Role.LEADING || configInForce().voters().size() != 1 || !configInForce().observers().isEmpty()
                || appliedZxid != storage.lastZxid()) {
            return -1;
        }
        return leader.restorableZxid();
    }

    /**
     * The host replaced its state with a restored one at {@link #restorableZxid()}: the log is reset to it, as
     * when a learner installs a leader's snapshot, and the next proposal follows it.
     */
    public void restored(Snapshot snapshot) {
        Invariants.check(snapshot.zxid() >= 0 && snapshot.zxid() == restorableZxid(),
                "member %d restored a snapshot at %s, not at its restorable zxid %s", myId, Zxid.hex(snapshot.zxid()),
                Zxid.hex(restorableZxid()));
        storage.resetTo(snapshot);
        appliedZxid = snapshot.zxid();
        leader.restored(snapshot.zxid());
        configs.snapshotInstalled();
    }

    /** Promises {@code epoch} to {@code leaderId}; a promise only ever moves to a newer epoch. */
    void promiseEpoch(long epoch, int leaderId) {
        Invariants.check(epoch > storage.acceptedEpoch(), "member %d promises epoch %d after %d", myId, epoch,
                storage.acceptedEpoch());
        storage.acceptEpoch(epoch, leaderId);
    }

    /**
     * Records {@code epoch}, synced with {@code leaderId} up to {@code syncedZxid}, as the current epoch. The
     * synced history must be durable first (ZOOKEEPER-3911, 4643, 4646): an epoch file ahead of the log would
     * win elections with a history that lacks committed entries. The current epoch never goes back, a voter
     * records only an epoch it promised, and one epoch has one leader.
     */
    void recordEpoch(long epoch, long syncedZxid, int leaderId) {
        Invariants.check(storage.durableZxid() >= syncedZxid,
                "member %d records epoch %d before its synced history is durable (durable %s, synced %s)", myId,
                epoch, Zxid.hex(storage.durableZxid()), Zxid.hex(syncedZxid));
        Invariants.check(epoch >= storage.currentEpoch(), "member %d records epoch %d after %d", myId, epoch,
                storage.currentEpoch());
        Invariants.check(role == Role.OBSERVING || epoch <= storage.acceptedEpoch(),
                "member %d records epoch %d but promised only %d", myId, epoch, storage.acceptedEpoch());
        Invariants.check(epoch != storage.currentEpoch() || currentEpochLeader < 0 || currentEpochLeader == leaderId,
                "member %d sees two leaders in epoch %d: %d and %d", myId, epoch, currentEpochLeader, leaderId);
        storage.setCurrentEpoch(epoch);
        currentEpochLeader = leaderId;
    }

    /**
     * Applies committed entries from the log up to {@code commitZxid} (or the last logged entry, if the
     * commit point is ahead of the log). Afterwards applied &lt;= committed and applied &lt;= last logged.
     */
    void applyUpTo(long commitZxid) {
        long upTo = Math.min(commitZxid, storage.lastZxid());
        if (upTo <= appliedZxid) {
            return;
        }
        for (Entry e : storage.inBatches(appliedZxid, upTo, READ_BATCH)) {
            if (e.zxid() <= appliedZxid || e.zxid() > upTo) {
                throw Invariants.violation("member %d applies %s after %s (up to %s)", myId, Zxid.hex(e.zxid()),
                        Zxid.hex(appliedZxid), Zxid.hex(upTo));
            }
            host.apply(e);
            appliedZxid = e.zxid();
            configs.applied(e.zxid());
        }
    }

    @Override
    public String toString() {
        return "member " + myId + " " + role + " epoch " + storage.currentEpoch() + " applied "
                + Zxid.hex(appliedZxid) + " last " + Zxid.hex(storage.lastZxid()) + " " + configs;
    }
}
