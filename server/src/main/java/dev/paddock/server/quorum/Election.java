package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Notification;
import dev.paddock.server.quorum.Message.Vote;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Leader election in the manner of ZooKeeper's fast leader election: every looking member proposes the
 * best (epoch, last zxid, server id) it has heard of, in rounds; a vote held by a quorum for a whole tick
 * wins. A member that arrives while an ensemble is running learns the leader from the members that
 * follow or lead. Safety does not rest on this: a leader still has to establish its epoch with a quorum.
 */
final class Election {
    /** About three seconds of election ticks (see {@link #ticksToWait}). */
    static final int EMPTY_HISTORY_WAIT_TICKS = 30;
    private final int myId;
    private QuorumConfig config;
    /** Configurations logged after the one in force (not yet applied): a running leader of one is joined too. */
    private java.util.List<QuorumConfig> logged = java.util.List.of();
    /**
     * Reconfigurations other members announced as logged that this member lacks, by version: their voters may
     * vote and be voted for here (a member holding one needs their votes to win), but this member's own
     * decision counts only the configurations it holds, as Raft's servers use the configurations in their own
     * logs (one that will never commit must not hold this member's election back). Cleared with each round
     * this member starts.
     */
    private final java.util.TreeMap<Long, QuorumConfig> heard = new java.util.TreeMap<>();
    private long round;
    private Vote proposal;
    /** This member's own credentials in the current round. */
    private Vote own;
    private final Map<Integer, Vote> votes = new HashMap<>();
    /** Votes of members that already follow or lead, by sender. */
    private final Map<Integer, Vote> settled = new HashMap<>();
    private Vote candidate;
    private int stableTicks;

    Election(int myId, QuorumConfig config) {
        this.myId = myId;
        this.config = config;
    }

    /** A reconfiguration was applied: votes count in the new configuration from the next round. */
    void reconfigure(QuorumConfig next) {
        this.config = next;
    }

    /**
     * The configurations logged after the one in force. A member that was away while a reconfiguration
     * committed may hold it only in its log: it must still find the leader the new voters follow. Joining a
     * leader is safe whoever it is (the leader's own epoch establishment decides what is committed); only
     * votes count in the configuration in force.
     */
    void loggedConfigs(java.util.List<QuorumConfig> configs) {
        this.logged = java.util.List.copyOf(configs);
    }

    /**
     * A voter of the configuration in force, of one logged after it, or of one another member announced:
     * while a reconfiguration is logged and not applied, both sets vote (the new voters may be needed to
     * finish it), and a winner needs a quorum of each configuration this member holds (isQuorum), as Raft's
     * joint consensus elects.
     */
    boolean isVoter(int id) {
        if (config.voters().contains(id)) {
            return true;
        }
        for (QuorumConfig c : logged) {
            if (c.voters().contains(id)) {
                return true;
            }
        }
        for (QuorumConfig c : heard.values()) {
            if (c.voters().contains(id)) {
                return true;
            }
        }
        return false;
    }

    private boolean isQuorum(Set<Integer> ids) {
        if (!config.isQuorum(ids)) {
            return false;
        }
        for (QuorumConfig c : logged) {
            if (!c.isQuorum(ids)) {
                return false;
            }
        }
        return true;
    }

    void heard(long version, QuorumConfig c) {
        heard.put(version, c);
    }

    /** Everyone this election talks to: the configuration in force, and the voters of logged and heard ones. */
    java.util.SortedSet<Integer> audience() {
        java.util.SortedSet<Integer> all = new java.util.TreeSet<>(config.everyone());
        for (QuorumConfig c : logged) {
            all.addAll(c.voters());
        }
        for (QuorumConfig c : heard.values()) {
            all.addAll(c.voters());
        }
        return all;
    }

    /** Starts a new round with this member's own credentials. */
    Vote start(long myEpoch, long myLastZxid) {
        round++;
        heard.clear();
        votes.clear();
        settled.clear();
        candidate = null;
        stableTicks = 0;
        own = new Vote(myId, myLastZxid, myEpoch);
        proposal = isVoter(myId) ? own : null;
        if (proposal != null) {
            votes.put(myId, proposal);
        }
        return proposal;
    }

    long round() {
        return round;
    }

    Vote proposal() {
        return proposal;
    }

    static boolean better(Vote a, Vote b) {
        if (b == null) {
            return true;
        }
        if (a.epoch() != b.epoch()) {
            return a.epoch() > b.epoch();
        }
        if (a.zxid() != b.zxid()) {
            return a.zxid() > b.zxid();
        }
        return a.leader() > b.leader();
    }

    /** Handles a notification; returns true when this member's proposal changed and must be re-announced. */
    boolean receive(int from, Notification n) {
        if (n.senderRole() != Role.LOOKING) {
            settled.put(from, n.vote());
            return false;
        }
        if (!isVoter(from)) {
            return false;
        }
        boolean changed = false;
        if (n.round() > round) {
            round = n.round();
            votes.clear();
            candidate = null;
            if (proposal != null) {
                votes.put(myId, proposal);
            }
            changed = true;
        } else if (n.round() < round) {
            return true; // tell the laggard about the current round
        }
        if (isVoter(n.vote().leader()) && better(n.vote(), proposal)) {
            proposal = n.vote();
            if (isVoter(myId)) {
                votes.put(myId, proposal);
            }
            changed = true;
        }
        votes.put(from, n.vote());
        return changed;
    }

    /**
     * Called once per tick. Returns the winner once a quorum has held the same vote for a full tick, or the
     * leader that a quorum of settled members follows; null while undecided.
     */
    /**
     * Election ticks a quorum's vote must stand before it wins. One, as ZooKeeper's finalizeWait, except
     * when the winner would have no history at all (epoch 0, zxid 0) while some voter has not been heard:
     * then up to {@value #EMPTY_HISTORY_WAIT_TICKS}. A quorum of empty members is a brand-new ensemble
     * (every member starts within moments, so waiting for the last one costs nothing) or new members added
     * next to a server that holds data (a standalone server grown in place); concluding without that
     * server would make it follow an empty leader and lose its data.
     */
    private int ticksToWait() {
        boolean emptyWinner = proposal.zxid() == 0 && proposal.epoch() == 0;
        return emptyWinner && !votes.keySet().containsAll(config.voters()) ? EMPTY_HISTORY_WAIT_TICKS : 1;
    }

    Integer decide() {
        Integer joined = runningLeader();
        if (joined != null) {
            return joined;
        }
        if (proposal != null && !isVoter(proposal.leader())) {
            // The configuration changed under this round (adopted, applied or no longer announced): a vote for
            // a server that is no voter here any more goes back to this member's own, or to none.
            proposal = isVoter(myId) ? own : null;
            votes.remove(myId);
            if (proposal != null) {
                votes.put(myId, proposal);
            }
            candidate = null;
            stableTicks = 0;
        }
        if (proposal == null) {
            return null;
        }
        Set<Integer> agreeing = new HashSet<>();
        for (Map.Entry<Integer, Vote> e : votes.entrySet()) {
            if (e.getValue().equals(proposal)) {
                agreeing.add(e.getKey());
            }
        }
        if (!isQuorum(agreeing)) {
            candidate = null;
            stableTicks = 0;
            return null;
        }
        if (!proposal.equals(candidate)) {
            candidate = proposal;
            stableTicks = 0;
            if (!soleVoter()) {
                return null;
            }
        }
        // Wait one tick for a better vote still on its way, as ZooKeeper's finalizeWait does; the only voter
        // of every configuration it knows has no other vote to wait for (a standalone server starts at once).
        return soleVoter() || ++stableTicks >= ticksToWait() ? proposal.leader() : null;
    }

    private boolean soleVoter() {
        return config.voters().size() == 1 && config.voters().contains(myId) && logged.isEmpty() && heard.isEmpty();
    }

    /** A voter that says it leads and that a quorum (counting itself) follows. */
    private Integer runningLeader() {
        Map<Integer, Set<Integer>> followers = new HashMap<>();
        for (Map.Entry<Integer, Vote> e : settled.entrySet()) {
            followers.computeIfAbsent(e.getValue().leader(), k -> new HashSet<>()).add(e.getKey());
        }
        for (Map.Entry<Integer, Set<Integer>> e : followers.entrySet()) {
            int leader = e.getKey();
            Vote leaderOwn = settled.get(leader);
            if (leaderOwn == null || leaderOwn.leader() != leader) {
                continue;
            }
            if (config.voters().contains(leader) && config.isQuorum(e.getValue())) {
                return leader;
            }
            for (QuorumConfig c : logged) {
                if (c.voters().contains(leader) && c.isQuorum(e.getValue())) {
                    return leader;
                }
            }
        }
        return null;
    }
}
