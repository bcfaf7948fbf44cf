package dev.paddock.server.quorum;

import dev.paddock.server.fault.Invariants;
import dev.paddock.server.quorum.Message.Ack;
import dev.paddock.server.quorum.Message.AckEpoch;
import dev.paddock.server.quorum.Message.Commit;
import dev.paddock.server.quorum.Message.Forward;
import dev.paddock.server.quorum.Message.Inform;
import dev.paddock.server.quorum.Message.LeaderInfo;
import dev.paddock.server.quorum.Message.LearnerInfo;
import dev.paddock.server.quorum.Message.Linked;
import dev.paddock.server.quorum.Message.Ping;
import dev.paddock.server.quorum.Message.Proposal;
import dev.paddock.server.quorum.Message.Reestablish;
import dev.paddock.server.quorum.Message.UpToDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader side: discover a quorum and pick a new epoch above every epoch they accepted; have a quorum
 * acknowledge it, refusing to lead if any of them holds a newer history; bring each learner up to date
 * by diff, truncate-and-diff or snapshot; become established once a quorum acknowledged NEWLEADER; then
 * propose, pipelined, and commit in zxid order once a quorum has each entry durable.
 *
 * <h2>The leader's phase</h2>
 * <pre>
 *   DISCOVERY -> NEW_EPOCH   a quorum of voters (counting this one) sent LearnerInfo: the new epoch is
 *                            max(accepted epochs) + 1, promised to itself and sent to every learner
 *   NEW_EPOCH -> SYNC        a quorum of voters promised the epoch (AckEpoch): the history to establish is
 *                            this leader's log as it is now; learners that acknowledged get their sync
 *   SYNC      -> BROADCAST   that history is durable here and a quorum of voters acknowledged NEWLEADER:
 *                            the epoch is recorded, everything synced is committed, proposals may start
 * </pre>
 * Any phase ends by stepping down (the role object is dropped). The commit point only moves forward and
 * never past the last logged entry.
 *
 * <h2>Each learner's phase</h2>
 * <pre>
 *   INFO            -> EPOCH_ACKED      its AckEpoch arrived (its last zxid is now known)
 *   EPOCH_ACKED     -> SYNC_SENT        the leader is in SYNC or BROADCAST: Sync (with snapshot chunks
 *                                       and entry batches) and NewLeader sent; proposals and commits
 *                                       follow from now on
 *   SYNC_SENT       -> NEWLEADER_ACKED  its NEWLEADER ack arrived before the leader was established
 *   SYNC_SENT       -> ACTIVE           its NEWLEADER ack arrived after: UpToDate sent
 *   NEWLEADER_ACKED -> ACTIVE           the leader was established: UpToDate sent
 * </pre>
 * A learner that re-joins, falls silent or breaks its link is dropped and starts again at INFO with a new
 * link. A message that does not fit the learner's phase (a repeated AckEpoch or NEWLEADER ack) is ignored.
 */
final class LeaderRole {
    private enum Phase { DISCOVERY, NEW_EPOCH, SYNC, BROADCAST }

    private enum LearnerPhase { INFO, EPOCH_ACKED, SYNC_SENT, NEWLEADER_ACKED, ACTIVE }

    private static final Transitions<Phase> PHASES = Transitions.of(Phase.class, "leader phase")
            .allow(Phase.DISCOVERY, Phase.NEW_EPOCH)
            .allow(Phase.NEW_EPOCH, Phase.SYNC)
            .allow(Phase.SYNC, Phase.BROADCAST)
            .build();

    private static final Transitions<LearnerPhase> LEARNER_PHASES = Transitions.of(LearnerPhase.class,
                    "learner phase at the leader")
            .allow(LearnerPhase.INFO, LearnerPhase.EPOCH_ACKED)
            .allow(LearnerPhase.EPOCH_ACKED, LearnerPhase.SYNC_SENT)
            .allow(LearnerPhase.SYNC_SENT, LearnerPhase.NEWLEADER_ACKED, LearnerPhase.ACTIVE)
            .allow(LearnerPhase.NEWLEADER_ACKED, LearnerPhase.ACTIVE)
            .build();

    private static final class Learner {
        final int id;
        final Link link;
        final boolean observer;
        final long acceptedEpoch;
        LearnerPhase phase = LearnerPhase.INFO;
        long lastZxid;
        long syncedZxid;
        /** The highest zxid it acknowledged on this link (operators' view of its lag; not used by the protocol). */
        long ackedZxid = -1;
        int silentTicks;

        Learner(int id, Link link, boolean observer, long acceptedEpoch, long lastZxid) {
            this.id = id;
            this.link = link;
            this.observer = observer;
            this.acceptedEpoch = acceptedEpoch;
            this.lastZxid = lastZxid;
        }

        void moveTo(LearnerPhase to) {
            phase = LEARNER_PHASES.check(phase, to, "learner " + id);
        }
    }

    private final Member member;
    /** By id, so every iteration is in id order (the simulation must stay deterministic). */
    private final TreeMap<Integer, Learner> learners = new TreeMap<>();
    private final Set<Integer> epochAcked = new HashSet<>();
    private final Set<Integer> newLeaderAcked = new HashSet<>();
    /** Uncommitted proposals and the voters that have each durable. */
    private final TreeMap<Long, Set<Integer>> outstanding = new TreeMap<>();
    private Phase phase = Phase.DISCOVERY;
    private long newEpoch = -1;
    private long establishZxid = -1;
    private long counter;
    private long commitZxid;
    private int ticks;

    LeaderRole(Member member) {
        this.member = member;
        // Applied may exceed the log only after a restart from a snapshot newer than the durable log.
        this.commitZxid = Math.min(member.appliedZxid(), member.storage.lastZxid());
        epochAcked.add(member.myId);
    }

    /**
     * Begins epoch establishment. Separate from the constructor because a one-member ensemble establishes
     * at once, calling back into the host, which must already see this role as the member's.
     */
    void start() {
        maybePickEpoch();
    }

    boolean established() {
        return phase == Phase.BROADCAST;
    }

    private void moveTo(Phase to) {
        phase = PHASES.check(phase, to, member);
    }

    /** Proposes a client write; returns its zxid, or -1 when this leader cannot propose now. */
    long propose(byte[] payload) {
        if (!established() || !member.isCurrent(this)) {
            return -1;
        }
        if (counter >= member.config.counterLimit()) {
            // The counter is exhausted: move to a new epoch with the same followers, without an election
            // (ZOOKEEPER-1277). The client retries.
            reestablish();
            return -1;
        }
        long zxid = Zxid.of(newEpoch, counter + 1);
        Entry entry = new Entry(zxid, member.host.prepare(zxid, payload, view));
        counter++;
        member.append(entry);
        outstanding.put(zxid, new HashSet<>());
        for (Learner l : learners.values()) {
            if (!l.observer && l.phase.compareTo(LearnerPhase.SYNC_SENT) >= 0) {
                l.link.send(new Proposal(entry));
            }
        }
        return zxid;
    }

    /** The zxid a restore would take now (the next of the epoch), or -1 while anything is in flight. */
    long restorableZxid() {
        if (!established() || !member.isCurrent(this) || !outstanding.isEmpty() || !learners.isEmpty()
                || counter >= member.config.counterLimit() || commitZxid != member.storage.lastZxid()) {
            return -1;
        }
        return Zxid.of(newEpoch, counter + 1);
    }

    /** The state was restored at {@code zxid}, which {@link #restorableZxid} gave: it counts as committed. */
    void restored(long zxid) {
        counter++;
        commitZxid = zxid;
    }

    /** Runs epoch establishment again with this leader and its learners, without an election. */
    private void reestablish() {
        for (Learner l : learners.values()) {
            l.link.send(new Reestablish());
        }
        member.lookForLeaderAs(member.myId);
    }

    /** What a reconfiguration is resolved against: what only this leader knows. */
    private final Host.LeaderView view = new Host.LeaderView() {
        @Override
        public boolean configPending() {
            return member.configPending();
        }

        @Override
        public boolean syncedQuorumOf(Set<Integer> voters) {
            int synced = voters.contains(member.myId) ? 1 : 0;
            for (Learner l : learners.values()) {
                boolean caughtUp = l.phase == LearnerPhase.NEWLEADER_ACKED || l.phase == LearnerPhase.ACTIVE;
                if (caughtUp && !l.observer && voters.contains(l.id)) {
                    synced++;
                }
            }
            return synced * 2 > voters.size();
        }
    };

    /** Each connected learner's progress as this leader sees it, by id (read-only; for operators). */
    List<LearnerProgress> progress() {
        long last = member.storage.lastZxid();
        List<LearnerProgress> out = new java.util.ArrayList<>(learners.size());
        for (Learner l : learners.values()) {
            boolean synced = l.phase == LearnerPhase.NEWLEADER_ACKED || l.phase == LearnerPhase.ACTIVE;
            out.add(new LearnerProgress(l.id, l.observer, synced, l.ackedZxid, last));
        }
        return out;
    }

    /** Stops leading and tells the learners at once, as closing their connections would. */
    void stepDown() {
        for (Learner l : learners.values()) {
            l.link.send(new Message.StepDown());
        }
        member.lookForLeader();
    }

    void tick() {
        ticks++;
        for (var it = learners.entrySet().iterator(); it.hasNext(); ) {
            Learner l = it.next().getValue();
            // A learner still syncing may be busy taking a large snapshot: it gets initLimit, as in ZooKeeper.
            int limit = l.phase == LearnerPhase.ACTIVE ? member.config.syncLimitTicks() : member.config.initLimitTicks();
            if (++l.silentTicks > limit || !l.link.healthy()) {
                it.remove();
                continue;
            }
            l.link.send(new Ping(commitZxid));
        }
        if (!established()) {
            if (ticks > member.config.initLimitTicks()) {
                stepDown();
            }
            return;
        }
        Set<Integer> alive = new HashSet<>(learners.keySet());
        alive.add(member.myId);
        if (!member.isQuorum(alive)) {
            // Without a quorum this leader could only serve stale reads and never commit: step down.
            stepDown();
        }
    }

    void receive(int from, Linked message) {
        if (message.body() instanceof LearnerInfo info) {
            if (message.seq() != 0 || !member.firstOpening(message.link())) {
                return; // not an opening message, or a late copy of one that opened a link before
            }
            // A learner takes part as it says it does: an observer gets Informs, anyone else Proposals to
            // acknowledge. Acknowledgements count only where a configuration lists the sender as a voter, so a
            // server this leader's config does not list is let in as ZooKeeper lets it in: an unlisted observer
            // (the migration by observers) or a voter joining before the reconfiguration that adds it.
            boolean observer = info.observer();
            if (established() && !observer && member.isVoterAnywhere(from) && info.acceptedEpoch() > newEpoch) {
                // This voter promised a newer epoch to a leader that never got going; it cannot follow ours
                // without breaking that promise, so move everyone to an epoch above it. (A voter that promised
                // this very epoch, to us or to a candidate that lost, can follow: it simply re-syncs.)
                reestablish();
                return;
            }
            Link link = new Link(message.link(), from, member.host);
            link.acceptedFirst();
            Learner l = new Learner(from, link, observer, info.acceptedEpoch(), info.lastZxid());
            learners.put(from, l);
            epochAcked.remove(from);
            newLeaderAcked.remove(from);
            if (newEpoch >= 0) {
                link.send(new LeaderInfo(newEpoch));
            } else {
                maybePickEpoch();
            }
            return;
        }
        Learner l = learners.get(from);
        if (l == null || !l.link.belongs(message)) {
            return; // a learner we dropped, or a link it replaced
        }
        List<Linked> ready = l.link.receive(message);
        if (ready == null) {
            learners.remove(from);
            return;
        }
        for (Linked each : ready) {
            if (learners.get(from) != l || !member.isCurrent(this)) {
                return;
            }
            handle(l, each);
        }
    }

    private void handle(Learner l, Linked message) {
        l.silentTicks = 0;
        Message.Body body = message.body();
        if (body instanceof AckEpoch ack) {
            onAckEpoch(l, ack);
        } else if (body instanceof Ack ack) {
            onAck(l, ack);
        } else if (body instanceof Forward f) {
            propose(f.payload());
        } else if (body instanceof Message.SyncRequest s) {
            l.link.send(new Message.SyncReply(s.id(), commitZxid));
        } else if (body instanceof Message.Touches t) {
            member.host.touched(t.sessionIds());
        }
    }

    void persisted(long zxid) {
        if (!established()) {
            maybeEstablish();
            return;
        }
        ack(member.myId, zxid);
    }

    // ---- discovery and epoch --------------------------------------------------------------------------

    private void maybePickEpoch() {
        Set<Integer> known = new HashSet<>();
        known.add(member.myId);
        long maxAccepted = member.storage.acceptedEpoch();
        for (Learner l : learners.values()) {
            if (!l.observer) {
                known.add(l.id);
                maxAccepted = Math.max(maxAccepted, l.acceptedEpoch);
            }
        }
        if (!member.isQuorum(known)) {
            return;
        }
        moveTo(Phase.NEW_EPOCH);
        newEpoch = maxAccepted + 1;
        member.promiseEpoch(newEpoch, member.myId);
        for (Learner l : learners.values()) {
            l.link.send(new LeaderInfo(newEpoch));
        }
        // A one-member ensemble has its quorum already.
        syncIfEpochQuorum();
    }

    /**
     * Once a quorum promised the epoch, fixes the history to establish and brings every learner that
     * acknowledged the epoch up to date; learners acknowledging later are synced at once.
     */
    private void syncIfEpochQuorum() {
        if (phase == Phase.NEW_EPOCH) {
            if (!member.isQuorum(epochAcked)) {
                return;
            }
            moveTo(Phase.SYNC);
            establishZxid = member.storage.lastZxid();
            member.versionStaticConfig(Zxid.of(newEpoch, 0));
        }
        for (Learner each : learners.values()) {
            if (each.phase == LearnerPhase.EPOCH_ACKED) {
                sync(each);
            }
        }
        maybeEstablish();
    }

    private void onAckEpoch(Learner l, AckEpoch ack) {
        if (l.phase != LearnerPhase.INFO) {
            return; // the learner answered this link's LeaderInfo already
        }
        boolean ahead = ack.currentEpoch() > member.storage.currentEpoch()
                || ack.currentEpoch() == member.storage.currentEpoch() && ack.lastZxid() > member.storage.lastZxid();
        if (ahead && !established() && !l.observer) {
            // A member of the establishing quorum holds a newer history than this leader: leading would lose
            // it. (Once established, a learner's extra entries cannot be committed and are truncated.)
            stepDown();
            return;
        }
        l.lastZxid = ack.lastZxid();
        l.moveTo(LearnerPhase.EPOCH_ACKED);
        if (ack.counted() && !l.observer) {
            epochAcked.add(l.id);
        }
        syncIfEpochQuorum();
    }

    /** Brings the learner up to this leader's log ({@link LeaderSync}); proposals and commits follow. */
    private void sync(Learner l) {
        l.syncedZxid = LeaderSync.send(member, l.link, l.lastZxid, newEpoch);
        l.moveTo(LearnerPhase.SYNC_SENT);
    }

    private void onAck(Learner l, Ack ack) {
        l.ackedZxid = Math.max(l.ackedZxid, ack.zxid());
        if (ack.newLeader()) {
            if (l.phase != LearnerPhase.SYNC_SENT) {
                return; // a repeated NEWLEADER ack
            }
            if (!established()) {
                l.moveTo(LearnerPhase.NEWLEADER_ACKED);
                if (!l.observer) {
                    newLeaderAcked.add(l.id);
                }
                maybeEstablish();
            } else {
                l.moveTo(LearnerPhase.ACTIVE);
                l.link.send(new UpToDate(commitZxid));
                if (!l.observer) {
                    ack(l.id, ack.zxid());
                }
            }
            return;
        }
        if (!l.observer && established() && l.phase.compareTo(LearnerPhase.SYNC_SENT) >= 0) {
            ack(l.id, ack.zxid());
        }
    }

    private void maybeEstablish() {
        if (phase != Phase.SYNC || member.storage.durableZxid() < establishZxid) {
            return;
        }
        Set<Integer> acked = new HashSet<>(newLeaderAcked);
        acked.add(member.myId);
        if (!member.isQuorum(acked)) {
            return;
        }
        member.recordEpoch(newEpoch, establishZxid, member.myId);
        moveTo(Phase.BROADCAST);
        advanceCommit(Math.max(commitZxid, establishZxid));
        for (Learner l : learners.values()) {
            if (l.phase == LearnerPhase.NEWLEADER_ACKED) {
                l.moveTo(LearnerPhase.ACTIVE);
                l.link.send(new UpToDate(commitZxid));
            }
        }
        member.host.roleChanged(Role.LEADING, member.myId, newEpoch);
        member.settleReconfig();
    }

    /** Moves the commit point, which never goes back nor past the log, and applies up to it. */
    private void advanceCommit(long zxid) {
        // Checked on every commit: the messages are built only when a check fails.
        if (zxid < commitZxid) {
            throw Invariants.violation("%s: commit point would go back from %s to %s", member, Zxid.hex(commitZxid),
                    Zxid.hex(zxid));
        }
        if (zxid > member.storage.lastZxid()) {
            throw Invariants.violation("%s: commit point %s beyond the last logged %s", member, Zxid.hex(zxid),
                    Zxid.hex(member.storage.lastZxid()));
        }
        commitZxid = zxid;
        member.applyUpTo(commitZxid);
    }

    // ---- broadcast -------------------------------------------------------------------------------------

    private void ack(int voter, long zxid) {
        for (Set<Integer> ackers : outstanding.headMap(zxid, true).values()) {
            ackers.add(voter);
        }
        long newCommit = -1;
        while (!outstanding.isEmpty()) {
            Map.Entry<Long, Set<Integer>> head = outstanding.firstEntry();
            if (!member.isQuorumAt(head.getKey(), head.getValue())) {
                break;
            }
            outstanding.pollFirstEntry();
            newCommit = head.getKey();
        }
        if (newCommit < 0) {
            return;
        }
        long previous = commitZxid;
        advanceCommit(newCommit);
        List<Entry> entries = null;
        for (Learner l : learners.values()) {
            if (l.phase.compareTo(LearnerPhase.SYNC_SENT) < 0) {
                continue;
            }
            if (!l.observer) {
                l.link.send(new Commit(commitZxid));
                continue;
            }
            if (entries == null) {
                entries = member.storage.entries(previous, commitZxid);
            }
            for (Entry e : entries) {
                if (e.zxid() > l.syncedZxid) {
                    l.link.send(new Inform(e));
                }
            }
            l.link.send(new Commit(commitZxid));
        }
        member.settleReconfig();
    }
}
