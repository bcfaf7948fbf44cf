package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Message;
import java.util.HashSet;
import java.util.Set;

/**
 * The glue simulation's network: every message is an event some milliseconds after it was sent (so
 * messages overtake each other), and while the schedule is in chaos it may be lost or duplicated, and a
 * partition drops whatever crosses it. A message reaches whatever process runs on the target machine when it
 * arrives; links and election rounds tell stale ones apart, as they must over real reconnects.
 */
final class SimNetwork {
    /** A delivery, formatted only when the trace is shown. */
    private record Delivery(int from, int to, Message message) {
        @Override
        public String toString() {
            return "deliver " + from + "->" + to + " " + MessageDescription.of(message);
        }
    }

    private final GlueSimulation sim;
    private Set<Integer> isolated = Set.of();

    SimNetwork(GlueSimulation sim) {
        this.sim = sim;
    }

    void send(int from, int to, Message message) {
        if (message instanceof Message.Linked l && l.body() instanceof Message.Sync sync && sync.snapshot() != null
                && sim.node(from).disk.snapshotBeingWritten()) {
            sim.coverage().snapSyncsDuringSnapshotWrite++; // the review's hazard H1, on the leader's side
        }
        GlueSimulation.Faults f = sim.faults();
        boolean chaos = sim.inChaos();
        if (chaos && sim.random().nextDouble() < f.dropRate()) {
            return;
        }
        int copies = chaos && sim.random().nextDouble() < f.duplicateRate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = 1 + sim.random().nextLong(f.maxDelayMs());
            sim.scheduler().after(delay, new Delivery(from, to, message), () -> deliver(from, to, message));
        }
    }

    private void deliver(int from, int to, Message message) {
        if (isolated.contains(from) != isolated.contains(to)) {
            return;
        }
        if (message instanceof Message.Linked l && l.body() instanceof Message.Sync sync && sync.snapshot() != null) {
            sim.coverage().snapSyncs++;
        }
        sim.node(to).receive(from, message);
    }

    /** Cuts {@code side} off from everyone else until {@link #heal}. */
    void partition(Set<Integer> side) {
        isolated = new HashSet<>(side);
    }

    void heal() {
        isolated = Set.of();
    }

    boolean partitioned() {
        return !isolated.isEmpty();
    }
}
