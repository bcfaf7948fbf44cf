package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Ack;
import dev.paddock.server.quorum.Message.AckEpoch;
import dev.paddock.server.quorum.Message.Commit;
import dev.paddock.server.quorum.Message.Forward;
import dev.paddock.server.quorum.Message.Inform;
import dev.paddock.server.quorum.Message.LeaderInfo;
import dev.paddock.server.quorum.Message.LearnerInfo;
import dev.paddock.server.quorum.Message.Linked;
import dev.paddock.server.quorum.Message.NewLeader;
import dev.paddock.server.quorum.Message.Ping;
import dev.paddock.server.quorum.Message.Proposal;
import dev.paddock.server.quorum.Message.Reestablish;
import dev.paddock.server.quorum.Message.Sync;
import dev.paddock.server.quorum.Message.UpToDate;
import java.util.ArrayList;
import java.util.HashMap;
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
 */
final class LeaderRole {
    private enum LearnerPhase { INFO, EPOCH_ACKED, SYNC_SENT, NEWLEADER_ACKED, ACTIVE }

    private static final class Learner {
        final Link link;
        final boolean observer;
        final long acceptedEpoch;
        LearnerPhase phase = LearnerPhase.INFO;
        long lastZxid;
        long syncedZxid;
        int silentTicks;

        Learner(Link link, boolean observer, long acceptedEpoch, long lastZxid) {
            this.link = link;
            this.observer = observer;
            this.acceptedEpoch = acceptedEpoch;
            this.lastZxid = lastZxid;
        }
    }

    private final Member m;
    private final Map<Integer, Learner> learners = new HashMap<>();
    private final Set<Integer> epochAcked = new HashSet<>();
    private final Set<Integer> newLeaderAcked = new HashSet<>();
    /** Uncommitted proposals and the voters that have each durable. */
    private final TreeMap<Long, Set<Integer>> outstanding = new TreeMap<>();
    private long newEpoch = -1;
    private long establishZxid = -1;
    private boolean established;
    private long counter;
    private long commitZxid;
    private int ticks;

    LeaderRole(Member m) {
        this.m = m;
        this.commitZxid = m.appliedZxid;
        epochAcked.add(m.myId);
    }

    /**
     * Begins epoch establishment. Separate from the constructor because a one-member ensemble establishes
     * at once, calling back into the host, which must already see this role as the member's.
     */
    void start() {
        maybePickEpoch();
    }

    boolean established() {
        return established;
    }

    /** Proposes a client write; returns its zxid, or -1 when this leader cannot propose now. */
    long propose(byte[] payload) {
        if (!established) {
            return -1;
        }
        if (!m.isCurrent(this)) {
            return -1;
        }
        if (counter >= m.config.counterLimit()) {
            // The counter is exhausted: move to a new epoch with the same followers, without an election.
            reestablish();
            return -1;
        }
        long zxid = Zxid.of(newEpoch, ++counter);
        Entry entry = new Entry(zxid, payload);
        m.storage.append(entry);
        outstanding.put(zxid, new HashSet<>());
        for (Learner l : learners.values()) {
            if (!l.observer && l.phase.compareTo(LearnerPhase.SYNC_SENT) >= 0) {
                l.link.send(new Proposal(entry));
            }
        }
        return zxid;
    }

    /** Runs epoch establishment again with this leader and its learners, without an election. */
    private void reestablish() {
        for (Learner l : learners.values()) {
            l.link.send(new Reestablish());
        }
        m.lookForLeaderAs(m.myId);
    }

    /** Stops leading and tells the learners at once, as closing their connections would. */
    private void stepDown() {
        for (Learner l : learners.values()) {
            l.link.send(new Message.StepDown());
        }
        m.lookForLeader();
    }

    void tick() {
        ticks++;
        for (var it = learners.entrySet().iterator(); it.hasNext(); ) {
            Learner l = it.next().getValue();
            if (++l.silentTicks > m.config.syncLimitTicks() || !l.link.healthy()) {
                it.remove();
                continue;
            }
            l.link.send(new Ping(commitZxid));
        }
        if (!established) {
            if (ticks > m.config.initLimitTicks()) {
                stepDown();
            }
            return;
        }
        Set<Integer> alive = new HashSet<>(learners.keySet());
        alive.add(m.myId);
        if (!m.config.isQuorum(alive)) {
            // Without a quorum this leader could only serve stale reads and never commit: step down.
            stepDown();
        }
    }

    void receive(int from, Linked message) {
        if (message.body() instanceof LearnerInfo info) {
            if (message.seq() != 0 || !m.firstOpening(message.link())) {
                return; // not an opening message, or a late copy of one that opened a link before
            }
            if (established && !info.observer() && info.acceptedEpoch() >= newEpoch) {
                // This voter promised a newer epoch to a leader that never got going; it cannot follow ours
                // without breaking that promise, so move everyone to an epoch above it.
                reestablish();
                return;
            }
            Link link = new Link(message.link(), from, m.host);
            link.acceptedFirst();
            Learner l = new Learner(link, info.observer(), info.acceptedEpoch(), info.lastZxid());
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
        if (l == null) {
            return;
        }
        if (!l.link.belongs(message)) {
            return;
        }
        List<Linked> ready = l.link.receive(message);
        if (ready == null) {
            learners.remove(from);
            return;
        }
        for (Linked each : ready) {
            if (learners.get(from) != l || !m.isCurrent(this)) {
                return;
            }
            handle(from, l, each);
        }
    }

    private void handle(int from, Learner l, Linked message) {
        l.silentTicks = 0;
        Message.Body body = message.body();
        if (body instanceof AckEpoch ack) {
            onAckEpoch(from, l, ack);
        } else if (body instanceof Ack ack) {
            onAck(from, l, ack);
        } else if (body instanceof Forward f) {
            propose(f.payload());
        } else if (body instanceof Message.SyncRequest s) {
            l.link.send(new Message.SyncReply(s.id(), commitZxid));
        } else if (body instanceof Message.Touches t) {
            m.host.touched(t.sessionIds());
        }
    }

    void persisted(long zxid) {
        if (!established) {
            maybeEstablish();
            return;
        }
        ack(m.myId, zxid);
    }

    // ---- discovery and epoch --------------------------------------------------------------------------

    private void maybePickEpoch() {
        Set<Integer> known = new HashSet<>();
        known.add(m.myId);
        long maxAccepted = m.storage.acceptedEpoch();
        for (Map.Entry<Integer, Learner> e : learners.entrySet()) {
            if (!e.getValue().observer) {
                known.add(e.getKey());
                maxAccepted = Math.max(maxAccepted, e.getValue().acceptedEpoch);
            }
        }
        if (!m.config.isQuorum(known)) {
            return;
        }
        newEpoch = maxAccepted + 1;
        m.storage.acceptEpoch(newEpoch, m.myId);
        for (Learner l : learners.values()) {
            l.link.send(new LeaderInfo(newEpoch));
        }
        // A one-member ensemble has its quorum already.
        syncIfEpochQuorum();
    }

    /** Once a quorum acknowledged the epoch, brings every learner that did up to date. */
    private void syncIfEpochQuorum() {
        if (newEpoch < 0 || !m.config.isQuorum(epochAcked)) {
            return;
        }
        if (establishZxid < 0) {
            establishZxid = m.storage.lastZxid();
        }
        for (Learner each : learners.values()) {
            if (each.phase == LearnerPhase.EPOCH_ACKED) {
                sync(each);
            }
        }
        maybeEstablish();
    }

    private void onAckEpoch(int from, Learner l, AckEpoch ack) {
        boolean ahead = ack.currentEpoch() > m.storage.currentEpoch()
                || ack.currentEpoch() == m.storage.currentEpoch() && ack.lastZxid() > m.storage.lastZxid();
        if (ahead && !established && !l.observer) {
            // A member of the establishing quorum holds a newer history than this leader: leading would lose
            // it. (Once established, a learner's extra entries cannot be committed and are truncated.)
            stepDown();
            return;
        }
        l.lastZxid = ack.lastZxid();
        l.phase = LearnerPhase.EPOCH_ACKED;
        if (ack.counted() && !l.observer) {
            epochAcked.add(from);
        }
        syncIfEpochQuorum();
    }

    /** DIFF when the learner's last zxid is in our history, TRUNC+DIFF when it went beyond it, SNAP when too old. */
    private void sync(Learner l) {
        long last = m.storage.lastZxid();
        long base = m.storage.baseZxid();
        long theirs = l.lastZxid;
        Sync sync;
        if (theirs >= base && (theirs == base || m.storage.contains(theirs)) && theirs <= last) {
            sync = new Sync(-1, null, m.storage.entries(theirs, last));
        } else if (theirs > base) {
            long floor = m.storage.floorZxid(theirs);
            sync = new Sync(floor, null, m.storage.entries(floor, last));
        } else {
            Snapshot snapshot = m.host.snapshot();
            sync = new Sync(-1, snapshot, m.storage.entries(snapshot.zxid(), last));
        }
        l.link.send(sync);
        l.link.send(new NewLeader(newEpoch, last));
        l.syncedZxid = last;
        l.phase = LearnerPhase.SYNC_SENT;
    }

    private void onAck(int from, Learner l, Ack ack) {
        if (ack.newLeader()) {
            if (l.phase != LearnerPhase.SYNC_SENT) {
                return;
            }
            if (!established) {
                l.phase = LearnerPhase.NEWLEADER_ACKED;
                if (!l.observer) {
                    newLeaderAcked.add(from);
                }
                maybeEstablish();
            } else {
                l.phase = LearnerPhase.ACTIVE;
                l.link.send(new UpToDate(commitZxid));
                if (!l.observer) {
                    ack(from, ack.zxid());
                }
            }
            return;
        }
        if (!l.observer && established) {
            ack(from, ack.zxid());
        }
    }

    private void maybeEstablish() {
        if (established || establishZxid < 0 || m.storage.durableZxid() < establishZxid) {
            return;
        }
        Set<Integer> acked = new HashSet<>(newLeaderAcked);
        acked.add(m.myId);
        if (!m.config.isQuorum(acked)) {
            return;
        }
        m.storage.setCurrentEpoch(newEpoch);
        established = true;
        commitZxid = Math.max(commitZxid, establishZxid);
        m.applyUpTo(commitZxid);
        for (Learner l : learners.values()) {
            if (l.phase == LearnerPhase.NEWLEADER_ACKED) {
                l.phase = LearnerPhase.ACTIVE;
                l.link.send(new UpToDate(commitZxid));
            }
        }
        m.host.roleChanged(Role.LEADING, m.myId, newEpoch);
    }

    // ---- broadcast -------------------------------------------------------------------------------------

    private void ack(int voter, long zxid) {
        for (Set<Integer> ackers : outstanding.headMap(zxid, true).values()) {
            ackers.add(voter);
        }
        List<Long> committed = new ArrayList<>();
        while (!outstanding.isEmpty()) {
            Map.Entry<Long, Set<Integer>> head = outstanding.firstEntry();
            if (!m.config.isQuorum(head.getValue())) {
                break;
            }
            outstanding.pollFirstEntry();
            committed.add(head.getKey());
        }
        if (committed.isEmpty()) {
            return;
        }
        long previous = commitZxid;
        commitZxid = committed.get(committed.size() - 1);
        m.applyUpTo(commitZxid);
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
                entries = m.storage.entries(previous, commitZxid);
            }
            for (Entry e : entries) {
                if (e.zxid() > l.syncedZxid) {
                    l.link.send(new Inform(e));
                }
            }
            l.link.send(new Commit(commitZxid));
        }
    }
}
