package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded schedules of the whole protocol under faults (docs/decisions.md decision 4). CI runs a fixed range of
 * seeds; {@code -Dquorum.schedules=N} runs more and {@code -Dquorum.seed=S} reruns one that failed.
 */
class SimulationTest {
    private static final Simulation.Faults CALM = new Simulation.Faults(0, 0, 5, 5, 0, 0, 0);

    private static Simulation.Faults faultsFor(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 7919);
        return new Simulation.Faults(r.nextDouble(0.05), r.nextDouble(0.03), 1 + r.nextInt(60), 1 + r.nextInt(40),
                r.nextDouble(0.08), r.nextDouble(0.04), r.nextDouble(0.1));
    }

    @Test
    void calmEnsembleElectsOneLeaderAndCommits() {
        Simulation sim = new Simulation(1, 3, 1, CALM, Long.MAX_VALUE, new Simulation.Coverage());
        sim.run(5_000, 10_000);
        assertThat(sim.acknowledged()).isGreaterThan(50);
    }

    @Test
    void oneMemberEnsembleLeadsAlone() {
        Simulation sim = new Simulation(3, 1, 0, CALM, Long.MAX_VALUE, new Simulation.Coverage());
        sim.run(3_000, 5_000);
        assertThat(sim.acknowledged()).isGreaterThan(20);
    }

    @Test
    void oneMemberEnsembleSurvivesCrashes() {
        for (long seed = 1; seed <= 50; seed++) {
            new Simulation(seed, 1, seed % 2 == 0 ? 1 : 0, faultsFor(seed), 50 + seed, new Simulation.Coverage())
                    .run(10_000, 10_000);
        }
    }

    @Test
    void counterOverflowStartsANewEpochWithoutLosingWrites() {
        Simulation sim = new Simulation(2, 3, 0, CALM, 20, new Simulation.Coverage());
        sim.run(10_000, 10_000);
        assertThat(sim.maxEpoch()).isGreaterThan(3);
        assertThat(sim.acknowledged()).isGreaterThan(60);
    }

    @Test
    void seededFaultSchedules() {
        Simulation.Coverage coverage = new Simulation.Coverage();
        String one = System.getProperty("quorum.seed");
        if (one != null) {
            schedule(Long.parseLong(one), coverage);
            System.out.println("seed " + one + ": " + coverage);
            return;
        }
        int schedules = Integer.getInteger("quorum.schedules", 2000);
        for (long seed = 1; seed <= schedules; seed++) {
            schedule(seed, coverage);
        }
        System.out.println(schedules + " schedules: " + coverage);
        // The schedules must really reach the paths they claim to test.
        assertThat(coverage.truncations).isPositive();
        assertThat(coverage.snapshots).isPositive();
        assertThat(coverage.snapshotChunks).isGreaterThan(coverage.snapshots);
        assertThat(coverage.entryBatches).isPositive();
        assertThat(coverage.diffs).isPositive();
        assertThat(coverage.crashes).isGreaterThan(schedules);
        assertThat(coverage.partitions).isGreaterThan(schedules / 2);
    }

    /**
     * Membership changes mixed with crashes, partitions, lost and reordered messages and compaction: random new
     * configurations (1 to 5 voters, some observers) asked of random members, with two spare servers joining
     * ZooKeeper's way. Every invariant holds; in particular a committed entry stays on a quorum of the
     * configuration in force at it, every member applies the same configuration at the same zxid, and one
     * epoch has one leader. {@code -Dquorum.reconfig.schedules=N} runs more, {@code -Dquorum.reconfig.seed=S} one.
     */
    @Test
    void seededReconfigSchedules() {
        Simulation.Coverage coverage = new Simulation.Coverage();
        String one = System.getProperty("quorum.reconfig.seed");
        int schedules = Integer.getInteger("quorum.reconfig.schedules", 400);
        long from = one == null ? 1 : Long.parseLong(one);
        long to = one == null ? schedules : from;
        for (long seed = from; seed <= to; seed++) {
            new Simulation(seed, 3, (int) (seed % 2), faultsFor(seed), 50 + seed % 200, coverage)
                    .withReconfigs(2, 0.05).run(20_000, 20_000);
        }
        System.out.println(schedules + " reconfig schedules: " + coverage);
        assertThat(coverage.reconfigsApplied).isGreaterThan(schedules);
        assertThat(coverage.crashes).isGreaterThan(schedules);
    }

    /** Everything about a schedule follows from its seed, so one seed reruns exactly. */
    private static void schedule(long seed, Simulation.Coverage coverage) {
        int voters = seed % 4 == 0 ? 5 : 3;
        new Simulation(seed, voters, (int) (seed % 2), faultsFor(seed), 50 + seed % 200, coverage)
                .run(20_000, 20_000);
    }
}
