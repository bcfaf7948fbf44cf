package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.storage.SnapshotService;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The real server glue ({@link EnsembleMember} with the real state machine, sessions, snapshots and log)
 * under seeded fault schedules (docs/decisions.md decision 4). CI runs a fixed range of seeds;
 * {@code -Dglue.schedules=N} runs more and {@code -Dglue.seed=S} reruns one, printing its every event.
 */
class GlueSimulationTest {
    private static final GlueSimulation.Faults CALM = new GlueSimulation.Faults(0, 0, 5, 5, 20, 0, 0, 0, 0);
    private static final long CHAOS_MS = 4_000;
    private static final long HEAL_MS = 3_000;
    private static final long QUIET_MS = 4_000;

    static GlueSimulation.Faults faultsFor(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 7919 + 17);
        // Some disks are slow: fsyncs that let followers apply ahead of their own log, snapshot writes that
        // are still running when the member loses its leader and must install another's.
        // And some schedules are storms: a crash every few ticks on slow disks, so restarts land inside every
        // protocol step (the truncation still queued when its new epoch was recorded showed only there).
        boolean storm = seed % 6 == 3;
        boolean slowDisk = storm || r.nextInt(3) == 0;
        return new GlueSimulation.Faults(r.nextDouble(0.05), r.nextDouble(0.03), 1 + r.nextInt(40),
                1 + r.nextInt(slowDisk ? 300 : 30), 1 + r.nextInt(slowDisk ? 3000 : 300),
                storm ? 0.3 + r.nextDouble(0.4) : r.nextDouble(0.08), r.nextDouble(0.01), r.nextDouble(0.04),
                r.nextDouble(0.05));
    }

    static GlueSimulation.Shape shapeFor(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 104729 + 3);
        int kind = (int) (seed % 8);
        int voters = kind == 0 ? 1 : kind == 1 ? 5 : 3;
        int observers = kind == 2 || kind == 5 ? 1 : 0;
        return new GlueSimulation.Shape(voters, observers, 2 + r.nextInt(4), 10 + r.nextInt(31),
                r.nextInt(4) == 0 ? 30 + r.nextInt(100) : EnsembleMember.DEFAULT_COUNTER_LIMIT);
    }

    static void schedule(long seed, GlueSimulation.Coverage coverage, boolean print) {
        new GlueSimulation(seed, shapeFor(seed), faultsFor(seed), coverage, print).run(CHAOS_MS, HEAL_MS, QUIET_MS);
    }

    private static QuietLogs quietLogs() {
        return new QuietLogs(EnsembleMember.class, SnapshotService.class);
    }

    @Test
    void calmEnsembleServesAndConverges() {
        GlueSimulation.Coverage coverage = new GlueSimulation.Coverage();
        try (QuietLogs quiet = quietLogs()) {
            new GlueSimulation(1, new GlueSimulation.Shape(3, 1, 4, 20, EnsembleMember.DEFAULT_COUNTER_LIMIT), CALM,
                    coverage, false).run(CHAOS_MS, HEAL_MS, QUIET_MS);
        }
        assertThat(coverage.acknowledged).isGreaterThan(50);
        assertThat(coverage.snapshotsWritten).isPositive();
    }

    @Test
    void standaloneServesAndConverges() {
        GlueSimulation.Coverage coverage = new GlueSimulation.Coverage();
        try (QuietLogs quiet = quietLogs()) {
            new GlueSimulation(2, new GlueSimulation.Shape(1, 0, 3, 10, EnsembleMember.DEFAULT_COUNTER_LIMIT), CALM,
                    coverage, false).run(CHAOS_MS, HEAL_MS, QUIET_MS);
        }
        assertThat(coverage.acknowledged).isGreaterThan(30);
    }

    @Test
    void seededFaultSchedules() {
        GlueSimulation.Coverage coverage = new GlueSimulation.Coverage();
        String one = System.getProperty("glue.seed");
        if (one != null) {
            schedule(Long.parseLong(one), coverage, true);
            System.out.println("seed " + one + ": " + coverage);
            return;
        }
        int schedules = Integer.getInteger("glue.schedules", 2000);
        long t0 = System.nanoTime();
        try (QuietLogs quiet = quietLogs()) {
            for (long seed = 1; seed <= schedules; seed++) {
                schedule(seed, coverage, false);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(schedules + " glue schedules in " + ms + " ms: " + coverage);
        // The schedules must really reach what they claim to test.
        assertThat(coverage.crashes).isGreaterThan(schedules);
        assertThat(coverage.outages).isPositive();
        assertThat(coverage.truncations).isPositive();
        assertThat(coverage.snapSyncs).isPositive();
        assertThat(coverage.installs).isPositive();
        assertThat(coverage.installsDuringSnapshotWrite).isPositive();
        assertThat(coverage.snapSyncsDuringSnapshotWrite).isPositive();
        assertThat(coverage.snapshotsWrittenWhileServing).isGreaterThan(schedules);
        assertThat(coverage.sessionsFoundExpired).isPositive();
        assertThat(coverage.entriesReadBack).isPositive();
    }
}
