package dev.paddock.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.migration.RealZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Paddock server started with a ZooKeeper observer's zoo.cfg plus {@code quorumProtocol=zookeeper} joins a
 * ZooKeeper 3.9.5 ensemble of three child JVMs and serves its own clients (the real ZooKeeper Java client):
 * reads of what the leader wrote, watches fired by the leader's writes, its own writes forwarded to the
 * leader (errors as ZooKeeper gives them), sessions the mirror keeps alive by its pings and the leader
 * expires once their client is gone, srvr in observer mode, the ZooKeeper leader's death under a connected
 * client, and its state saved as a ZooKeeper snapshot (no Paddock data) that a restart resumes from.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MirrorServesClientsTest {
    private static final int SESSION_MS = 4_000;
    private static final byte[] NOTHING = new byte[0];

    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        cleanup.add(c);
        return c;
    }

    @Test
    void mirrorServesReadsWatchesWritesAndSessions() throws Exception {
        ZooKeeperEnsemble zk = closeLater(ZooKeeperEnsemble.start(dir));
        ZooKeeper writer = closeLater(RealZooKeeper.client(zk.connectString(), 30_000));
        writer.create("/before", bytes("on the leader"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // The mirror starts under a mixed load (a SNAP with INFORMs behind it).
        MirrorLoad load = closeLater(new MirrorLoad(writer, "/load", 1));
        awaitOps(load, 200);
        Path home = dir.resolve("mirror");
        PaddockServer server = startMirror(zk, home);
        java.util.concurrent.atomic.AtomicBoolean serverClosed = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable closeServer = () -> {
            if (serverClosed.compareAndSet(false, true)) {
                server.close();
            }
        };
        closeLater(closeServer::run);
        int port = server.clientPort();
        ServerTestSupport.awaitMode(port, "observer");
        assertThat(FourLetterWordProbe.send(port, "mntr")).contains("zk_server_state\tobserver");
        String srvr = FourLetterWordProbe.send(port, "srvr");
        assertThat(srvr).contains("Mode: observer\n").containsPattern("Leader zxid: 0x[0-9a-f]+\n")
                .containsPattern("Lag: (\\d+|unknown \\(another epoch\\))\n");

        awaitOps(load, 400);
        load.close();
        // The same mixed load written through the mirror (every write forwarded, answered on its INFORM).
        ZooKeeper viaMirror = closeLater(RealZooKeeper.client("127.0.0.1:" + port, 30_000));
        MirrorLoad mirrored = closeLater(new MirrorLoad(viaMirror, "/load-via-mirror", 2));
        awaitOps(mirrored, 200);
        mirrored.close();
        assertMirrorServesTheLeadersTree(writer, port);
        // Quiet now: once a ping has told the mirror where the leader is, srvr shows it level.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String quiet = FourLetterWordProbe.send(port, "srvr");
        while (!quiet.contains("Lag: 0\n") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            quiet = FourLetterWordProbe.send(port, "srvr");
        }
        assertThat(quiet).contains("Lag: 0\n");

        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
        ZooKeeper client = closeLater(RealZooKeeper.client("127.0.0.1:" + port, SESSION_MS));
        client.register(e -> states.add(e.getState()));

        // 1. Reads of the leader's writes, and a watch the leader's write fires.
        assertThat(new String(client.getData("/before", false, null), StandardCharsets.UTF_8)).isEqualTo("on the leader");
        client.getData("/before", events::add, null);
        client.exists("/later", events::add);
        writer.setData("/before", bytes("changed"), -1);
        writer.create("/later", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(List.of(take(events).getType(), take(events).getType()))
                .containsExactly(Watcher.Event.EventType.NodeDataChanged, Watcher.Event.EventType.NodeCreated);
        assertThat(client.getChildren("/", false)).contains("before", "later", "zookeeper");

        // 2. The client's own writes, in order and visible to itself and on the leader.
        assertThat(client.create("/m", bytes("1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).isEqualTo("/m");
        Stat set = client.setData("/m", bytes("2"), 0);
        assertThat(set.getVersion()).isEqualTo(1);
        assertThat(client.getData("/m", false, null)).isEqualTo(bytes("2"));
        String seq = client.create("/m/s-", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        assertThat(seq).isEqualTo("/m/s-0000000000");
        client.create("/m/e", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        List<OpResult> multi = client.multi(List.of(Op.create("/m/x", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT), Op.setData("/m", bytes("3"), 1), Op.delete(seq, 0)));
        assertThat(multi).hasSize(3);
        assertThat(((OpResult.CreateResult) multi.get(0)).getPath()).isEqualTo("/m/x");
        assertThat(((OpResult.SetDataResult) multi.get(1)).getStat().getVersion()).isEqualTo(2);
        client.delete("/m/x", -1);
        writer.sync("/m");
        Stat onLeader = writer.exists("/m/e", false);
        assertThat(onLeader).isNotNull();
        assertThat(onLeader.getEphemeralOwner()).isEqualTo(client.getSessionId());
        assertThat(writer.getData("/m", false, null)).isEqualTo(bytes("3"));
        assertThat(writer.exists("/m/x", false)).isNull();

        // 3. Errors as ZooKeeper gives them; a failed multi changes nothing.
        assertThatThrownBy(() -> client.create("/m", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isInstanceOf(KeeperException.NodeExistsException.class);
        assertThatThrownBy(() -> client.setData("/m", NOTHING, 99)).isInstanceOf(KeeperException.BadVersionException.class);
        assertThatThrownBy(() -> client.delete("/m/none", -1)).isInstanceOf(KeeperException.NoNodeException.class);
        assertThatThrownBy(() -> client.multi(List.of(Op.create("/m/y", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT), Op.check("/m", 7)))).isInstanceOf(KeeperException.BadVersionException.class);
        assertThat(client.exists("/m/y", false)).isNull();
        client.sync("/m");

        // 4. Only the mirror touches the session: it outlives several session timeouts.
        long sessionId = client.getSessionId();
        pause(2 * SESSION_MS);
        assertThat(client.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
        assertThat(client.getSessionId()).isEqualTo(sessionId);
        assertThat(writer.exists("/m/e", false)).isNotNull();

        // A client whose process dies without closing: the ZooKeeper leader expires it, the mirror follows.
        try (RealZooKeeper.Holder gone = RealZooKeeper.Holder.start("127.0.0.1:" + port, SESSION_MS,
                RealZooKeeper.testClassPath(), "/gone")) {
            assertThat(writer.exists("/gone", false).getEphemeralOwner()).isEqualTo(gone.sessionId);
        }
        await("the leader expires the dead client's session", () -> exists(writer, "/gone") == null);
        await("the mirror applies the expiry", () -> exists(client, "/gone") == null);

        // A session created on a ZooKeeper server reattaches on the mirror (revalidated by the leader, which
        // makes the mirror its owner, so its writes are not SessionMoved), keeping its ephemeral.
        ZooKeeper elsewhere = closeLater(RealZooKeeper.client(zk.connectString(), SESSION_MS));
        elsewhere.create("/elsewhere", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        ZooKeeper moved = closeLater(reattach(port, elsewhere.getSessionId(), elsewhere.getSessionPasswd()));
        assertThat(moved.exists("/elsewhere", false).getEphemeralOwner()).isEqualTo(elsewhere.getSessionId());
        moved.setData("/elsewhere", bytes("moved"), -1);
        moved.create("/elsewhere-2", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        writer.sync("/");
        assertThat(writer.exists("/elsewhere-2", false).getEphemeralOwner()).isEqualTo(elsewhere.getSessionId());

        // More than snapCount (20) transactions applied: the running mirror saved a ZooKeeper snapshot.
        try (java.util.stream.Stream<Path> files = Files.list(home.resolve("data/version-2"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(f -> f.startsWith("snapshot."));
        }

        // 5. The ZooKeeper leader dies under the connected client: it reconnects and keeps its session.
        states.clear();
        zk.kill(zk.leader());
        await("the client reconnects", () -> states.contains(Watcher.Event.KeeperState.SyncConnected));
        assertThat(client.getSessionId()).isEqualTo(sessionId);
        assertThat(client.exists("/m/e", false)).isNotNull();
        client.setData("/m", bytes("after"), -1);
        ZooKeeper writer2 = closeLater(RealZooKeeper.client(zk.connectString(), 30_000));
        writer2.sync("/m");
        assertThat(writer2.getData("/m", false, null)).isEqualTo(bytes("after"));
        assertThat(writer2.exists("/m/e", false).getEphemeralOwner()).isEqualTo(sessionId);

        // 6. A clean shutdown saves a ZooKeeper snapshot (no Paddock data); a restart resumes from it.
        client.close();
        Stat last = writer2.setData("/before", bytes("last"), -1);
        await("the mirror at the last write", () -> exists(server, "/before", last.getMzxid()));
        closeServer.run();
        assertThat(home.resolve("data/paddock-1")).doesNotExist();
        MirrorState saved = MirrorState.loadFrom(home.resolve("data/version-2"), true);
        // At or after the last write (the probing clients' closeSessions come later).
        assertThat(saved.lastZxid()).isGreaterThanOrEqualTo(last.getMzxid());
        byte[] savedData = saved.read((tree, sessions) -> tree.nodes.get("/before").data);
        assertThat(savedData).isEqualTo(bytes("last"));
        PaddockServer again = closeLater(startMirror(zk, home));
        ServerTestSupport.awaitMode(again.clientPort(), "observer");
        try (ZooKeeper back = RealZooKeeper.client("127.0.0.1:" + again.clientPort(), SESSION_MS)) {
            assertThat(back.getData("/before", false, null)).isEqualTo(bytes("last"));
            back.create("/again", NOTHING, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        writer2.sync("/again");
        assertThat(writer2.exists("/again", false)).isNotNull();
    }

    /**
     * After a marker write on the leader, a client of the mirror reads every node (path, data, ACL, every Stat
     * field) as the leader's client does: the state machine the INFORMs built through ZkReplay is ZooKeeper's.
     */
    private static void assertMirrorServesTheLeadersTree(ZooKeeper leaderClient, int port) throws Exception {
        Stat marker = leaderClient.setData("/before", bytes("on the leader"), -1);
        try (ZooKeeper checker = RealZooKeeper.client("127.0.0.1:" + port, 30_000)) {
            checker.addAuthInfo("digest", MirrorLoad.USER.getBytes(StandardCharsets.UTF_8));
            await("the mirror at the marker", () -> exists(checker, "/before").getMzxid() >= marker.getMzxid());
            Map<String, String> onMirror = ZkMirrorTest.dump(checker);
            Map<String, String> onLeader = ZkMirrorTest.dump(leaderClient);
            assertThat(onMirror).hasSizeGreaterThan(100);
            assertThat(onLeader.keySet()).as("TTL, ephemeral and container nodes are among them")
                    .anyMatch(p -> p.endsWith("-ttl")).anyMatch(p -> p.endsWith("-e")).anyMatch(p -> p.contains("/c"));
            assertThat(ZkMirrorTest.differences(onLeader, onMirror)).as("nodes that differ").isEmpty();
        }
    }

    private static void awaitOps(MirrorLoad load, long ops) {
        await(ops + " writes of the load", () -> load.ops() >= ops);
    }

    /** The zoo.cfg of a ZooKeeper observer of the ensemble (server.4=...:observer, myid 4), plus the one key. */
    private static PaddockServer startMirror(ZooKeeperEnsemble zk, Path home) throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/myid"), Integer.toString(ZooKeeperEnsemble.MIRROR_ID));
        Map<String, String> cfg = new LinkedHashMap<>(zk.baseConfig(home));
        cfg.put("clientPort", Integer.toString(ServerTestSupport.freePort()));
        cfg.put("peerType", "observer");
        cfg.put("extendedTypesEnabled", "true");
        cfg.put("snapCount", "20");
        cfg.put(MirrorConfig.PROTOCOL_KEY, "zookeeper");
        return PaddockServer.start(ServerTestSupport.config(home, cfg));
    }

    /** A client that takes over the session {@code id} on the mirror, as a Java client moving servers does. */
    private static ZooKeeper reattach(int port, long id, byte[] password) throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, SESSION_MS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, id, password);
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("reattached").isTrue();
        assertThat(zk.getSessionId()).isEqualTo(id);
        return zk;
    }

    /** Whether the server's mirror has applied {@code zxid} (its client sees /before at that mzxid). */
    private static boolean exists(PaddockServer server, String path, long zxid) {
        try (ZooKeeper c = RealZooKeeper.client("127.0.0.1:" + server.clientPort(), SESSION_MS)) {
            Stat s = c.exists(path, false);
            return s != null && s.getMzxid() >= zxid;
        } catch (Exception e) {
            return false;
        }
    }

    private static Stat exists(ZooKeeper zk, String path) {
        try {
            return zk.exists(path, false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static WatchedEvent take(BlockingQueue<WatchedEvent> events) throws InterruptedException {
        WatchedEvent e = events.poll(60, TimeUnit.SECONDS);
        assertThat(e).as("a watch event").isNotNull();
        return e;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void pause(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Polls every 20 ms for at most a minute (the class's timeout bounds the whole run). */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }
}
