package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import dev.paddock.server.FourLetterWordProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Paddock members in one JVM on loopback, configured by zoo.cfg server lines and myid files, used by
 * the unmodified ZooKeeper client: writes through any member, reads everywhere after sync, sessions that
 * survive the leader going away, and a restarted member that catches up.
 */
class EnsembleTest {
    @TempDir
    Path dir;

    private final int[] clientPorts = new int[5];
    private final PaddockServer[] servers = new PaddockServer[5];
    private final List<ZooKeeper> clients = new ArrayList<>();
    private String serverLines;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void configure() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int id = 1; id <= 4; id++) {
            clientPorts[id] = freePort();
            lines.append("server.").append(id).append("=127.0.0.1:").append(freePort()).append(':').append(freePort())
                    .append(id == 4 ? ":observer" : "").append(";127.0.0.1:").append(clientPorts[id]).append('\n');
        }
        serverLines = lines.toString();
    }

    private PaddockServer start(int id) throws Exception {
        Path data = dir.resolve("s" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Properties p = new Properties();
        p.setProperty("tickTime", "100");
        p.setProperty("initLimit", "20");
        p.setProperty("syncLimit", "10");
        // With tickTime 100 the default cap would be 2 s; the clients ask for 10 s and should get it, so a
        // reconnect during failover is not raced against expiry.
        p.setProperty("maxSessionTimeout", "30000");
        p.setProperty("dataDir", data.toString());
        p.setProperty("4lw.commands.whitelist", "*");
        // Small, so that members snapshot and compact their logs during the test.
        p.setProperty("snapCount", "25");
        if (id == 4) {
            p.setProperty("peerType", "observer");
        }
        for (String line : serverLines.split("\n")) {
            int eq = line.indexOf('=');
            p.setProperty(line.substring(0, eq), line.substring(eq + 1));
        }
        servers[id] = PaddockServer.start(ServerConfig.fromProperties(p));
        return servers[id];
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

    private ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(20, TimeUnit.SECONDS)).as("connected to " + connectString).isTrue();
        return zk;
    }

    private static String fourLetterWord(int port, String word) {
        return FourLetterWordProbe.send(port, word);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }

    private int leader() {
        for (int id = 1; id <= 3; id++) {
            if (servers[id] != null && fourLetterWord(clientPorts[id], "srvr").contains("Mode: leader")) {
                return id;
            }
        }
        return -1;
    }

    private boolean allServing() {
        for (int id = 1; id <= 4; id++) {
            String srvr = fourLetterWord(clientPorts[id], "srvr");
            String expected = id == 4 ? "Mode: observer" : "";
            if (!srvr.contains(expected) || !srvr.contains("Mode: leader") && !srvr.contains("Mode: follower")
                    && !srvr.contains("Mode: observer")) {
                return false;
            }
        }
        return true;
    }

    private String all() {
        return "127.0.0.1:" + clientPorts[1] + ",127.0.0.1:" + clientPorts[2] + ",127.0.0.1:" + clientPorts[3];
    }

    /** Retries an operation across the brief window in which a new leader is being elected. */
    private static <T> T retry(KeeperCall<T> call) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return call.run();
            } catch (KeeperException.ConnectionLossException e) {
                assertThat(System.nanoTime()).as("operation completed after failover").isLessThan(deadline);
                LockSupport.parkNanos(100_000_000);
            }
        }
    }

    interface KeeperCall<T> {
        T run() throws Exception;
    }

    @Test
    void replicatesAndSurvivesTheLeader() throws Exception {
        configure();
        for (int id = 1; id <= 4; id++) {
            start(id);
        }
        await("a leader, two followers and an observer", this::allServing);
        int leader = leader();
        assertThat(leader).isPositive();

        // Writes through each member (the observer forwards) reach every member.
        for (int id = 1; id <= 4; id++) {
            ZooKeeper zk = connect("127.0.0.1:" + clientPorts[id]);
            zk.create("/via" + id, ("written at " + id).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (int id = 1; id <= 4; id++) {
            ZooKeeper zk = connect("127.0.0.1:" + clientPorts[id]);
            zk.sync("/", (rc, path, ctx) -> { }, null);
            for (int from = 1; from <= 4; from++) {
                assertThat(new String(zk.getData("/via" + from, false, null))).isEqualTo("written at " + from);
            }
        }
        ZooKeeper client = connect(all());
        long session = client.getSessionId();
        client.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        String seq = client.create("/seq-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);

        // The leader goes away: the others elect a new one, the session and its ephemeral live on.
        servers[leader].close();
        servers[leader] = null;
        await("a new leader", () -> {
            int l = leader();
            return l > 0 && l != leader;
        });
        retry(() -> client.create("/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertThat(client.getSessionId()).isEqualTo(session);
        assertThat(retry(() -> client.exists("/eph", false))).isNotNull();
        String next = retry(() -> client.create("/seq-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
        assertThat(next.compareTo(seq)).isPositive();

        // While it is away the others move on by more than a snapshot's worth (snapCount is 25).
        for (int i = 0; i < 80; i++) {
            int n = i;
            retry(() -> client.create("/missed-" + n, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        }

        // The old leader comes back as a follower and catches up.
        start(leader);
        await("the old leader rejoins", this::allServing);
        ZooKeeper back = connect("127.0.0.1:" + clientPorts[leader]);
        back.sync("/", (rc, path, ctx) -> { }, null);
        assertThat(back.exists("/after", false)).isNotNull();
        assertThat(back.exists("/eph", false)).isNotNull();
        assertThat(back.exists("/missed-79", false)).isNotNull();
        assertThat(back.getAllChildrenNumber("/")).isEqualTo(client.getAllChildrenNumber("/"));
    }

    @Test
    void aClientMovingToAnotherMemberKeepsItsWatches() throws Exception {
        configure();
        for (int id = 1; id <= 4; id++) {
            start(id);
        }
        await("a leader, two followers and an observer", this::allServing);
        int leader = leader();
        int follower = leader % 3 + 1;
        ZooKeeper writer = connect("127.0.0.1:" + clientPorts[leader]);
        writer.create("/w", "v1".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // The watcher starts on a follower, then that follower goes away; the client moves on.
        int other = 6 - leader - follower; // the third voter
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        ZooKeeper watcher = connect("127.0.0.1:" + clientPorts[follower] + ",127.0.0.1:" + clientPorts[other]);
        long session = watcher.getSessionId();
        watcher.sync("/w", (rc, path, ctx) -> { }, null);
        // The client also hands connection-state events (type None) to every watcher; only node events count.
        Watcher record = e -> {
            if (e.getType() != Watcher.Event.EventType.None) {
                events.add(e.getType() + " " + e.getPath());
            }
        };
        watcher.getData("/w", record, null);
        watcher.exists("/created-later", record);
        servers[follower].close();
        servers[follower] = null;
        await("the client reconnects to another member", () -> watcher.getState().isConnected()
                && watcher.getState() == ZooKeeper.States.CONNECTED);
        assertThat(watcher.getSessionId()).isEqualTo(session);

        writer.setData("/w", "v2".getBytes(), -1);
        writer.create("/created-later", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("NodeDataChanged /w");
        assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("NodeCreated /created-later");
    }
}
