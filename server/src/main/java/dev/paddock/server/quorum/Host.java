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

    /** A client write this member forwarded was proposed, or a role change happened; optional hooks. */
    default void roleChanged(Role role, int leaderId, long epoch) {
    }
}
