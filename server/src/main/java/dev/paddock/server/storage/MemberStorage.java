package dev.paddock.server.storage;

import dev.paddock.server.quorum.ReplicaStorage;
import dev.paddock.server.tree.StateMachine;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What an ensemble member needs from its storage: the state start-up recovered, the log and epochs the
 * protocol writes, and the snapshot policy. {@link ServerStorage} is the disk; the glue simulation gives
 * the same member a simulated disk whose fsyncs, snapshot writes and crashes it schedules, so the real
 * member code runs under a seeded, single-threaded schedule (docs/decisions.md decision 4).
 */
public interface MemberStorage extends AutoCloseable {
    /** Opens a member's storage; {@code wake} is how the log tells the member that entries became durable. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param wake called (on the log's own thread, if it has one) after the durable point moved; it must
         *             not block, and returns false when it could not hand the news on (the log asks again)
         * @throws RecoveryException when the stored data cannot be read without losing acknowledged entries
         */
        MemberStorage open(BooleanSupplier wake) throws IOException, RecoveryException;
    }

    /**
     * The state machine at the newest durable snapshot, as start-up read it; the entries logged after it wait
     * in {@link #log()} until the member knows they are committed (unless start-up knew they all are and applied
     * them: then it stands at the last of them, and the member starts with them applied). Handed over once: the caller takes its
     * contents ({@code StateMachine.restoreFrom}).
     */
    StateMachine recoveredState();

    /** The member's epochs and log. */
    ReplicaStorage log();

    /**
     * The member took the recovered state's contents into {@code stateMachine} (when start-up applied the log,
     * it already stands at the last logged entry): the storage may snapshot it now. Request thread, or before
     * it starts.
     */
    default void tookRecoveredState(StateMachine stateMachine) {
    }

    /** Counts one applied entry and starts a snapshot when the policy says one is due (request thread). */
    void applied(StateMachine stateMachine);

    /** Starts a snapshot now (the {@code snap} four-letter word); says what happened. */
    String snapshotNow(StateMachine stateMachine);

    /** Lets a running snapshot finish, then writes and forces everything queued. */
    @Override
    void close();
}
