package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
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

    private LoopbackEnsemble ensemble;

    /** Three voters and an observer (server 4). */
    private void startAll() throws Exception {
        ensemble = new LoopbackEnsemble(dir, 4, Map.of(4, ":observer"));
        for (int id = 1; id <= 4; id++) {
            start(id);
        }
        LoopbackEnsemble.await("a leader, two followers and an observer", this::allServing);
    }

    private void start(int id) throws Exception {
        // snapCount small, so that members snapshot and compact their logs during the test.
        ensemble.start(id, id == 4 ? Map.of("snapCount", "25", "peerType", "observer") : Map.of("snapCount", "25"));
    }

    @AfterEach
    void stop() throws Exception {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    private boolean allServing() {
        for (int id = 1; id <= 4; id++) {
            String mode = ensemble.mode(id);
            if (id == 4 ? !mode.equals("observer") : !mode.equals("leader") && !mode.equals("follower")) {
                return false;
            }
        }
        return true;
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
        startAll();
        int leader = ensemble.leader(3);
        assertThat(leader).isPositive();

        // Writes through each member (the observer forwards) reach every member.
        for (int id = 1; id <= 4; id++) {
            ZooKeeper zk = ensemble.connect(id);
            zk.create("/via" + id, ("written at " + id).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (int id = 1; id <= 4; id++) {
            ZooKeeper zk = ensemble.connect(id);
            zk.sync("/", (rc, path, ctx) -> { }, null);
            for (int from = 1; from <= 4; from++) {
                assertThat(new String(zk.getData("/via" + from, false, null))).isEqualTo("written at " + from);
            }
        }
        ZooKeeper client = ensemble.connect(ensemble.connectString(1, 2, 3));
        long session = client.getSessionId();
        client.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        String seq = client.create("/seq-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);

        // The leader goes away: the others elect a new one, the session and its ephemeral live on.
        ensemble.stop(leader);
        LoopbackEnsemble.await("a new leader", () -> {
            int l = ensemble.leader(3);
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
        LoopbackEnsemble.await("the old leader rejoins", this::allServing);
        ZooKeeper back = ensemble.connect(leader);
        back.sync("/", (rc, path, ctx) -> { }, null);
        assertThat(back.exists("/after", false)).isNotNull();
        assertThat(back.exists("/eph", false)).isNotNull();
        assertThat(back.exists("/missed-79", false)).isNotNull();
        assertThat(back.getAllChildrenNumber("/")).isEqualTo(client.getAllChildrenNumber("/"));
    }

    @Test
    void aClientMovingToAnotherMemberKeepsItsWatches() throws Exception {
        startAll();
        int leader = ensemble.leader(3);
        int follower = leader % 3 + 1;
        ZooKeeper writer = ensemble.connect(leader);
        writer.create("/w", "v1".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // The watcher starts on a follower, then that follower goes away; the client moves on.
        int other = 6 - leader - follower; // the third voter
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        ZooKeeper watcher = ensemble.connect(ensemble.connectString(follower, other));
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
        ensemble.stop(follower);
        LoopbackEnsemble.await("the client reconnects to another member", () -> watcher.getState().isConnected()
                && watcher.getState() == ZooKeeper.States.CONNECTED);
        assertThat(watcher.getSessionId()).isEqualTo(session);

        writer.setData("/w", "v2".getBytes(), -1);
        writer.create("/created-later", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("NodeDataChanged /w");
        assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("NodeCreated /created-later");
    }
}
