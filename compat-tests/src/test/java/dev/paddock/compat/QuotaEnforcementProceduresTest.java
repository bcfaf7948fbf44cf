package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import dev.paddock.compat.harness.MemberShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.SetQuotaCommand;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code zookeeper.enforceQuota=true} and {@code zookeeper.skipACL=yes}, which ZooKeeper 3.9.5 reads once per JVM
 * (static fields of ZooKeeperServer), so each server runs in a child JVM of its own (a one-member ensemble), the
 * same steps against ZooKeeper and against Paddock with the same expectations: a write over a hard quota fails
 * with QuotaExceeded and changes nothing, where in ZooKeeper's order of checks that happens, a multi's ops are
 * checked against the state before the multi, a soft quota only logs ZooKeeper's warning.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // starts a server JVM per run
class QuotaEnforcementProceduresTest {
    private static final List<ACL> READ_ONLY = java.util.Arrays.asList(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void hardQuotasRefuseWritesInZooKeepersOrderOfChecks(boolean paddock) throws Exception {
        String soft = "/soft-" + (paddock ? "paddock" : "zookeeper") + "-" + System.nanoTime();
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 1)
                .systemProperty("zookeeper.enforceQuota", "true")) {
            m.startStatic(1, m.voters(1));
            m.awaitMode(1, "leader|standalone");
            try (ZooKeeper zk = connect(m)) {
                create(zk, "/h", null);
                zk.create("/h/ro", null, READ_ONLY, CreateMode.PERSISTENT);
                MemberShell.run(zk, new SetQuotaCommand(), "setquota", "-N", "3", "/h");
                MemberShell.run(zk, new SetQuotaCommand(), "setquota", "-B", "10", "/h");
                assertThat(text(zk, "/zookeeper/quota/h/zookeeper_stats")).isEqualTo("count=2,bytes=0");

                assertThat(code(() -> create(zk, "/h/a", "12345"))).isEqualTo(KeeperException.Code.OK);
                assertThat(code(() -> create(zk, "/h/b", null))).isEqualTo(KeeperException.Code.QUOTAEXCEEDED);
                assertThat(zk.exists("/h/b", false)).isNull();
                assertThat(code(() -> zk.create("/h/c", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL))).isEqualTo(KeeperException.Code.QUOTAEXCEEDED);
                // Checked before the quota: the parent, the permission, an existing node.
                assertThat(code(() -> create(zk, "/h/nope/x", null))).isEqualTo(KeeperException.Code.NONODE);
                assertThat(code(() -> create(zk, "/h/ro/x", null))).isEqualTo(KeeperException.Code.NOAUTH);
                assertThat(code(() -> create(zk, "/h/a", null))).isEqualTo(KeeperException.Code.NODEEXISTS);
                byte[] eleven = "eleven byte".getBytes(StandardCharsets.UTF_8);
                assertThat(code(() -> zk.setData("/h/a", eleven, -1))).isEqualTo(KeeperException.Code.QUOTAEXCEEDED);
                assertThat(code(() -> zk.setData("/h/ro", eleven, -1))).isEqualTo(KeeperException.Code.NOAUTH);
                // The quota comes before the version.
                assertThat(code(() -> zk.setData("/h/a", eleven, 7))).isEqualTo(KeeperException.Code.QUOTAEXCEEDED);
                assertThat(text(zk, "/h/a")).isEqualTo("12345");
                assertThat(text(zk, "/zookeeper/quota/h/zookeeper_stats")).isEqualTo("count=3,bytes=5");

                assertThat(code(() -> zk.setData("/h/a", "123".getBytes(StandardCharsets.UTF_8), 7)))
                        .isEqualTo(KeeperException.Code.BADVERSION);
                zk.setData("/h/a", "123".getBytes(StandardCharsets.UTF_8), -1);
                zk.delete("/h/a", -1);
                assertThat(text(zk, "/zookeeper/quota/h/zookeeper_stats")).isEqualTo("count=2,bytes=0");

                // A multi whose op goes over fails whole; each op is checked against the state before the multi,
                // so two creates that only together go over the limit both go through.
                List<Integer> refused = multiCodes(zk, List.of(Op.create("/h/d", new byte[11],
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), Op.create("/h/e", null,
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
                assertThat(refused).containsExactly(KeeperException.Code.QUOTAEXCEEDED.intValue(),
                        KeeperException.Code.RUNTIMEINCONSISTENCY.intValue());
                assertThat(zk.exists("/h/d", false)).isNull();
                List<Integer> both = multiCodes(zk, List.of(Op.create("/h/d", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT), Op.create("/h/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT)));
                assertThat(both).containsExactly(0, 0);
                assertThat(text(zk, "/zookeeper/quota/h/zookeeper_stats")).isEqualTo("count=4,bytes=0");
                // Every refusal counted under the namespace of its path.
                assertThat(m.fourLetterWordOf(1, "mntr")).contains("zk_h_quota_exceeded_error_per_namespace\t5\n");
                m.fourLetterWordOf(1, "srst");
                assertThat(m.fourLetterWordOf(1, "mntr")).contains("zk_h_quota_exceeded_error_per_namespace\t0\n");

                create(zk, soft, null);
                MemberShell.run(zk, new SetQuotaCommand(), "setquota", "-n", "1", soft);
                assertThat(code(() -> create(zk, soft + "/x", null))).isEqualTo(KeeperException.Code.OK);
                assertThat(text(zk, "/zookeeper/quota" + soft + "/zookeeper_stats")).isEqualTo("count=2,bytes=0");
            }
            Await.until("the soft quota's warning in the server's log", Duration.ofSeconds(20),
                    () -> sharedLog().contains("Quota exceeded: " + soft + " [current count=2, softCountLimit=1]"));
        }
    }

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void skipAclLetsEveryoneDoEverything(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 1)
                .systemProperty("zookeeper.skipACL", "yes")) {
            m.startStatic(1, m.voters(1));
            m.awaitMode(1, "leader|standalone");
            try (ZooKeeper zk = connect(m)) {
                List<ACL> nobody = java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("digest", "nobody:AAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
                zk.create("/locked", "x".getBytes(StandardCharsets.UTF_8), nobody, CreateMode.PERSISTENT);
                assertThat(text(zk, "/locked")).isEqualTo("x");
                zk.setData("/locked", "y".getBytes(StandardCharsets.UTF_8), -1);
                zk.create("/locked/child", null, nobody, CreateMode.PERSISTENT);
                assertThat(zk.getChildren("/locked", false)).containsExactly("child");
                zk.setACL("/locked", READ_ONLY, -1);
                zk.delete("/locked/child", -1);
                assertThat(zk.getACL("/locked", null)).isEqualTo(READ_ONLY);
                // fixupACL still runs: "auth" without an authenticated identity is InvalidACL.
                assertThat(code(() -> zk.create("/auth", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT)))
                        .isEqualTo(KeeperException.Code.INVALIDACL);
            }
        }
    }

    private static ZooKeeper connect(MemberProcesses m) throws Exception {
        ZooKeeper zk = new ZooKeeper(m.connectString(1), 15_000, e -> { });
        Await.until("connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
        return zk;
    }

    private static void create(ZooKeeper zk, String path, String data) throws Exception {
        zk.create(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
    }

    private static String text(ZooKeeper zk, String path) throws Exception {
        byte[] data = zk.getData(path, false, null);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    private static List<Integer> multiCodes(ZooKeeper zk, List<Op> ops) throws InterruptedException {
        List<OpResult> results;
        try {
            results = zk.multi(ops);
        } catch (KeeperException e) {
            results = e.getResults();
        }
        List<Integer> codes = new ArrayList<>();
        for (OpResult r : results) {
            codes.add(r instanceof OpResult.ErrorResult err ? err.getErr() : 0);
        }
        return codes;
    }

    private static KeeperException.Code code(Call call) throws Exception {
        try {
            call.run();
            return KeeperException.Code.OK;
        } catch (KeeperException e) {
            return e.code();
        }
    }

    /** The log file of this module's JVMs, the members' included (logback-test.xml on their class path). */
    private static String sharedLog() throws IOException {
        return Files.readString(Path.of("target", "compat-tests.log"), StandardCharsets.ISO_8859_1);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }
}
