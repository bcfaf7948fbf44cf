package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Notification;
import java.util.List;
import java.util.Set;

/**
 * The configurations one member knows and how they change: the one in force with its version (the zxid of
 * the reconfiguration that made it, or 0 for a static one), the reconfigurations logged after it and not yet
 * applied (joint consensus: see {@link LoggedConfigs}), and whether one applied since the roles last settled.
 * It keeps the member's {@link Election} told of every change, so elections count the same voters.
 *
 * <p>{@link Member} switches roles; this class only says what the member is in the configuration in force
 * and whether a reconfiguration changed that ({@link #partChanged}). Request thread only, like the member.
 */
final class MemberConfigs {
    /** What a member is in a configuration. */
    private enum Part { VOTER, OBSERVER, ABSENT }

    private final int myId;
    private final Host host;
    private final Election election;
    /** The configuration in force: the newest one applied (reconfigurations change it when they apply). */
    private QuorumConfig inForce;
    private long version;
    /** Reconfigurations logged here and not yet applied. */
    private final LoggedConfigs logged = new LoggedConfigs();
    /** Set when a reconfiguration applied; the role acts on it once it has sent what it owes (partChanged). */
    private boolean reconfigured;

    MemberConfigs(int myId, QuorumConfig inForce, long version, Host host, Election election) {
        this.myId = myId;
        this.inForce = inForce;
        this.version = version;
        this.host = host;
        this.election = election;
    }

    QuorumConfig inForce() {
        return inForce;
    }

    /** The version of the configuration in force (the zxid of the reconfiguration that made it, or 0). */
    long version() {
        return version;
    }

    /** Whether a reconfiguration is logged here and not yet applied. */
    boolean pending() {
        return !logged.isEmpty();
    }

    /** An observer of the configuration in force. */
    boolean isObserver() {
        return inForce.observers().contains(myId);
    }

    /** A voter of the configuration in force or of one logged after it. */
    boolean isVoterAnywhere(int id) {
        return inForce.voters().contains(id) || logged.hasVoter(id);
    }

    /**
     * Whether {@code ids} may commit the entry at {@code zxid}: a quorum of the configuration in force and of
     * every reconfiguration logged at or before it (entries before a reconfiguration need the old voters only).
     */
    boolean isQuorumAt(long zxid, Set<Integer> ids) {
        return inForce.isQuorum(ids) && logged.quorumOfEachUpTo(zxid, ids);
    }

    long newestLoggedVersion() {
        return logged.newestVersion();
    }

    Set<Integer> newestLoggedVoters() {
        return logged.newestVoters();
    }

    /** An entry was logged here: a reconfiguration newer than the one in force waits until it applies. */
    void logged(Entry entry) {
        Roster roster = host.rosterOf(entry);
        if (roster != null && entry.zxid() > version) {
            logged.put(entry.zxid(), inForce.withMembers(roster));
            election.loggedConfigs(logged.all());
        }
    }

    /** Rebuilds the logged reconfigurations from the log's unapplied entries after it was read or cut. */
    void rebuildLogged(Iterable<Entry> unapplied) {
        logged.clear();
        for (Entry e : unapplied) {
            Roster roster = host.rosterOf(e);
            if (roster != null && e.zxid() > version) {
                logged.put(e.zxid(), inForce.withMembers(roster));
            }
        }
        election.loggedConfigs(logged.all());
    }

    /** The entry at {@code zxid} applied: if it was a logged reconfiguration, its configuration is in force. */
    void applied(long zxid) {
        QuorumConfig next = logged.take(zxid);
        if (next != null) {
            activate(zxid, next);
        }
    }

    /**
     * A leader's snapshot replaced the state and the log: nothing is logged any more, and the configuration the
     * snapshot holds is in force if it is newer.
     */
    void snapshotInstalled() {
        logged.clear();
        election.loggedConfigs(List.of());
        Roster roster = host.rosterInState();
        if (roster != null && roster.version() > version) {
            activate(roster.version(), inForce.withMembers(roster));
        }
    }

    /**
     * Takes another member's configuration in force (a leader's in NEWLEADER, anyone's in a notification while
     * looking) when it is newer than this member's: it is committed, so it replaces what this member had,
     * without counting as a change of part (a voter that joins before the reconfiguration that adds it follows
     * on, unlisted).
     */
    void adopt(long newVersion, byte[] text) {
        if (newVersion <= version || text.length == 0) {
            return;
        }
        Roster roster = host.adoptConfig(newVersion, text);
        if (roster != null) {
            inForce = inForce.withMembers(roster);
            version = newVersion;
            // Reconfigurations logged here at or before it are superseded by it.
            logged.supersededBy(newVersion);
            election.reconfigure(inForce);
            election.loggedConfigs(logged.all());
        }
    }

    /**
     * What a looking member learns from a notification: a newer configuration in force is adopted; the voters
     * of newer ones it cannot adopt, or that are only logged, may be needed to finish them, so they may vote and
     * be voted for here too (only in the election: this member's own quorum stays its own).
     */
    void heardWhileLooking(Notification n) {
        if (n.configVersion() > version) {
            adopt(n.configVersion(), n.config());
        }
        if (n.configVersion() > version) {
            election.heard(n.configVersion(), inForce.withMembers(new Roster(n.configVersion(), n.voters(),
                    Set.of())));
        }
        if (n.loggedVersion() > Math.max(version, newestLoggedVersion())) {
            election.heard(n.loggedVersion(), inForce.withMembers(new Roster(n.loggedVersion(), n.loggedVoters(),
                    Set.of())));
        }
    }

    /** A leader versions its static configuration (see {@link Host#versionsConfigs}). */
    void versionStatic(long newVersion) {
        if (version == 0 && logged.isEmpty() && host.versionsConfigs()) {
            version = newVersion;
            host.configVersioned(newVersion);
        }
    }

    /**
     * Whether a reconfiguration applied since the last call changed what this member is, for a member in
     * {@code role}: an observer made a voter, a voter made an observer, a leader no longer a voter, an observer
     * removed. A follower that no configuration lists any more keeps following (see {@link Member#settleReconfig}).
     */
    boolean partChanged(Role role) {
        if (!reconfigured) {
            return false;
        }
        reconfigured = false;
        Part now = partIn(inForce);
        return switch (role) {
            case LEADING -> now != Part.VOTER;
            case FOLLOWING -> now == Part.OBSERVER && !isVoterAnywhere(myId);
            case OBSERVING -> now != Part.OBSERVER || isVoterAnywhere(myId);
            case LOOKING -> false;
        };
    }

    private Part partIn(QuorumConfig c) {
        return c.voters().contains(myId) ? Part.VOTER : c.observers().contains(myId) ? Part.OBSERVER : Part.ABSENT;
    }

    /** A reconfiguration applied (committed): its configuration is the one in force from now on. */
    private void activate(long newVersion, QuorumConfig next) {
        inForce = next;
        version = newVersion;
        election.reconfigure(next);
        election.loggedConfigs(logged.all());
        reconfigured = true;
    }

    @Override
    public String toString() {
        return "config " + Zxid.hex(version) + " voters " + inForce.voters() + " observers " + inForce.observers()
                + (logged.isEmpty() ? "" : " logged " + logged);
    }
}
