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

    /** On the leader: a learner's clients used these sessions. */
    default void touched(long[] sessionIds) {
    }
}
