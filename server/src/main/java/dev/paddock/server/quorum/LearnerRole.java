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
import dev.paddock.server.quorum.Message.NewLeader;
import dev.paddock.server.quorum.Message.Ping;
import dev.paddock.server.quorum.Message.Pong;
import dev.paddock.server.quorum.Message.Proposal;
import dev.paddock.server.quorum.Message.Reestablish;
import dev.paddock.server.quorum.Message.SnapshotChunk;
import dev.paddock.server.quorum.Message.SnapshotHeader;
import dev.paddock.server.quorum.Message.Sync;
import dev.paddock.server.quorum.Message.SyncEntries;
import dev.paddock.server.quorum.Message.UpToDate;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The follower and observer side: join the leader (LearnerInfo, LeaderInfo, AckEpoch), take its sync,
 * persist it, then adopt its epoch, then acknowledge NEWLEADER (in that order: ZOOKEEPER-3911, 4394, 4643,
 * 4646, 4685), then log and acknowledge proposals only once they are durable, and apply commits in order.
 *
 * <h2>Phases</h2>
 * <pre>
 *   DISCOVERY  -> SYNC        LeaderInfo: a voter promises the epoch (if newer than its promise), then
 *                             answers AckEpoch with its current epoch and last zxid
 *   SYNC       -> PERSISTING  NewLeader after the whole sync was taken: the Sync (truncate, or a snapshot
 *                             header whose chunks are reassembled and installed once whole and intact),
 *                             the SyncEntries; the log must end exactly at the leader's point
 *   PERSISTING -> SYNCED      the synced history is durable: the epoch is recorded as current, then NEWLEADER
 *                             is acknowledged, then any proposal already durable
 *   SYNCED     -> BROADCAST   UpToDate: the learner serves clients
 * </pre>
 * Proposals and commits are taken only after NEWLEADER (PERSISTING, SYNCED, BROADCAST) and acknowledged only
 * after the NEWLEADER ack (SYNCED, BROADCAST). Any phase ends by looking for a leader again (the role
 * object is dropped): silence, a broken link, StepDown, Reestablish, or a leader message the current phase
 * does not allow. Such a message is the leader's or the network's doing, not this member's, so it restarts
 * the join rather than failing an invariant.
 */
final class LearnerRole {
    private enum Phase { DISCOVERY, SYNC, PERSISTING, SYNCED, BROADCAST }

    private static final Transitions<Phase> PHASES = Transitions.of(Phase.class, "learner phase")
            .allow(Phase.DISCOVERY, Phase.SYNC)
            .allow(Phase.SYNC, Phase.PERSISTING)
            .allow(Phase.PERSISTING, Phase.SYNCED)
            .allow(Phase.SYNCED, Phase.BROADCAST)
            .build();

    private final Member member;
    private final int leaderId;
    private final boolean observer;
    private final Link link;
    private Phase phase = Phase.DISCOVERY;
    private int silentTicks;
    private long newEpoch = -1;
    /** The leader's last zxid when it synced us; the history that must be durable before the NEWLEADER ack. */
    private long newLeaderZxid = -1;
    private boolean syncReceived;
    /** The snapshot being received: its header, its bytes and how many arrived; null when none is. */
    private SnapshotHeader snapshotHeader;
    private byte[] incoming;
    private int received;
    /** Highest commit point the leader announced. */
    private long commitZxid;

    /** What opened the link; repeated each tick until the leader answers, as it may not lead yet. */
    private final LearnerInfo opening;
    private boolean heardFromLeader;

    LearnerRole(Member member, int leaderId) {
        this.member = member;
        this.leaderId = leaderId;
        this.observer = member.role() == Role.OBSERVING;
        this.link = new Link(member.random.nextLong(), leaderId, member.host);
        this.opening = new LearnerInfo(member.storage.acceptedEpoch(), member.storage.lastZxid(), observer);
        link.send(opening);
    }

    int leaderId() {
        return leaderId;
    }

    boolean upToDate() {
        return phase == Phase.BROADCAST;
    }

    void forward(byte[] payload) {
        link.send(new Forward(payload));
    }

    void send(Message.Body body) {
        link.send(body);
    }

    private void moveTo(Phase to) {
        phase = PHASES.check(phase, to, member);
    }

    void tick() {
        if (!link.healthy()) {
            member.lookForLeader();
            return;
        }
        if (!heardFromLeader) {
            link.resendOpening(opening);
        }
        silentTicks++;
        int limit = phase == Phase.BROADCAST ? member.config.syncLimitTicks() : member.config.initLimitTicks();
        if (silentTicks > limit) {
            member.lookForLeader();
        }
    }

    void receive(int from, Linked message) {
        if (from != leaderId || !link.belongs(message)) {
            return; // another member, or a link this role did not open
        }
        List<Linked> ready = link.receive(message);
        if (ready == null) {
            member.lookForLeader();
            return;
        }
        for (Linked each : ready) {
            if (!member.isCurrent(this)) {
                return;
            }
            handle(each);
        }
    }

    private boolean afterNewLeader() {
        return phase == Phase.PERSISTING || phase == Phase.SYNCED || phase == Phase.BROADCAST;
    }

    private void handle(Linked message) {
        silentTicks = 0;
        heardFromLeader = true;
        Message.Body body = message.body();
        if (body instanceof Ping) {
            link.send(new Pong());
        } else if (body instanceof Message.StepDown) {
            member.lookForLeader();
        } else if (body instanceof Reestablish) {
            member.lookForLeaderAs(leaderId);
        } else if (body instanceof Message.SyncReply reply) {
            member.host.syncReady(reply.id(), reply.commitZxid());
        } else if (body instanceof LeaderInfo info && phase == Phase.DISCOVERY) {
            onLeaderInfo(info);
        } else if (body instanceof Sync sync && phase == Phase.SYNC && !syncReceived) {
            onSync(sync);
        } else if (body instanceof SnapshotChunk chunk && phase == Phase.SYNC && incoming != null) {
            onSnapshotChunk(chunk);
        } else if (body instanceof SyncEntries more && phase == Phase.SYNC && syncReceived && incoming == null) {
            appendSynced(more.entries());
        } else if (body instanceof NewLeader nl && phase == Phase.SYNC && syncReceived && incoming == null) {
            onNewLeader(nl);
        } else if (body instanceof UpToDate u && phase == Phase.SYNCED) {
            moveTo(Phase.BROADCAST);
            commit(u.commitZxid());
        } else if (body instanceof Proposal p && afterNewLeader() && !observer) {
            onProposal(p);
        } else if (body instanceof Commit c && afterNewLeader()) {
            commit(c.zxid());
        } else if (body instanceof Inform i && afterNewLeader() && observer) {
            if (i.entry().zxid() > member.storage.lastZxid()) {
                member.append(i.entry());
            }
            commit(i.entry().zxid());
        } else {
            // The leader sent what this phase does not allow: start over rather than guess.
            member.lookForLeader();
        }
    }

    private void onLeaderInfo(LeaderInfo info) {
        long accepted = member.storage.acceptedEpoch();
        boolean counted;
        if (observer) {
            // Observers never vote, so they promise nothing and follow whichever leader is running, but never
            // one older than the epoch they already synced in (it would lack entries applied here).
            if (info.newEpoch() < member.storage.currentEpoch()) {
                member.lookForLeader();
                return;
            }
            // It still records the epoch as accepted (uncounted), as ZooKeeper's observers do, so that its
            // accepted epoch never trails its history: restarted as a voter (the seeds' migration by
            // observers) it must not help establish an epoch its log already holds entries of.
            if (info.newEpoch() > accepted) {
                member.promiseEpoch(info.newEpoch(), leaderId);
            }
            counted = false;
        } else if (info.newEpoch() > accepted) {
            member.promiseEpoch(info.newEpoch(), leaderId);
            counted = true;
        } else if (info.newEpoch() == accepted) {
            // A promise is given once per epoch; the same leader may ask again after a reconnect.
            counted = member.storage.acceptedLeader() == leaderId;
        } else {
            member.lookForLeader();
            return;
        }
        newEpoch = info.newEpoch();
        moveTo(Phase.SYNC);
        link.send(new AckEpoch(member.storage.currentEpoch(), member.storage.lastZxid(), counted));
    }

    private void onSync(Sync sync) {
        SnapshotHeader header = sync.snapshot();
        if (header != null && (header.zxid() < member.appliedZxid() || !sync.entries().isEmpty())) {
            member.lookForLeader(); // a snapshot older than what this member applied: not from a current leader
            return;
        }
        syncReceived = true;
        if (header != null) {
            incoming = new byte[header.sizeBytes()];
            snapshotHeader = header;
            received = 0;
            maybeInstall();
        } else if (sync.truncateTo() >= 0) {
            // A leader never cuts what was committed: below the applied point this fails an invariant.
            member.truncateAfter(sync.truncateTo());
        }
        appendSynced(sync.entries());
    }

    /** A piece of the leader's snapshot, in order; the snapshot is installed once it is whole and intact. */
    private void onSnapshotChunk(SnapshotChunk chunk) {
        byte[] data = chunk.data();
        if (chunk.offset() != received || data.length > incoming.length - received) {
            member.lookForLeader();
            return;
        }
        System.arraycopy(data, 0, incoming, received, data.length);
        received += data.length;
        maybeInstall();
    }

    private void maybeInstall() {
        if (received < incoming.length) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(incoming);
        if ((int) crc.getValue() != snapshotHeader.checksum()) {
            member.lookForLeader();
            return;
        }
        Snapshot snapshot = new Snapshot(snapshotHeader.zxid(), incoming);
        incoming = null;
        snapshotHeader = null;
        member.installSnapshot(snapshot);
    }

    /** Appends entries of the sync, which must continue the log in order (else the join starts over). */
    private void appendSynced(List<Entry> entries) {
        for (Entry e : entries) {
            if (e.zxid() <= member.storage.lastZxid()) {
                member.lookForLeader();
                return;
            }
            member.append(e);
        }
    }

    private void onNewLeader(NewLeader nl) {
        if (nl.epoch() != newEpoch || member.storage.lastZxid() != nl.zxid()) {
            // Another epoch, or the sync did not bring this log to the leader's point: start over.
            member.lookForLeader();
            return;
        }
        if (observer && member.isVoterAnywhere(member.myId)) {
            // The sync brought a reconfiguration (not yet committed) that makes this observer a voter: it must
            // acknowledge it for it to commit, so it joins again as a follower.
            member.lookForLeader();
            return;
        }
        newLeaderZxid = nl.zxid();
        member.adoptConfig(nl.configVersion(), nl.config());
        moveTo(Phase.PERSISTING);
        maybeAckNewLeader();
    }

    private void onProposal(Proposal p) {
        Entry e = p.entry();
        if (e.zxid() <= member.storage.lastZxid() || Zxid.epoch(e.zxid()) != newEpoch) {
            member.lookForLeader();
            return;
        }
        Invariants.check(afterNewLeader(), "%s takes a proposal in phase %s", member, phase);
        member.append(e);
    }

    void persisted(long zxid) {
        if (phase == Phase.PERSISTING) {
            maybeAckNewLeader();
        } else if ((phase == Phase.SYNCED || phase == Phase.BROADCAST) && !observer) {
            link.send(new Ack(zxid, false));
        }
        if (afterNewLeader() && member.isCurrent(this)) {
            member.applyUpTo(commitZxid);
            member.settleReconfig();
        }
    }

    /**
     * Persist, then adopt the epoch, then acknowledge: the ack waits until the synced history is durable, and
     * acknowledgements of proposals that arrived meanwhile follow the NEWLEADER ack, never precede it
     * (ZOOKEEPER-4685).
     */
    private void maybeAckNewLeader() {
        long durable = member.storage.durableZxid();
        if (durable < newLeaderZxid) {
            return;
        }
        member.recordEpoch(newEpoch, newLeaderZxid, leaderId);
        moveTo(Phase.SYNCED);
        link.send(new Ack(newLeaderZxid, true));
        if (!observer && durable > newLeaderZxid) {
            link.send(new Ack(durable, false));
        }
    }

    private void commit(long zxid) {
        commitZxid = Math.max(commitZxid, zxid);
        member.applyUpTo(commitZxid);
        member.settleReconfig();
    }
}
