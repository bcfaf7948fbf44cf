package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first step of the seeds' migration by observers: a fourth server that no member's config lists (its
 * own zoo.cfg lists the three members and itself as {@code :observer}, with {@code peerType=observer}) joins
 * the running ensemble as an observer, as it would join ZooKeeper's: it learns the data written before it
 * came, serves reads, forwards its clients' writes and gets every new write, follows a new leader, and
 * never counts in a quorum (with two of the three members gone, nothing commits). Also pins
 * {@code /zookeeper/config}: each server holds its own config's text, never logged.
 */
class UnlistedObserverTest {
    @TempDir
    Path dir;

    private final int[] clientPorts = new int[5];
    private final String[] lines = new String[5];
    private final PaddockServer[] servers = new PaddockServer[5];
    private final List<ZooKeeper> clients = new ArrayList<>();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void start(int id, int... listed) throws Exception {
        Path data = dir.resolve("s" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Properties p = new Properties();
        p.setProperty("tickTime", "100");
        p.setProperty("initLimit", "20");
        p.setProperty("syncLimit", "10");
        p.setProperty("maxSessionTimeout", "30000");
        p.setProperty("dataDir", data.toString());
        p.setProperty("4lw.commands.whitelist", "*");
        if (id == 4) {
            p.setProperty("peerType", "observer");
        }
        for (int other : listed) {
            p.setProperty("server." + other, lines[other]);
        }
        servers[id] = PaddockServer.start(ServerConfig.fromProperties(p));
    }

    @AfterEach
    void stop() throws Exception {
        for (ZooKeeper zk : clients) {
            zk.close();
        }
        for (PaddockServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }

    private ZooKeeper connect(int id) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + clientPorts[id], 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(20, TimeUnit.SECONDS)).as("connected to server " + id).isTrue();
        return zk;
    }

    private String mode(int id) {
        for (String line : FourLetterWordProbe.send(clientPorts[id], "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring("Mode: ".length()).strip();
            }
        }
        return "";
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }

    private void configure(String fourthRole) throws IOException {
        for (int id = 1; id <= 4; id++) {
            clientPorts[id] = freePort();
            lines[id] = "127.0.0.1:" + freePort() + ":" + freePort() + (id == 4 ? fourthRole : "")
                    + ";127.0.0.1:" + clientPorts[id];
        }
    }

    /**
     * A server the members do not list that calls itself a voter is let in as ZooKeeper lets in a voter that
     * joins before the reconfig that adds it (its zoo.cfg lists the members and itself): a non-voting
     * follower, which syncs, serves clients and takes proposals, while the ensemble's quorum stays the
     * members' own.
     */
    @Test
    void anUnlistedVoterFollowsWithoutAVote() throws Exception {
        configure("");
        for (int id = 1; id <= 3; id++) {
            start(id, 1, 2, 3);
        }
        await("a leader and two followers", () -> List.of(mode(1), mode(2), mode(3)).contains("leader"));
        Path data = dir.resolve("s4");
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), "4");
        Properties p = new Properties();
        p.setProperty("tickTime", "100");
        p.setProperty("initLimit", "5");
        p.setProperty("syncLimit", "5");
        p.setProperty("dataDir", data.toString());
        p.setProperty("4lw.commands.whitelist", "*");
        for (int other = 1; other <= 4; other++) {
            p.setProperty("server." + other, lines[other]);
        }
        servers[4] = PaddockServer.start(ServerConfig.fromProperties(p));
        await("server 4 follows", () -> mode(4).equals("follower"));
        ZooKeeper member = connect(1);
        for (int i = 0; i < 30; i++) {
            member.create("/w" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        ZooKeeper fourth = connect(4);
        fourth.sync("/", null, null);
        assertThat(fourth.exists("/w29", false)).isNotNull();
        for (int id = 1; id <= 3; id++) {
            assertThat(mode(id)).isIn("leader", "follower");
        }
    }

    @Test
    void anObserverNoMemberListsJoinsServesAndNeverVotes() throws Exception {
        configure(":observer");
        for (int id = 1; id <= 3; id++) {
            start(id, 1, 2, 3);
        }
        await("a leader and two followers", () -> {
            List<String> modes = List.of(mode(1), mode(2), mode(3));
            return modes.contains("leader") && modes.stream().allMatch(m -> m.equals("leader") || m.equals("follower"));
        });
        ZooKeeper member = connect(1);
        member.create("/before", "old".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        start(4, 1, 2, 3, 4);
        await("server 4 observes", () -> mode(4).equals("observer"));
        ZooKeeper observer = connect(4);
        assertThat(new String(observer.getData("/before", false, null))).isEqualTo("old");

        // New writes through a member reach it (with a watch), and its clients' writes reach the members.
        CountDownLatch changed = new CountDownLatch(1);
        observer.exists("/after", e -> changed.countDown());
        member.create("/after", "new".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(changed.await(10, TimeUnit.SECONDS)).as("the observer saw the write").isTrue();
        assertThat(new String(observer.getData("/after", false, null))).isEqualTo("new");
        observer.create("/from-observer", "o".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        member.sync("/", (rc, path, ctx) -> { }, null);
        assertThat(new String(member.getData("/from-observer", false, null))).isEqualTo("o");

        // Each server's /zookeeper/config is its own config's text (as ZooKeeper's initConfigInZKDatabase).
        String three = "server.1=" + lines[1].replace(";", ":participant;") + "\n"
                + "server.2=" + lines[2].replace(";", ":participant;") + "\n"
                + "server.3=" + lines[3].replace(";", ":participant;") + "\n";
        Stat stat = new Stat();
        assertThat(new String(member.getConfig(false, stat), StandardCharsets.UTF_8)).isEqualTo(three + "version=0");
        assertThat(stat.getVersion()).isEqualTo(-1);
        assertThat(stat.getMzxid()).isZero();
        assertThat(new String(observer.getConfig(false, null), StandardCharsets.UTF_8))
                .isEqualTo(three + "server.4=" + lines[4] + "\nversion=0");

        // The leader goes away: the observer finds the new one and gets its writes.
        int leader = mode(1).equals("leader") ? 1 : mode(2).equals("leader") ? 2 : 3;
        servers[leader].close();
        servers[leader] = null;
        int[] left = java.util.stream.IntStream.rangeClosed(1, 3).filter(id -> id != leader).toArray();
        await("a new leader", () -> mode(left[0]).equals("leader") || mode(left[1]).equals("leader"));
        await("server 4 observes again", () -> mode(4).equals("observer"));
        ZooKeeper survivor = connect(left[0]);
        survivor.create("/after-failover", "f".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper observer2 = connect(4);
        observer2.sync("/", (rc, path, ctx) -> { }, null);
        assertThat(new String(observer2.getData("/after-failover", false, null))).isEqualTo("f");

        // It never counts: with two of the three voters gone, the last cannot lead even with it.
        int kept = left[0];
        servers[left[1]].close();
        servers[left[1]] = null;
        await("no quorum without two voters", () -> !mode(kept).equals("leader") && !mode(4).equals("observer"));
        ZooKeeper late = new ZooKeeper("127.0.0.1:" + clientPorts[kept], 2_000, e -> { });
        clients.add(late);
        try {
            late.create("/never", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            throw new AssertionError("a write committed without a quorum of voters");
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException expected) {
            // a member without a leader refuses clients
        }
    }
}
