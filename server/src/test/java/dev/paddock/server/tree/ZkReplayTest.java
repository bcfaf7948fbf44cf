package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.wire.proto.Stat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's resolved transactions applied as its DataTree.processTxn applies them over a fuzzy snapshot:
 * absolute versions, a parent's cversion and pzxid only raised, conflicts ignored, and the changes reported
 * for the watches.
 */
class ZkReplayTest {
    private final StateMachine sm = new StateMachine(true);
    private final ZkReplay replay = new ZkReplay(sm);
    private final List<Change> changes = new ArrayList<>();

    private boolean create(String path, int parentCVersion, long zxid, long owner) {
        replay.begin(zxid);
        return replay.create(path, new byte[] {1}, AclLists.OPEN, owner, parentCVersion, zxid, 1000 + zxid, true,
                changes);
    }

    @Test
    void aCreateTakesTheParentCversionFromTheTransactionAndReportsTheChanges() {
        assertThat(create("/a", 1, 0x10, 0)).isTrue();
        assertThat(create("/a/b", 5, 0x11, 0)).isTrue();
        Stat a = replay.stat("/a");
        // stored cversion 5 with one child: shown as 2 * 5 - 1
        assertThat(a.cversion()).isEqualTo(9);
        assertThat(a.pzxid()).isEqualTo(0x11);
        assertThat(replay.stat("/a/b").czxid()).isEqualTo(0x11);
        assertThat(sm.lastZxid()).isEqualTo(0x11);
        assertThat(changes).extracting(Change::kind).containsExactly(Change.Kind.CREATED, Change.Kind.CHILDREN_CHANGED,
                Change.Kind.CREATED, Change.Kind.CHILDREN_CHANGED);
    }

    @Test
    void aCreateThatFindsItsNodeRepairsTheAclAndOnlyRaisesTheParent() {
        create("/a", 1, 0x10, 0);
        changes.clear();
        replay.begin(0x11);
        assertThat(replay.create("/a", new byte[] {9}, AclLists.READ_ONLY, 0, 1, 0x11, 5, true, changes)).isFalse();
        assertThat(sm.tree().aclOf("/a")).isEqualTo(AclLists.READ_ONLY);
        assertThat(replay.stat("/a").aversion()).isZero();
        assertThat(replay.stat("/").pzxid()).as("cversion 1 is not above 1: pzxid stays").isEqualTo(0x10);
        assertThat(changes).isEmpty();
        // A lower parentCVersion than the parent has (a fuzzy snapshot caught later creates) lowers nothing.
        assertThat(create("/z", 0, 0x12, 0)).isTrue();
        assertThat(replay.stat("/").pzxid()).isEqualTo(0x10);
    }

    @Test
    void setDataAndSetAclTakeTheTransactionsVersions() {
        create("/a", 1, 0x10, 0);
        replay.begin(0x11);
        assertThat(replay.setData("/a", new byte[] {7, 7}, 4, 0x11, 2000, changes)).isTrue();
        replay.begin(0x12);
        assertThat(replay.setAcl("/a", AclLists.READ_ONLY, 3)).isTrue();
        Stat a = replay.stat("/a");
        assertThat(a.version()).isEqualTo(4);
        assertThat(a.aversion()).isEqualTo(3);
        assertThat(a.mzxid()).isEqualTo(0x11);
        assertThat(a.mtime()).isEqualTo(2000);
        assertThat(a.dataLength()).isEqualTo(2);
        assertThat(replay.setData("/none", new byte[0], 1, 0x13, 1, changes)).isFalse();
    }

    @Test
    void aDeleteOfAMissingNodeRaisesTheParentsPzxidOnly() {
        create("/a", 1, 0x10, 0);
        changes.clear();
        replay.begin(0x20);
        assertThat(replay.delete("/a/gone", 0x20, changes)).isFalse();
        assertThat(replay.stat("/a").pzxid()).isEqualTo(0x20);
        assertThat(changes).isEmpty();
        assertThat(replay.delete("/a", 0x21, changes)).isTrue();
        assertThat(sm.tree().exists("/a")).isFalse();
        assertThat(changes).extracting(Change::kind).containsExactly(Change.Kind.DELETED, Change.Kind.CHILDREN_CHANGED);
    }

    @Test
    void closeSessionDeletesTheSessionsEphemeralsAndForgetsIt() {
        replay.createSession(0x77, 4000);
        create("/p", 1, 0x10, 0);
        create("/p/e1", 1, 0x11, 0x77);
        create("/p/e2", 2, 0x12, 0x77);
        create("/p/other", 3, 0x13, 0x78);
        assertThat(sm.sessions()).containsEntry(0x77L, 4000);
        changes.clear();
        replay.begin(0x14);
        replay.closeSession(0x77, List.of("/p/e1"), 0x14, changes);
        assertThat(sm.sessions()).doesNotContainKey(0x77L);
        assertThat(sm.tree().exists("/p/e1")).isFalse();
        assertThat(sm.tree().exists("/p/e2")).isFalse();
        assertThat(sm.tree().exists("/p/other")).isTrue();
        assertThat(sm.tree().ephemerals(0x77)).isEmpty();
        assertThat(changes).filteredOn(c -> c.kind() == Change.Kind.DELETED).extracting(Change::path)
                .containsExactly("/p/e1", "/p/e2");
    }
}
