package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.MemberShell;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.CliCommand;
import org.apache.zookeeper.cli.CliException;
import org.apache.zookeeper.cli.DelQuotaCommand;
import org.apache.zookeeper.cli.ListQuotaCommand;
import org.apache.zookeeper.cli.SetQuotaCommand;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Quotas as ZooKeeper 3.9.5 keeps them, without {@code zookeeper.enforceQuota} (the default; enforcement is in
 * {@code QuotaEnforcementProceduresTest}, which needs server JVMs of its own): the shell's setquota, listquota and
 * delquota, the {@code zookeeper_limits} and {@code zookeeper_stats} nodes they write and read, the usage the
 * server keeps in the stats node (the quota'd node itself counted; its data changed with no stat field) and how
 * a restart counts it afresh.
 */
public abstract class QuotaScenarios extends CompatTestBase {
    private static final String LIMITS = "zookeeper_limits";
    private static final String STATS = "zookeeper_stats";

    private String shell(ZooKeeper zk, CliCommand cmd, String... args) throws Exception {
        String[] real = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            real[i] = args[i].replace("$B", base);
        }
        String out;
        try {
            out = MemberShell.run(zk, cmd, real);
        } catch (CliException e) {
            // What ZooKeeperMain prints for a failed command.
            out = e.getMessage() + "\n";
        }
        return out.replace(base, "$B");
    }

    private String text(ZooKeeper zk, String path) throws Exception {
        byte[] data = zk.getData(path, false, null);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    private void create(ZooKeeper zk, String path, String data) throws Exception {
        zk.create(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
    }

    private String stats(String path) {
        return "/zookeeper/quota" + path + "/" + STATS;
    }

    @Test
    void shellSetsListsAndDeletesQuotas() throws Exception {
        ZooKeeper zk = connect();
        create(zk, base + "/q", "abc");
        create(zk, base + "/q/c", "xy");
        StringBuilder out = new StringBuilder();
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-n", "5", "$B/q"));
        out.append(shell(zk, new ListQuotaCommand(), "listquota", "$B/q"));
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-B", "100", "$B/q"));
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-N", "7", "$B/q"));
        out.append(shell(zk, new ListQuotaCommand(), "listquota", "$B/q"));
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-n", "3", "$B/q/c"));
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-n", "3", "$B"));
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-b", "3", "$B/nope"));
        out.append(shell(zk, new SetQuotaCommand(), "setquota", "-n", "3", "/zookeeper/quota/x"));
        out.append(shell(zk, new DelQuotaCommand(), "delquota", "-n", "$B/q"));
        out.append(shell(zk, new DelQuotaCommand(), "delquota", "-B", "$B/q"));
        out.append(shell(zk, new ListQuotaCommand(), "listquota", "$B/q"));
        out.append(shell(zk, new DelQuotaCommand(), "delquota", "$B/q"));
        out.append(shell(zk, new ListQuotaCommand(), "listquota", "$B/q"));
        assertThat(out.toString()).isEqualTo("""
                absolute path is /zookeeper/quota$B/q/zookeeper_limits
                Output quota for $B/q count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=-1
                Output stat for $B/q count=2,bytes=5
                absolute path is /zookeeper/quota$B/q/zookeeper_limits
                Output quota for $B/q count=5,bytes=-1=;byteHardLimit=100;countHardLimit=7
                Output stat for $B/q count=2,bytes=5
                $B/q/c has a parent $B/q which has a quota
                $B has a child $B/q which has a quota
                $B/nope does not exist.
                cannot set a quota under the path: /zookeeper/quota
                absolute path is /zookeeper/quota$B/q/zookeeper_limits
                Output quota for $B/q count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=7
                Output stat for $B/q count=2,bytes=5
                absolute path is /zookeeper/quota$B/q/zookeeper_limits
                quota for $B/q does not exist.
                """);
        // delquota without a flag removed the quota's nodes and the empty parents it had made.
        assertThat(zk.exists("/zookeeper/quota" + base, false)).isNull();
    }

    @Test
    void usageFollowsCreatesDeletesAndSetDataWithoutChangingTheStatsNodeStat() throws Exception {
        ZooKeeper zk = connect();
        create(zk, base + "/u", "12345");
        shell(zk, new SetQuotaCommand(), "setquota", "-N", "2", "$B/u");
        String stats = stats(base + "/u");
        Stat created = zk.exists(stats, false);
        assertThat(text(zk, stats)).isEqualTo("count=1,bytes=5");
        create(zk, base + "/u/a", "abc");
        create(zk, base + "/u/a/b", null);
        // Not enforced: a write over the hard limit goes through and is counted.
        assertThat(text(zk, stats)).isEqualTo("count=3,bytes=8");
        zk.setData(base + "/u/a", "a longer value".getBytes(StandardCharsets.UTF_8), -1);
        assertThat(text(zk, stats)).isEqualTo("count=3,bytes=19");
        zk.delete(base + "/u/a/b", -1);
        zk.setData(base + "/u/a", null, -1);
        assertThat(text(zk, stats)).isEqualTo("count=2,bytes=5");
        create(zk, base + "/elsewhere", "zzz");
        zk.multi(java.util.List.of(
                org.apache.zookeeper.Op.create(base + "/u/m", new byte[4], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT),
                org.apache.zookeeper.Op.setData(base + "/u", new byte[1], -1)));
        assertThat(text(zk, stats)).isEqualTo("count=3,bytes=5");

        Stat now = zk.exists(stats, false);
        assertThat(now.getVersion()).isZero();
        assertThat(now.getMzxid()).isEqualTo(created.getMzxid()).isEqualTo(now.getCzxid());
        assertThat(now.getMtime()).isEqualTo(now.getCtime());
        assertThat(now.getDataLength()).isEqualTo("count=3,bytes=5".length());
    }

    @Test
    void aQuotaOnAMissingPathCountsItOnceCreated() throws Exception {
        ZooKeeper zk = connect();
        // The shell refuses a missing path; a client can still write the nodes itself.
        create(zk, "/zookeeper/quota" + base, null);
        create(zk, "/zookeeper/quota" + base + "/later", null);
        create(zk, "/zookeeper/quota" + base + "/later/" + LIMITS, "count=2,bytes=-1");
        // Whatever a new stats node is given, the server counts the subtree afresh.
        create(zk, stats(base + "/later"), "count=77,bytes=77");
        assertThat(text(zk, stats(base + "/later"))).isEqualTo("count=0,bytes=0");
        create(zk, base + "/later", "abc");
        create(zk, base + "/later/x", "de");
        assertThat(text(zk, stats(base + "/later"))).isEqualTo("count=2,bytes=5");
        // Without its limits node the quota is gone: the stats node stays as it was.
        zk.delete("/zookeeper/quota" + base + "/later/" + LIMITS, -1);
        create(zk, base + "/later/y", "fgh");
        assertThat(text(zk, stats(base + "/later"))).isEqualTo("count=2,bytes=5");
    }

    @Test
    void mntrShowsTheQuotaGaugesOfEachNamespace() throws Exception {
        ZooKeeper zk = connect();
        create(zk, base + "/g1", "abc");
        create(zk, base + "/g2", null);
        create(zk, base + "/g2/x", "12");
        shell(zk, new SetQuotaCommand(), "setquota", "-n", "5", "$B/g1");
        shell(zk, new SetQuotaCommand(), "setquota", "-B", "100", "$B/g1");
        shell(zk, new SetQuotaCommand(), "setquota", "-N", "7", "$B/g2");
        String namespace = base.substring(1);
        List<String> lines = FourLetterWords.send(server.clientPort(), "mntr").lines()
                .filter(l -> l.startsWith("zk_" + namespace + "_")).map(l -> l.replace(namespace, "NS")).toList();
        // Summed over the namespace's quotas (a limit is the hard one where set), in ZooKeeper's order.
        assertThat(lines).containsExactly(
                "zk_NS_quota_bytes_limit_per_namespace\t99",
                "zk_NS_quota_count_usage_per_namespace\t3",
                "zk_NS_quota_count_limit_per_namespace\t12",
                "zk_NS_quota_bytes_usage_per_namespace\t5");
    }

    @Test
    void statsKeepKeysTheyHoldUntilARestartCountsThemAfresh() throws Exception {
        ZooKeeper zk = connect();
        create(zk, base + "/r", "abcd");
        shell(zk, new SetQuotaCommand(), "setquota", "-n", "9", "$B/r");
        zk.setData(stats(base + "/r"), "count=50;bytes=50;zeta=1".getBytes(StandardCharsets.UTF_8), -1);
        create(zk, base + "/r/x", "y");
        assertThat(text(zk, stats(base + "/r"))).isEqualTo("count=51,bytes=51=;zeta=1");
        // The first restart reads the snapshot taken at start, before these writes, counts every quota there,
        // then replays the log; both servers snapshot after that replay, so the second restart counts afresh.
        server.restart();
        zk = connect();
        assertThat(text(zk, stats(base + "/r"))).isEqualTo("count=51,bytes=51=;zeta=1");
        server.restart();
        zk = connect();
        assertThat(text(zk, stats(base + "/r"))).isEqualTo("count=2,bytes=5");
        Stat stat = zk.exists(stats(base + "/r"), false);
        assertThat(stat.getVersion()).isEqualTo(1);
    }
}
