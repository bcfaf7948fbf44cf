package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.fault.Invariants.InvariantViolation;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checks a member makes on its own state changes: each one refuses what the protocol's own logic must
 * never do, by throwing {@link InvariantViolation} before anything changes.
 */
class MemberInvariantsTest {
    private static final QuorumConfig CONFIG = new QuorumConfig(Set.of(1, 2, 3), Set.of(), 10, 5, Long.MAX_VALUE);

    private final SimStorage disk = new SimStorage();
    private final Member member = new Member(1, CONFIG, disk, new QuietHost(), new SplittableRandom(1), 0);

    @Test
    void roleTablesAllowOnlyTheListedChanges() {
        enum S { A, B, C }
        Transitions<S> table = Transitions.of(S.class, "test state").allow(S.A, S.B).allow(S.B, S.C).build();
        assertThat(table.allows(S.A, S.B)).isTrue();
        assertThat(table.allows(S.A, S.C)).isFalse();
        assertThat(table.check(S.B, S.C, "x")).isEqualTo(S.C);
        assertThatThrownBy(() -> table.check(S.C, S.A, "member 9"))
                .isInstanceOf(InvariantViolation.class)
                .hasMessage("member 9: test state may not go from C to A");
    }

    @Test
    void aNewMemberLooks() {
        assertThat(member.role()).isEqualTo(Role.LOOKING);
    }

    @Test
    void zxidsAreAppendedInIncreasingOrder() {
        member.append(new Entry(Zxid.of(1, 1), new byte[0]));
        assertThatThrownBy(() -> member.append(new Entry(Zxid.of(1, 1), new byte[0])))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("appends 0x100000001 after 0x100000001");
    }

    @Test
    void theEpochIsRecordedOnlyOnceTheSyncedHistoryIsDurable() {
        member.promiseEpoch(1, 2);
        member.append(new Entry(Zxid.of(1, 1), new byte[0]));
        assertThatThrownBy(() -> member.recordEpoch(1, Zxid.of(1, 1), 2))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("before its synced history is durable");
        assertThat(disk.currentEpoch).isZero();
        disk.flush();
        member.recordEpoch(1, Zxid.of(1, 1), 2);
        assertThat(disk.currentEpoch).isEqualTo(1);
    }

    @Test
    void oneEpochHasOneLeaderAndEpochsOnlyMoveForward() {
        member.promiseEpoch(2, 2);
        member.recordEpoch(2, 0, 2);
        assertThatThrownBy(() -> member.recordEpoch(2, 0, 3))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("two leaders in epoch 2");
        assertThatThrownBy(() -> member.recordEpoch(1, 0, 2))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("records epoch 1 after 2");
        assertThatThrownBy(() -> member.recordEpoch(3, 0, 2))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("promised only 2");
        assertThatThrownBy(() -> member.promiseEpoch(2, 3))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("promises epoch 2 after 2");
    }

    @Test
    void nothingAppliedIsTruncatedOrReplacedByAnOlderSnapshot() {
        for (int i = 1; i <= 3; i++) {
            member.append(new Entry(Zxid.of(1, i), new byte[0]));
        }
        member.applyUpTo(Zxid.of(1, 2));
        assertThat(member.appliedZxid()).isEqualTo(Zxid.of(1, 2));
        member.truncateAfter(Zxid.of(1, 2));
        assertThat(disk.lastZxid()).isEqualTo(Zxid.of(1, 2));
        assertThatThrownBy(() -> member.truncateAfter(Zxid.of(1, 1)))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("below its applied");
        assertThatThrownBy(() -> member.installSnapshot(new Snapshot(Zxid.of(1, 1), new byte[8])))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("below its applied");
        assertThat(disk.lastZxid()).isEqualTo(Zxid.of(1, 2));
    }

    @Test
    void aRestoreTakesTheNextZxidOfAOneMemberLeaderWithNothingInFlight() {
        SimStorage alone = new SimStorage();
        Member leader = new Member(1, new QuorumConfig(Set.of(1), Set.of(), 10, 5, Long.MAX_VALUE), alone,
                new QuietHost(), new SplittableRandom(1), 0);
        for (int tick = 0; tick < 10 && !leader.isServingLeader(); tick++) {
            leader.electionTick();
            leader.tick();
            leader.persisted(alone.flush());
        }
        assertThat(leader.isServingLeader()).as(leader.toString()).isTrue();
        assertThat(member.restorableZxid()).as("a member of three voters").isEqualTo(-1);
        assertThat(leader.submit(new byte[0])).isTrue();
        assertThat(leader.restorableZxid()).as("a write in flight").isEqualTo(-1);
        leader.persisted(alone.flush());
        long written = alone.lastZxid();
        long at = leader.restorableZxid();
        assertThat(at).isEqualTo(written + 1);
        leader.restored(new Snapshot(at, new byte[8]));
        assertThat(alone.base()).as("the log starts at the restored state").isEqualTo(at);
        assertThat(leader.appliedZxid()).isEqualTo(at);
        assertThatThrownBy(() -> leader.restored(new Snapshot(at, new byte[8])))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("not at its restorable zxid");
        assertThat(leader.submit(new byte[0])).isTrue();
        assertThat(alone.lastZxid()).as("the next write follows the restored state").isEqualTo(at + 1);
    }
}
