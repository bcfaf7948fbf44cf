package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.ReplicaLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A follower that missed far more entries than the leader keeps in memory
 * ({@link ReplicaLog.TailBound#DEFAULT}: 500) catches up by a DIFF the leader reads back from its segment
 * files, not by a snapshot, and ends with the same tree.
 */
class FarBehindLearnerTest {
    private static final int MISSED = 1_500;

    @TempDir
    Path dir;

    private final int[] clientPorts = new int[4];
    private final PaddockServer[] servers = new PaddockServer[4];
    private final List<ZooKeeper> clients = new ArrayList<>();
    private String serverLines;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void configure() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            clientPorts[id] = freePort();
            lines.append("server.").append(id).append("=127.0.0.1:").append(freePort()).append(':').append(freePort())
                    .append(";127.0.0.1:").append(clientPorts[id]).append('\n');
        }
        serverLines = lines.toString();
    }

    private Path data(int id) {
        return dir.resolve("s" + id);
    }

    private void start(int id) throws Exception {
        Files.createDirectories(data(id));
        Files.writeString(data(id).resolve("myid"), Integer.toString(id));
        Properties p = new Properties();
        p.setProperty("tickTime", "100");
        p.setProperty("initLimit", "50");
        p.setProperty("syncLimit", "20");
        p.setProperty("maxSessionTimeout", "30000");
        p.setProperty("dataDir", data(id).toString());
        p.setProperty("4lw.commands.whitelist", "*");
        p.setProperty("forceSync", "no");
        // No periodic snapshot during the test: the leader's log after its base is all it has to sync from.
        p.setProperty("snapCount", "1000000");
        for (String line : serverLines.split("\n")) {
            int eq = line.indexOf('=');
            p.setProperty(line.substring(0, eq), line.substring(eq + 1));
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
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + clientPorts[id], 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("connected to member " + id).isTrue();
        return zk;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }

    private String mode(int id) {
        return servers[id] == null ? "" : FourLetterWordProbe.send(clientPorts[id], "srvr");
    }

    private int leader() {
        for (int id = 1; id <= 3; id++) {
            if (mode(id).contains("Mode: leader")) {
                return id;
            }
        }
        return -1;
    }

    private boolean serving(int id) {
        String m = mode(id);
        return m.contains("Mode: leader") || m.contains("Mode: follower");
    }

    /** Creates {@code count} nodes, many in flight at once (the synchronous API would take far longer). */
    private static void createMany(ZooKeeper zk, String prefix, int count) throws Exception {
        Semaphore inFlight = new Semaphore(64);
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            zk.create(prefix + i, ("value " + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> {
                        if (rc != KeeperException.Code.OK.intValue()) {
                            failed.incrementAndGet();
                        }
                        inFlight.release();
                        done.countDown();
                    }, null);
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).as("creates answered").isTrue();
        assertThat(failed.get()).as("failed creates").isZero();
    }

    private List<Long> snapshotZxids(int id) throws IOException {
        return LogFormat.list(data(id).resolve(LogFormat.SUBDIR), LogFormat.SNAPSHOT_PREFIX).stream()
                .map(p -> LogFormat.zxidOf(p, LogFormat.SNAPSHOT_PREFIX)).toList();
    }

    @Test
    void aFollowerFarBehindTheWindowCatchesUpByADiffFromDisk() throws Exception {
        configure();
        for (int id = 1; id <= 3; id++) {
            start(id);
        }
        await("a leader and two followers", () -> serving(1) && serving(2) && serving(3));
        int leader = leader();
        int behind = leader % 3 + 1;
        ZooKeeper writer = connect(leader);
        writer.create("/before", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        await("the follower has the first write", () -> {
            try (ZooKeeper zk = new ZooKeeper("127.0.0.1:" + clientPorts[behind], 20_000, e -> { })) {
                zk.sync("/", (rc, path, ctx) -> { }, null);
                return zk.exists("/before", false) != null;
            } catch (Exception e) {
                return false;
            }
        });

        servers[behind].close();
        servers[behind] = null;
        createMany(writer, "/missed-", MISSED);
        Stat first = writer.exists("/missed-0", false);
        assertThat(first).isNotNull();

        start(behind);
        await("the follower rejoins", () -> serving(behind));
        assertThat(leader()).isEqualTo(leader);
        ZooKeeper back = connect(behind);
        CountDownLatch synced = new CountDownLatch(1);
        back.sync("/", (rc, path, ctx) -> synced.countDown(), null);
        assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(back.getAllChildrenNumber("/")).isEqualTo(writer.getAllChildrenNumber("/"));
        for (int i = 0; i < MISSED; i += 97) {
            assertThat(new String(back.getData("/missed-" + i, false, null))).isEqualTo("value " + i);
        }
        assertThat(back.exists("/missed-" + (MISSED - 1), false).getMzxid())
                .isEqualTo(writer.exists("/missed-" + (MISSED - 1), false).getMzxid());
        // A SNAP would have been installed as a snapshot at the leader's zxid; a DIFF leaves none after the
        // follower's own history (its start-up snapshot is at most where it stopped).
        assertThat(snapshotZxids(behind)).allMatch(z -> z < first.getCzxid());
    }
}
