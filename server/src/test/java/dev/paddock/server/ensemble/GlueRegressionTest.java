package dev.paddock.server.ensemble;

import dev.paddock.server.storage.SnapshotService;
import org.junit.jupiter.api.Test;

/**
 * Schedules on which the glue simulation found bugs, each pinned with the shape and faults it ran with and
 * named after what broke, so they keep running whatever the seeded range covers next.
 */
class GlueRegressionTest {
    private static void rerun(long seed, GlueSimulation.Shape shape, GlueSimulation.Faults faults) {
        try (QuietLogs quiet = new QuietLogs(EnsembleMember.class, SnapshotService.class)) {
            new GlueSimulation(seed, shape, faults, new GlueSimulation.Coverage(), false).run(4_000, 3_000, 4_000);
        }
    }

    /**
     * Seed 6: a client closed its session on a follower, which forgot the session at once and forwarded the
     * close to a leader that had just been cut off; the close was never committed. The follower then became
     * leader and, not tracking the session, never expired it (AbandonedSessionsExpire).
     */
    @Test
    void aSessionWhoseCloseWasNeverCommittedStillExpiresUnderTheMemberThatForgotIt() {
        rerun(6, new GlueSimulation.Shape(3, 0, 3, 25, EnsembleMember.DEFAULT_COUNTER_LIMIT),
                new GlueSimulation.Faults(0.007314123827747144, 0.023132076437267734, 29, 20, 187,
                        0.008275117458381907, 0.00905897034971912, 0.02765126980068818, 0.04936497834184622));
    }
}
