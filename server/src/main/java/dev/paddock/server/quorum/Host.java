package dev.paddock.server.quorum;

/** What a member needs from the process it runs in: the network and the state machine. */
public interface Host {
    void send(int to, Message message);

    /** Applies a committed entry; entries arrive once each, in zxid order. */
    void apply(Entry entry);

    /** The applied state, for a learner that is too far behind for a diff. */
    Snapshot snapshot();

    /** Replaces the applied state with a leader's snapshot. */
    void install(Snapshot snapshot);

    /** A role change happened (and, for a leader, when its epoch is established). */
    default void roleChanged(Role role, int leaderId, long epoch) {
    }

    /** A sync asked of this member may complete once everything up to {@code commitZxid} is applied. */
    default void syncReady(long id, long commitZxid) {
    }

    /**
     * The configuration a logged entry makes (a reconfiguration), or null for any other entry. Called for every
     * entry this member logs, so it must be cheap for ordinary ones.
     */
    default Roster rosterOf(Entry entry) {
        return null;
    }

    /** The text of the configuration in force, which a leader sends its learners in NEWLEADER; empty if none. */
    default byte[] configText() {
        return new byte[0];
    }

    /**
     * A learner takes its leader's configuration in force (newer than its own) from NEWLEADER; returns its
     * members, or null when the host keeps no configuration text.
     */
    default Roster adoptConfig(long version, byte[] config) {
        return null;
    }

    /**
     * Whether configurations carry versions (ZooKeeper's reconfigEnabled): a leader then gives a static config
     * (version 0) the version of its first NEWLEADER zxid, as ZooKeeper does (ZOOKEEPER-1783).
     */
    default boolean versionsConfigs() {
        return false;
    }

    /** The configuration in force got {@code version} (see {@link #versionsConfigs}); its members are unchanged. */
    default void configVersioned(long version) {
    }

    /** The configuration recorded in the applied state (after a leader's snapshot was installed), or null. */
    default Roster rosterInState() {
        return null;
    }

    /**
     * On the leader, just before a client's entry is logged at {@code zxid}: the host may replace its payload.
     * A reconfiguration is resolved here into the new configuration (or into the error it must fail with),
     * against what only the leader knows ({@link LeaderView}), as ZooKeeper's leader prepares it.
     */
    default byte[] prepare(long zxid, byte[] payload, LeaderView view) {
        return payload;
    }

    /** What a leader knows when it resolves a reconfiguration. */
    interface LeaderView {
        /** A reconfiguration is logged and not yet applied (ZooKeeper: last seen config != current). */
        boolean configPending();

        /** Whether this leader and the learners synced with it include a quorum of {@code voters}. */
        boolean syncedQuorumOf(java.util.Set<Integer> voters);
    }

    /** On the leader: a learner's clients used these sessions. */
    default void touched(long[] sessionIds) {
    }
}
