package dev.paddock.server.ensemble;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.startAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes with ZooKeeper's own admin client against in-process members: scale out 3 -> 5 with
 * incremental reconfigs, scale in with the leader removed, observers added, promoted and demoted, the
 * refusals ZooKeeper gives, and a member restarted from the dynamic file a reconfig wrote.
 */
class ReconfigTest {
    private static final int MAX = 7;

    @TempDir
    Path dir;

    private final int[] clientPorts = new int[MAX + 1];
    private final String[] specs = new String[MAX + 1];
    private final PaddockServer[] servers = new PaddockServer[MAX + 1];
    private final List<ZooKeeperAdmin> clients = new ArrayList<>();
    private String previousSkipAcl;

    @BeforeEach
    void setUp() {
        for (int id = 1; id <= MAX; id++) {
            clientPorts[id] = freePort();
            specs[id] = "127.0.0.1:" + freePort() + ":" + freePort();
        }
        previousSkipAcl = System.setProperty("zookeeper.skipACL", "yes");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ZooKeeperAdmin zk : clients) {
            zk.close();
        }
        closeAll(servers);
        if (previousSkipAcl == null) {
            System.clearProperty("zookeeper.skipACL");
        } else {
            System.setProperty("zookeeper.skipACL", previousSkipAcl);
        }
    }

    private String line(int id, String role) {
        return "server." + id + "=" + specs[id] + ":" + role + ";127.0.0.1:" + clientPorts[id];
    }

    private ServerConfig configOf(int id, List<String> lines) throws Exception {
        return memberConfig(dir.resolve("s" + id), id, lines,
                Map.of("reconfigEnabled", "true", "4lw.commands.whitelist", "*"));
    }

    private List<String> lines(int... ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(line(id, "participant"));
        }
        return out;
    }

    private void startEnsemble(int... ids) throws Exception {
        List<ServerConfig> configs = new ArrayList<>();
        for (int id : ids) {
            configs.add(configOf(id, lines(ids)));
        }
        PaddockServer[] started = startAll(configs);
        for (int i = 0; i < ids.length; i++) {
            servers[ids[i]] = started[i];
        }
        for (int id : ids) {
            awaitMode(clientPorts[id], "leader|follower");
        }
    }

    /** A joining voter starts with the current members and itself, as ZooKeeper's joiners do. */
    private void startJoiner(int id, List<String> lines) throws Exception {
        servers[id] = PaddockServer.start(configOf(id, lines));
    }

    private ZooKeeperAdmin admin(int id) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeperAdmin zk = new ZooKeeperAdmin("127.0.0.1:" + clientPorts[id], 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();
        return zk;
    }

    private int leader(int... ids) {
        for (int id : ids) {
            if (FourLetterWordProbe.send(clientPorts[id], "srvr").contains("Mode: leader")) {
                return id;
            }
        }
        throw new AssertionError("no leader among the members");
    }

    private static String config(ZooKeeperAdmin zk) throws Exception {
        zk.sync("/", null, null);
        return new String(zk.getConfig(false, new Stat()), StandardCharsets.UTF_8);
    }

    /** Waits until every member's /zookeeper/config holds {@code expected}. */
    private void awaitConfigEverywhere(String expected, int... ids) throws Exception {
        for (int id : ids) {
            ZooKeeperAdmin zk = admin(id);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!config(zk).equals(expected)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("member " + id + " holds " + config(zk) + " not " + expected);
                }
                LockSupport.parkNanos(50_000_000);
            }
        }
    }

    private static String reconfig(ZooKeeperAdmin zk, String joining, String leaving) throws Exception {
        return new String(zk.reconfigure(joining, leaving, null, -1, new Stat()), StandardCharsets.UTF_8);
    }

    private static long versionOf(String configText) {
        String last = configText.substring(configText.lastIndexOf('\n') + 1);
        return Long.parseLong(last.substring("version=".length()), 16);
    }

    @Test
    void scaleOutFromThreeToFiveThenRemoveTheLeader() throws Exception {
        startEnsemble(1, 2, 3);
        ZooKeeperAdmin zk = admin(1);
        zk.create("/before", "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // With reconfigEnabled the static config takes the first NEWLEADER zxid as its version, as in ZooKeeper.
        long initial = versionOf(config(zk));
        assertThat(initial).isPositive();
        assertThat(initial & 0xffffffffL).isZero();
        List<String> five = lines(1, 2, 3, 4, 5);
        startJoiner(4, five);
        startJoiner(5, five);
        awaitMode(clientPorts[4], "follower");
        awaitMode(clientPorts[5], "follower");

        String added = reconfig(zk, line(4, "participant") + "," + line(5, "participant"), null);
        assertThat(added.lines().filter(l -> l.startsWith("server.")).count()).isEqualTo(5);
        long version = versionOf(added);
        assertThat(version).isGreaterThan(0);
        awaitConfigEverywhere(added, 1, 2, 3, 4, 5);
        // conf prints the membership in force, as ZooKeeper's prints its quorum verifier.
        assertThat(FourLetterWordProbe.send(clientPorts[2], "conf")).contains("membership: \n" + added);
        Stat stat = new Stat();
        zk.getConfig(false, stat);
        assertThat(stat.getMzxid()).isEqualTo(version);
        assertThat(stat.getVersion()).isEqualTo(-1);
        for (int id = 1; id <= 5; id++) {
            Path cfg = dir.resolve("s" + id).resolve("zoo.cfg");
            assertThat(Files.readString(cfg)).contains("dynamicConfigFile=").doesNotContain("server.1=");
            assertThat(cfg.resolveSibling("zoo.cfg.dynamic." + Long.toHexString(version))).exists();
        }

        int leader = leader(1, 2, 3, 4, 5);
        int survivor = leader == 1 ? 2 : 1;
        ZooKeeperAdmin other = admin(survivor);
        String removed = reconfig(other, null, Integer.toString(leader));
        assertThat(removed).doesNotContain("server." + leader + "=");
        int[] rest = java.util.stream.IntStream.rangeClosed(1, 5).filter(i -> i != leader).toArray();
        for (int id : rest) {
            awaitMode(clientPorts[id], "leader|follower");
        }
        awaitConfigEverywhere(removed, rest);
        other.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int id : rest) {
            ZooKeeperAdmin each = admin(id);
            each.sync("/", null, null);
            assertThat(each.exists("/before", false)).isNotNull();
            assertThat(each.exists("/after", false)).isNotNull();
        }
        // As in ZooKeeper, the removed leader follows on as a non-voting participant until it is stopped.
        awaitMode(clientPorts[leader], "follower");
    }

    @Test
    void aMemberRestartsFromTheDynamicFileItWrote() throws Exception {
        startEnsemble(1, 2, 3);
        startJoiner(4, lines(1, 2, 3, 4));
        awaitMode(clientPorts[4], "follower");
        String added = reconfig(admin(2), line(4, "participant"), null);
        awaitConfigEverywhere(added, 1, 2, 3, 4);
        int follower = leader(1, 2, 3, 4) == 3 ? 2 : 3;
        servers[follower].close();
        servers[follower] = PaddockServer.start(ServerConfig.load(dir.resolve("s" + follower).resolve("zoo.cfg")));
        awaitMode(clientPorts[follower], "leader|follower");
        awaitConfigEverywhere(added, follower);
    }

    @Test
    void observersAreAddedPromotedAndDemoted() throws Exception {
        startEnsemble(1, 2, 3);
        List<String> withObserver = lines(1, 2, 3);
        withObserver.add(line(4, "observer"));
        startJoiner(4, withObserver);
        awaitMode(clientPorts[4], "observer");
        ZooKeeperAdmin zk = admin(1);
        String added = reconfig(zk, line(4, "observer"), null);
        assertThat(added).contains(line(4, "observer"));
        awaitConfigEverywhere(added, 1, 2, 3, 4);

        String promoted = reconfig(zk, line(4, "participant"), null);
        awaitMode(clientPorts[4], "leader|follower");
        awaitConfigEverywhere(promoted, 1, 2, 3, 4);

        int demote = leader(1, 2, 3, 4) == 3 ? 2 : 3;
        String demoted = reconfig(zk, line(demote, "observer"), null);
        awaitMode(clientPorts[demote], "observer");
        awaitConfigEverywhere(demoted, 1, 2, 3, 4);
        zk.create("/still-writable", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @Test
    void refusalsAreZooKeepers() throws Exception {
        startEnsemble(1, 2, 3);
        ZooKeeperAdmin zk = admin(2);
        // Wrong expected version.
        assertThatThrownBy(() -> zk.reconfigure(null, "3", null, 12345, new Stat()))
                .isInstanceOf(KeeperException.BadVersionException.class);
        // A joiner without a client port.
        assertThatThrownBy(() -> reconfig(zk, "server.4=" + specs[4] + ":participant", null))
                .isInstanceOf(KeeperException.BadArgumentsException.class);
        // Fewer than two voters.
        assertThatThrownBy(() -> reconfig(zk, null, "1,2"))
                .isInstanceOf(KeeperException.BadArgumentsException.class);
        // Three voters that are not running: four of six would have to be synced.
        assertThatThrownBy(() -> reconfig(zk, line(4, "participant") + "," + line(5, "participant") + ","
                + line(6, "participant"), null)).isInstanceOf(KeeperException.NewConfigNoQuorum.class);
        long version = versionOf(config(zk));
        // Non-incremental, conditional on the current version.
        String three = String.join(",", lines(1, 2, 3));
        byte[] same = zk.reconfigure(null, null, three, version, new Stat());
        assertThat(new String(same, StandardCharsets.UTF_8)).contains(line(1, "participant"));
    }

    @Test
    void withoutSkipAclOnlyWriteOnTheConfigNodeReconfigures() throws Exception {
        // skipACL is read once at start (as ZooKeeper reads it): this ensemble starts without it.
        System.setProperty("zookeeper.skipACL", "no");
        startEnsemble(1, 2, 3);
        ZooKeeperAdmin zk = admin(2);
        // World has READ only on /zookeeper/config.
        assertThatThrownBy(() -> reconfig(zk, null, "3")).isInstanceOf(KeeperException.NoAuthException.class);
    }
}
