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

    /**
     * Seed 10: a follower asked its leader for a sync, and the link broke before the answer came. The member
     * rejoined and served again, but kept the sync's callback for ever, one more for each sync lost that way
     * (NothingLeftPending).
     */
    @Test
    void aSyncAskedOfALostLeaderIsNotKeptForever() {
        rerun(10, new GlueSimulation.Shape(3, 1, 5, 28, EnsembleMember.DEFAULT_COUNTER_LIMIT),
                new GlueSimulation.Faults(0.04795048336067795, 0.021780020970412466, 27, 202, 861, 0.06004095802066158,
                        0.0049272462562176865, 0.03520893157166155, 0.0028390792620629824));
    }

    /**
     * Seed 221: a leader expired a session, dropping it from its tracker, and lost its quorum before the
     * close was committed. As a follower of the next leader, which still had the session open, it told the
     * session's returning client that the session had expired (SessionsExpireOnlyThroughTheLeader).
     */
    @Test
    void aFormerLeaderDoesNotExpireASessionWhoseCloseItNeverCommitted() {
        rerun(221, new GlueSimulation.Shape(3, 1, 4, 11, EnsembleMember.DEFAULT_COUNTER_LIMIT),
                new GlueSimulation.Faults(0.04635630210148961, 0.016732029998099758, 7, 254, 1935, 0.02855108973480198,
                        0.005890208111430704, 0.03810388278217728, 0.0374217256090864));
    }

    /**
     * Seed 7620 of a crash-heavy hunt (two crashes a second): a follower synced by TRUNC recorded the new
     * epoch and acknowledged while the cut was still queued for its disk, then crashed; it came back with the
     * cut entries under the new epoch, led the next epoch with them and committed them, and a member that
     * had never had them was told to truncate after them and skipped them (CommittedHistoryIsOneChain).
     */
    @Test
    void aTruncationIsDurableBeforeTheEpochThatFollowsIt() {
        rerun(7620, new GlueSimulation.Shape(3, 0, 9, 17, EnsembleMember.DEFAULT_COUNTER_LIMIT),
                new GlueSimulation.Faults(5.127880249893724E-4, 0.01362147249161041, 8, 330, 226, 0.6690841313903955,
                        0.0, 0.009392617203448148, 0.0));
    }
}
