package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An observer records the epochs of the leaders it syncs with as accepted (never counted as a promise), as
 * ZooKeeper's observers do, so its accepted epoch never trails its history. The seeds' migration by observers
 * depends on it: the observers restart as the voters of a new ensemble, and the epoch they establish must pass
 * every epoch in their logs, or the new leader's zxids would repeat the ones they hold (found by
 * StaticMembershipProceduresTest in compat-tests: the new leader stopped on "appends 0x100000001 after
 * 0x10000019f").
 */
class ObserverHistoryEpochTest {
    @Test
    void observersAcceptTheEpochTheySyncIn() {
        ScriptedEnsemble ctx = new ScriptedEnsemble(new QuorumConfig(Set.of(1, 2, 3), Set.of(4, 5), 10, 5,
                Long.MAX_VALUE)).startAll();
        assertThat(ctx.electLeader()).isEqualTo(3);
        ctx.writeAndSettle(3, 3);
        for (int id = 4; id <= 5; id++) {
            SimStorage disk = ctx.node(id).disk;
            assertThat(disk.lastZxid()).isEqualTo(Zxid.of(1, 3));
            assertThat(disk.currentEpoch()).isEqualTo(1);
            assertThat(disk.acceptedEpoch()).as("observer %d's accepted epoch", id).isEqualTo(1);
        }
        // The next leader's epoch passes them too.
        ctx.crash(3);
        int next = ctx.electLeader();
        ctx.writeAndSettle(next, 1);
        for (int id = 4; id <= 5; id++) {
            assertThat(ctx.node(id).disk.acceptedEpoch()).isEqualTo(2);
            assertThat(ctx.node(id).disk.lastZxid()).isEqualTo(Zxid.of(2, 1));
        }
    }
}
