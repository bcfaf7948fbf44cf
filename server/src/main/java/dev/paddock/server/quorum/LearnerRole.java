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
import dev.paddock.server.quorum.Message.Pong;
import dev.paddock.server.quorum.Message.Proposal;
import dev.paddock.server.quorum.Message.Reestablish;
import dev.paddock.server.quorum.Message.Sync;
import dev.paddock.server.quorum.Message.UpToDate;
import java.util.List;

/**
 * The follower and observer side: join the leader (LearnerInfo, LeaderInfo, AckEpoch), take its sync,
 * persist it, then adopt its epoch, then acknowledge NEWLEADER (in that order: ZOOKEEPER-3911, 4394, 4643,
 * 4646, 4685), then log and acknowledge proposals only once they are durable, and apply commits in order.
 */
final class LearnerRole {
    private enum Phase { DISCOVERY, SYNC, BROADCAST }

    private final Member m;
    private final int leaderId;
    private final boolean observer;
    private final Link link;
    private Phase phase = Phase.DISCOVERY;
    private int silentTicks;
    private long newEpoch = -1;
    /** The zxid whose durability completes the NEWLEADER step; -1 when not waiting. */
    private long newLeaderZxid = -1;
    private boolean upToDate;
    /** Commit point learned before the entries were logged here. */
    private long pendingCommit;

    /** What opened the link; repeated each tick until the leader answers, as it may not lead yet. */
    private final LearnerInfo opening;
    private boolean heardFromLeader;

    LearnerRole(Member m, int leaderId) {
        this.m = m;
        this.leaderId = leaderId;
        this.observer = m.config.observers().contains(m.myId);
        this.link = new Link(m.random.nextLong(), leaderId, m.host);
        this.opening = new LearnerInfo(m.storage.acceptedEpoch(), m.storage.lastZxid(), observer);
        link.send(opening);
    }

    int leaderId() {
        return leaderId;
    }

    boolean upToDate() {
        return upToDate;
    }

    void forward(byte[] payload) {
        link.send(new Forward(payload));
    }

    void send(Message.Body body) {
        link.send(body);
    }

    void tick() {
        if (!link.healthy()) {
            m.lookForLeader();
            return;
        }
        if (!heardFromLeader) {
            link.resendOpening(opening);
        }
        silentTicks++;
        int limit = phase == Phase.BROADCAST && upToDate ? m.config.syncLimitTicks() : m.config.initLimitTicks();
        if (silentTicks > limit) {
            m.lookForLeader();
        }
    }

    void receive(int from, Linked message) {
        if (from != leaderId) {
            return;
        }
        if (!link.belongs(message)) {
            return;
        }
        List<Linked> ready = link.receive(message);
        if (ready == null) {
            m.lookForLeader();
            return;
        }
        for (Linked each : ready) {
            if (!m.isCurrent(this)) {
                return;
            }
            handle(each);
        }
    }

    private void handle(Linked message) {
        silentTicks = 0;
        heardFromLeader = true;
        Message.Body body = message.body();
        if (body instanceof LeaderInfo info) {
            onLeaderInfo(info);
        } else if (body instanceof Sync sync) {
            onSync(sync);
        } else if (body instanceof NewLeader nl) {
            onNewLeader(nl);
        } else if (body instanceof UpToDate u) {
            upToDate = true;
            phase = Phase.BROADCAST;
            commit(u.commitZxid());
        } else if (body instanceof Proposal p) {
            m.storage.append(p.entry());
        } else if (body instanceof Commit c) {
            commit(c.zxid());
        } else if (body instanceof Inform i) {
            if (i.entry().zxid() > m.storage.lastZxid()) {
                m.storage.append(i.entry());
            }
            commit(i.entry().zxid());
        } else if (body instanceof Ping) {
            link.send(new Pong());
        } else if (body instanceof Message.SyncReply reply) {
            m.host.syncReady(reply.id(), reply.commitZxid());
        } else if (body instanceof Message.StepDown) {
            m.lookForLeader();
        } else if (body instanceof Reestablish) {
            m.lookForLeaderAs(leaderId);
        }
    }

    private void onLeaderInfo(LeaderInfo info) {
        long accepted = m.storage.acceptedEpoch();
        boolean counted;
        if (observer) {
            // Observers never vote, so they promise nothing and follow whichever leader is running.
            counted = false;
        } else if (info.newEpoch() > accepted) {
            m.storage.acceptEpoch(info.newEpoch(), leaderId);
            counted = true;
        } else if (info.newEpoch() == accepted) {
            // A promise is given once per epoch; the same leader may ask again after a reconnect.
            counted = m.storage.acceptedLeader() == leaderId;
        } else {
            m.lookForLeader();
            return;
        }
        newEpoch = info.newEpoch();
        phase = Phase.SYNC;
        link.send(new AckEpoch(m.storage.currentEpoch(), m.storage.lastZxid(), counted));
    }

    private void onSync(Sync sync) {
        if (sync.snapshot() != null) {
            m.host.install(sync.snapshot());
            m.storage.resetTo(sync.snapshot());
            m.appliedZxid = sync.snapshot().zxid();
        } else if (sync.truncateTo() >= 0) {
            if (sync.truncateTo() < m.appliedZxid) {
                throw new IllegalStateException("member " + m.myId + " told to truncate to "
                        + Zxid.hex(sync.truncateTo()) + " below its applied " + Zxid.hex(m.appliedZxid));
            }
            m.storage.truncateAfter(sync.truncateTo());
        }
        for (Entry e : sync.entries()) {
            m.storage.append(e);
        }
    }

    private void onNewLeader(NewLeader nl) {
        if (nl.epoch() != newEpoch) {
            m.lookForLeader();
            return;
        }
        if (m.storage.lastZxid() != nl.zxid()) {
            // The sync did not bring this log to the leader's point: something was lost; start over.
            m.lookForLeader();
            return;
        }
        newLeaderZxid = nl.zxid();
        maybeAckNewLeader();
    }

    void persisted(long zxid) {
        if (newLeaderZxid >= 0) {
            maybeAckNewLeader();
            return;
        }
        if (phase == Phase.BROADCAST && !observer) {
            link.send(new Ack(zxid, false));
        }
        commit(pendingCommit);
    }

    /** Persist, then adopt the epoch, then acknowledge: the ack waits until the synced history is durable. */
    private void maybeAckNewLeader() {
        if (newLeaderZxid < 0 || m.storage.durableZxid() < newLeaderZxid) {
            return;
        }
        m.storage.setCurrentEpoch(newEpoch);
        long zxid = newLeaderZxid;
        newLeaderZxid = -1;
        phase = Phase.BROADCAST;
        link.send(new Ack(zxid, true));
    }

    private void commit(long zxid) {
        pendingCommit = Math.max(pendingCommit, zxid);
        m.applyUpTo(pendingCommit);
    }
}
