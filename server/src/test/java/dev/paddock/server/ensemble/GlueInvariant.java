package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.tree.ApplyResult;

/**
 * One named property of the glue simulation, checked as the schedule runs (KRaft's simulation style): it
 * hears what members apply, install, recover and write, checks after every event, and checks once more when
 * the ensemble has been healed and left quiet. A failure names the invariant, so a red run says which
 * promise broke before anyone reads the trace.
 */
interface GlueInvariant {
    /** A broken invariant, named. */
    final class Violation extends RuntimeException {
        final String invariant;

        Violation(String invariant, String message) {
            super(invariant + ": " + message);
            this.invariant = invariant;
        }
    }

    default String name() {
        return getClass().getSimpleName();
    }

    default Violation violation(String message) {
        return new Violation(name(), message);
    }

    /** {@code node} applied a committed entry (its state machine is now at {@code entry.zxid()}). */
    default void applied(SimNode node, Entry entry, ApplyResult result) {
    }

    /** {@code node} replaced its state with a leader's snapshot. */
    default void installed(SimNode node, Snapshot snapshot) {
    }

    /** {@code node}'s process started from its disk (its state machine is at the recovered snapshot). */
    default void started(SimNode node) {
    }

    /** {@code node}'s snapshot service finished writing a snapshot. */
    default void snapshotWritten(SimNode node, long zxid, byte[] body) {
    }

    /** A client was told its request was committed. Checked after the event, once every apply was seen. */
    default void acknowledged(SimClients.Ack ack) {
    }

    /** After every event. */
    default void afterEvent(GlueSimulation sim) {
    }

    /** Once the ensemble has been healed and left without new writes. */
    default void converged(GlueSimulation sim) {
    }
}
