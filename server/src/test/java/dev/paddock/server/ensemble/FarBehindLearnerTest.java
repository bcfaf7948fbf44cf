package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.ReplicaLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
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

    private LoopbackEnsemble ensemble;

    private void start(int id) throws Exception {
        // initLimit 50: the far-behind follower's DIFF is read from disk; no periodic snapshot during the
        // test, so the leader's log after its base is all it has to sync from.
        ensemble.start(id, Map.of("initLimit", "50", "syncLimit", "20", "forceSync", "no",
                "snapCount", "1000000"));
    }

    @AfterEach
    void stop() throws Exception {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    private boolean serving(int id) {
        String mode = ensemble.mode(id);
        return mode.equals("leader") || mode.equals("follower");
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
        return LogFormat.list(ensemble.dataDir(id).resolve(LogFormat.SUBDIR), LogFormat.SNAPSHOT_PREFIX).stream()
                .map(p -> LogFormat.zxidOf(p, LogFormat.SNAPSHOT_PREFIX)).toList();
    }

    @Test
    void aFollowerFarBehindTheWindowCatchesUpByADiffFromDisk() throws Exception {
        ensemble = new LoopbackEnsemble(dir, 3, Map.of());
        for (int id = 1; id <= 3; id++) {
            start(id);
        }
        LoopbackEnsemble.await("a leader and two followers", () -> serving(1) && serving(2) && serving(3));
        int leader = ensemble.leader(3);
        int behind = leader % 3 + 1;
        ZooKeeper writer = ensemble.connect(leader);
        writer.create("/before", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        LoopbackEnsemble.await("the follower has the first write", () -> {
            try (ZooKeeper zk = new ZooKeeper(ensemble.connectString(behind), 20_000, e -> { })) {
                zk.sync("/", (rc, path, ctx) -> { }, null);
                return zk.exists("/before", false) != null;
            } catch (Exception e) {
                return false;
            }
        });

        ensemble.stop(behind);
        createMany(writer, "/missed-", MISSED);
        Stat first = writer.exists("/missed-0", false);
        assertThat(first).isNotNull();

        start(behind);
        LoopbackEnsemble.await("the follower rejoins", () -> serving(behind));
        assertThat(ensemble.leader(3)).isEqualTo(leader);
        ZooKeeper back = ensemble.connect(behind);
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
