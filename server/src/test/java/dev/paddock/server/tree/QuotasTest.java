package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.storage.TxnCodec;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetDataRequest;
import dev.paddock.wire.proto.Stat;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quota usage and enforcement in the state machine (ZooKeeper 3.9.5's behaviour is pinned against the real
 * server by the compat scenarios {@code QuotaScenarios}; these cover what only the server can see: the
 * stats node's stat, multi rollback, and that a replay or a snapshot gives the same state).
 */
class QuotasTest {
    private static final List<Id> PLAIN = List.of(new Id("ip", "127.0.0.1"));
    private static final List<Id> ENFORCING = new WritePolicy(true, false).apply(PLAIN);

    private final StateMachine sm = new StateMachine(false);
    private final List<Txn> log = new ArrayList<>();
    private long zxid;

    private ApplyResult apply(Request r, List<Id> ids) {
        zxid++;
        Txn txn = new Txn(zxid, 1000 + zxid, 0x42L, ids, r);
        log.add(txn);
        return sm.apply(txn);
    }

    private ApplyResult apply(Request r) {
        return apply(r, PLAIN);
    }

    private static CreateRequest create(String path, String data) {
        return new CreateRequest(OpCode.CREATE, path, data == null ? null : bytes(data), AclLists.OPEN,
                CreateMode.PERSISTENT.flag);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String text(StateMachine m, String path) {
        return new String(m.tree().node(path).data(), StandardCharsets.UTF_8);
    }

    /** What the 3.9.5 shell's setquota writes for a new quota on {@code path} (one level deep). */
    private void setQuota(String path, String limits) {
        apply(create("/zookeeper/quota" + path, null));
        apply(create("/zookeeper/quota" + path + "/zookeeper_limits", limits));
        apply(create("/zookeeper/quota" + path + "/zookeeper_stats", "count=0,bytes=0"));
    }

    @Test
    void usageCountsTheQuotaNodeAndItsSubtreeWithoutTouchingTheStatsNodeStat() {
        apply(create("/a", "12345"));
        apply(create("/a/b", "xy"));
        setQuota("/a", "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3");
        String stats = "/zookeeper/quota/a/zookeeper_stats";
        assertThat(text(sm, stats)).isEqualTo("count=2,bytes=7");
        Stat before = sm.tree().stat(stats);

        apply(create("/a/b/c", "abc"));
        assertThat(text(sm, stats)).isEqualTo("count=3,bytes=10");
        apply(new SetDataRequest("/a/b", bytes("longer value"), -1));
        assertThat(text(sm, stats)).isEqualTo("count=3,bytes=20");
        apply(new PathVersionRequest(OpCode.DELETE, "/a/b/c", -1));
        assertThat(text(sm, stats)).isEqualTo("count=2,bytes=17");
        apply(create("/other", "zz"));
        assertThat(text(sm, stats)).isEqualTo("count=2,bytes=17");

        Stat after = sm.tree().stat(stats);
        assertThat(after.version()).isEqualTo(before.version()).isZero();
        assertThat(after.mzxid()).isEqualTo(before.mzxid());
        assertThat(after.mtime()).isEqualTo(before.mtime());
        assertThat(after.dataLength()).isEqualTo("count=2,bytes=17".length());
    }

    @Test
    void aQuotaOnAMissingPathCountsTheNodeOnceCreated() {
        setQuota("/later", "count=5,bytes=-1");
        assertThat(text(sm, "/zookeeper/quota/later/zookeeper_stats")).isEqualTo("count=0,bytes=0");
        apply(create("/later", "abc"));
        assertThat(text(sm, "/zookeeper/quota/later/zookeeper_stats")).isEqualTo("count=1,bytes=3");
    }

    @Test
    void hardLimitsRefuseOnlyWhenTheEntryEnforcesThemAndChangeNothing() {
        apply(create("/h", null));
        setQuota("/h", "count=-1,bytes=-1=;byteHardLimit=4;countHardLimit=2");
        assertThat(apply(create("/h/1", "ab"), ENFORCING).error()).isEqualTo(ErrorCode.OK);
        String nodes = nodes(sm);
        assertThat(apply(create("/h/2", null), ENFORCING).error()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(apply(new SetDataRequest("/h/1", bytes("abcde"), -1), ENFORCING).error())
                .isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        // ZooKeeper's order: NodeExists before the quota, the quota before BadVersion.
        assertThat(apply(create("/h/1", null), ENFORCING).error()).isEqualTo(ErrorCode.NODE_EXISTS);
        assertThat(apply(new SetDataRequest("/h/1", bytes("abcde"), 7), ENFORCING).error())
                .isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(nodes(sm)).isEqualTo(nodes);
        // Not enforced (the default): the same create goes through and is counted.
        assertThat(apply(create("/h/2", null)).error()).isEqualTo(ErrorCode.OK);
        assertThat(text(sm, "/zookeeper/quota/h/zookeeper_stats")).isEqualTo("count=3,bytes=2");
    }

    @Test
    void softLimitsOnlyWarn() {
        apply(create("/s", null));
        setQuota("/s", "count=1,bytes=1");
        assertThat(apply(create("/s/x", "abc"), ENFORCING).error()).isEqualTo(ErrorCode.OK);
        assertThat(text(sm, "/zookeeper/quota/s/zookeeper_stats")).isEqualTo("count=2,bytes=3");
    }

    @Test
    void aMultiIsCheckedAgainstTheStateBeforeItAndRolledBackWhole() {
        apply(create("/m", null));
        setQuota("/m", "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2");
        // Each op sees the usage before the multi (1), as ZooKeeper checks a multi against its committed tree.
        MultiRequest two = new MultiRequest(OpCode.MULTI, List.<Request>of(create("/m/a", null), create("/m/b", null)));
        assertThat(apply(two, ENFORCING).error()).isEqualTo(ErrorCode.OK);
        assertThat(text(sm, "/zookeeper/quota/m/zookeeper_stats")).isEqualTo("count=3,bytes=0");
        MultiRequest over = new MultiRequest(OpCode.MULTI, List.<Request>of(new SetDataRequest("/m/a", bytes("x"), -1),
                create("/m/c", null)));
        ApplyResult r = apply(over, ENFORCING);
        MultiResponse results = (MultiResponse) r.response();
        assertThat(results.results().get(1).err()).isEqualTo(ErrorCode.QUOTA_EXCEEDED.code);
        assertThat(text(sm, "/zookeeper/quota/m/zookeeper_stats")).isEqualTo("count=3,bytes=0");
        assertThat(sm.tree().node("/m/a").data()).isNull();
    }

    @Test
    void deletingTheLimitsNodeEndsTheQuotaAndKeysBeyondCountAndBytesAreKept() {
        apply(create("/d", null));
        setQuota("/d", "count=2,bytes=-1");
        apply(new SetDataRequest("/zookeeper/quota/d/zookeeper_stats", bytes("count=7;bytes=1;zeta=9"), -1));
        apply(create("/d/x", "a"));
        assertThat(text(sm, "/zookeeper/quota/d/zookeeper_stats")).isEqualTo("count=8,bytes=2=;zeta=9");
        apply(new PathVersionRequest(OpCode.DELETE, "/zookeeper/quota/d/zookeeper_limits", -1));
        apply(create("/d/y", "b"));
        assertThat(text(sm, "/zookeeper/quota/d/zookeeper_stats")).isEqualTo("count=8,bytes=2=;zeta=9");
    }

    @Test
    void aLoadedStateRecountsEveryQuotaAsZooKeepersSetupQuota() throws IOException {
        apply(create("/r", "abcd"));
        setQuota("/r", "count=10,bytes=-1");
        apply(new SetDataRequest("/zookeeper/quota/r/zookeeper_stats", bytes("count=50,bytes=50;extra=1"), -1));
        StateMachine loaded = reload(sm);
        assertThat(text(loaded, "/zookeeper/quota/r/zookeeper_stats")).isEqualTo("count=1,bytes=4");
        // Only the data changed: the stat is the one the setData left.
        assertThat(loaded.tree().stat("/zookeeper/quota/r/zookeeper_stats").version()).isEqualTo(1);
    }

    @Test
    void replayingTheLogAndLoadingASnapshotGiveTheSameQuotaState() throws IOException {
        apply(create("/p", "0123"));
        setQuota("/p", "count=-1,bytes=-1=;byteHardLimit=30;countHardLimit=6");
        StateMachine atSnapshot = reload(sm);
        int snapshotAt = log.size();
        for (int i = 0; i < 8; i++) {
            apply(create("/p/n" + i, "v" + i), i % 2 == 0 ? ENFORCING : PLAIN);
            apply(new SetDataRequest("/p/n" + (i / 2), bytes("value-" + i), -1), ENFORCING);
        }
        apply(new MultiRequest(OpCode.MULTI, List.<Request>of(create("/p/m1", "x"), create("/p/m2", "y"))), ENFORCING);
        apply(new PathVersionRequest(OpCode.DELETE, "/p/n0", -1));

        StateMachine replayed = new StateMachine(false);
        for (Txn txn : log) {
            replayed.apply(throughTheLog(txn));
        }
        for (Txn txn : log.subList(snapshotAt, log.size())) {
            atSnapshot.apply(throughTheLog(txn));
        }
        String stats = "/zookeeper/quota/p/zookeeper_stats";
        assertThat(text(replayed, stats)).isEqualTo(text(sm, stats));
        assertThat(text(atSnapshot, stats)).isEqualTo(text(sm, stats));
        assertThat(TreeDigest.of(replayed)).isEqualTo(TreeDigest.of(sm));
        assertThat(TreeDigest.of(atSnapshot)).isEqualTo(TreeDigest.of(sm));
        // Some writes were refused by the hard limits, and identically everywhere.
        assertThat(sm.tree().nodeCount()).isLessThan(new StateMachine(false).tree().nodeCount() + 4 + 8 + 2);
    }

    /** Every node's path, stat and data: the tree without the last zxid, which a refused write advances. */
    private static String nodes(StateMachine m) {
        StringBuilder b = new StringBuilder();
        for (String path : TreeDigest.sortedPaths(m)) {
            byte[] data = m.tree().node(path).data();
            b.append(path).append(' ').append(m.tree().stat(path)).append(' ')
                    .append(data == null ? "null" : new String(data, StandardCharsets.UTF_8)).append('\n');
        }
        return b.toString();
    }

    private static Txn throughTheLog(Txn txn) {
        return TxnCodec.read(txn.zxid(), ByteBuffer.wrap(TxnCodec.encode(txn)));
    }

    private static StateMachine reload(StateMachine m) throws IOException {
        byte[] body = TreeSnapshot.serializeNow(m);
        return TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(body)), m.lastZxid(), false);
    }
}
