package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Linked;
import dev.paddock.server.quorum.Message.Notification;
import dev.paddock.server.quorum.Message.Vote;
import java.util.random.RandomGenerator;

/**
 * One ensemble member's protocol logic as a single-threaded event loop: it reacts to ticks, messages and
 * storage completions, and acts only through {@link Host} and {@link ReplicaStorage}. Time, network, disk
 * and randomness are all injected, so whole ensembles run inside a deterministic simulation (the KRaft
 * style of docs/decisions.md decision 4).
 */
public final class Member {
    final int myId;
    final QuorumConfig config;
    final ReplicaStorage storage;
    final Host host;
    final RandomGenerator random;
    final Election election;
    long appliedZxid;

    private Role role = Role.LOOKING;
    /**
     * Links this member has accepted as a leader, newest last (bounded). A late or repeated opening of a
     * link must not open it again, least of all in a later leader role whose numbering starts afresh.
     */
    private final java.util.LinkedHashSet<Long> openedLinks = new java.util.LinkedHashSet<>();
    private static final int MAX_REMEMBERED_LINKS = 4096;
    private LeaderRole leader;
    private LearnerRole learner;

    public Member(int myId, QuorumConfig config, ReplicaStorage storage, Host host, RandomGenerator random,
                  long appliedZxid) {
        this.myId = myId;
        this.config = config;
        this.storage = storage;
        this.host = host;
        this.random = random;
        this.appliedZxid = appliedZxid;
        this.election = new Election(myId, config);
        lookForLeader();
    }

    public int id() {
        return myId;
    }

    public Role role() {
        return role;
    }

    /** The leader this member follows or is, -1 while looking. */
    public int leaderId() {
        return switch (role) {
            case LEADING -> myId;
            case FOLLOWING, OBSERVING -> learner.leaderId();
            case LOOKING -> -1;
        };
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
            learner.send(new Message.Touches(sessionIds));
        }
    }

    public void tick() {
        switch (role) {
            case LOOKING -> announce();
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

    void lookForLeader() {
        role = Role.LOOKING;
        leader = null;
        learner = null;
        election.start(storage.currentEpoch(), storage.lastZxid());
        host.roleChanged(Role.LOOKING, -1, storage.currentEpoch());
        announce();
    }

    /** Starts a new epoch led by {@code leaderId} without an election (used when the zxid counter runs out). */
    void lookForLeaderAs(int leaderId) {
        lookForLeader();
        follow(leaderId);
    }

    private void follow(int leaderId) {
        if (leaderId == myId) {
            role = Role.LEADING;
            leader = new LeaderRole(this);
            host.roleChanged(role, myId, storage.currentEpoch());
            leader.start();
        } else {
            role = config.observers().contains(myId) ? Role.OBSERVING : Role.FOLLOWING;
            learner = new LearnerRole(this, leaderId);
            host.roleChanged(role, leaderId, storage.currentEpoch());
        }
    }

    private void announce() {
        Vote v = election.proposal();
        Vote shown = v != null ? v : new Vote(-1, storage.lastZxid(), storage.currentEpoch());
        for (int peer : config.everyone()) {
            if (peer != myId) {
                host.send(peer, new Notification(shown, election.round(), Role.LOOKING));
            }
        }
    }

    private void onNotification(int from, Notification n) {
        if (role == Role.LOOKING) {
            if (election.receive(from, n)) {
                announce();
            }
            return;
        }
        if (n.senderRole() == Role.LOOKING) {
            // Tell a looking member who leads, so it can join without a new election.
            int current = leaderId();
            host.send(from, new Notification(new Vote(current, storage.lastZxid(), storage.currentEpoch()),
                    n.round(), role));
        }
    }

    // ---- shared by the roles -------------------------------------------------------------------------------

    /** Applies committed entries from the log up to {@code zxid}. */
    void applyUpTo(long zxid) {
        if (zxid <= appliedZxid) {
            return;
        }
        long upTo = Math.min(zxid, storage.lastZxid());
        if (upTo <= appliedZxid) {
            return;
        }
        for (Entry e : storage.entries(appliedZxid, upTo)) {
            host.apply(e);
            appliedZxid = e.zxid();
        }
    }

    @Override
    public String toString() {
        return "member " + myId + " " + role + " epoch " + storage.currentEpoch() + " applied "
                + Zxid.hex(appliedZxid) + " last " + Zxid.hex(storage.lastZxid());
    }
}
