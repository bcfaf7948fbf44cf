package dev.paddock.server.mirror;

import dev.paddock.server.migration.ZkTxn;
import dev.paddock.server.tree.StateMachine;
import java.util.Map;

/**
 * What the mirror's thread tells whoever serves clients from the mirrored state ({@link MirrorWritePath}),
 * in the order it happens on the leader's connection. Called on the mirror's thread; an implementation hands
 * the work to its own thread and may wait while that thread's queue is full (back-pressure on the leader's
 * stream, as ZooKeeper's observer applies it).
 */
public interface MirrorListener {
    /** A leader's snapshot replaced everything: {@code state} is a new state machine nobody else holds. */
    void installed(StateMachine state);

    /** A committed transaction was applied to the mirror's state (one already applied is not reported). */
    void applied(ZkTxn.Entry entry);

    /** The leader said UPTODATE: from now on this mirror may serve and forward. */
    void upToDate();

    /** The leader answered this connection's oldest outstanding SYNC. */
    void syncAnswered();

    /** The leader answered a REVALIDATE of {@code sessionId}. */
    void revalidated(long sessionId, boolean valid);

    /** The connection to the leader ended; what was forwarded on it and not yet answered is lost. */
    void lost();

    /** The sessions touched since the last PING, with their timeouts: the PING reply's touch list. Emptied. */
    Map<Long, Integer> drainTouches();

    MirrorListener NONE = new MirrorListener() {
        @Override
        public void installed(StateMachine state) {
        }

        @Override
        public void applied(ZkTxn.Entry entry) {
        }

        @Override
        public void upToDate() {
        }

        @Override
        public void syncAnswered() {
        }

        @Override
        public void revalidated(long sessionId, boolean valid) {
        }

        @Override
        public void lost() {
        }

        @Override
        public Map<Long, Integer> drainTouches() {
            return Map.of();
        }
    };
}
