package dev.paddock.compat.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The client an operator's procedure must not disturb: one session that creates an ephemeral node when it starts
 * and then creates sequential nodes under {@code /w} as fast as one synchronous client can until stopped,
 * remembering every one it got an answer for (a write that failed with connection loss may or may not have
 * happened, so it is not counted). At the end every acknowledged write must be on every remaining member, and the
 * session and its ephemeral must still be there.
 */
public final class ProcedureWriter implements AutoCloseable {
    private static final String EPHEMERAL = "/procedure-writer";

    private final ZooKeeper zk;
    private final long sessionId;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    public ProcedureWriter(String connectString) throws Exception {
        zk = new ZooKeeper(connectString, 15_000, e -> { });
        Await.until("writer connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
        sessionId = zk.getSessionId();
        try {
            zk.create("/w", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // a second writer of the same run
        }
        zk.create(EPHEMERAL, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        thread = new Thread(this::run, "procedure-writer");
        thread.start();
    }

    /** The session's client, for what an application would do with it (such as {@code updateServerList}). */
    public ZooKeeper client() {
        return zk;
    }

    private void run() {
        for (int i = 0; i < 200_000 && !stop.get(); i++) {
            try {
                acknowledged.add(zk.create("/w/n-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL));
                Thread.sleep(5);
            } catch (KeeperException e) {
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for ten more acknowledged writes (the ensemble takes writes now). */
    public void awaitProgress() {
        int from = acknowledged.size();
        Await.until("ten more acknowledged writes", Duration.ofSeconds(60), () -> acknowledged.size() >= from + 10);
    }

    public void stop() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
    }

    /** Every acknowledged write is on each of the members (read after a sync there). */
    public void assertAcknowledgedWritesOn(MemberProcesses m, int... ids) throws Exception {
        assertThat(acknowledged).isNotEmpty();
        for (int id : ids) {
            try (ZooKeeper reader = reader(m, id)) {
                List<String> children = new ArrayList<>();
                for (String c : Await.value("children of /w on " + id, Duration.ofSeconds(30),
                        () -> reader.getChildren("/w", false), l -> true)) {
                    children.add("/w/" + c);
                }
                assertThat(children).as("acknowledged writes on member " + id).containsAll(acknowledged);
            }
        }
    }

    /** The session is the one it started with, still connected, and its ephemeral is on each of the members. */
    public void assertSessionKeptOn(MemberProcesses m, int... ids) throws Exception {
        assertThat(zk.getSessionId()).isEqualTo(sessionId);
        Await.until("the writer's session connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
        for (int id : ids) {
            try (ZooKeeper reader = reader(m, id)) {
                Stat stat = Await.value("the writer's ephemeral on " + id, Duration.ofSeconds(30),
                        () -> reader.exists(EPHEMERAL, false), s -> true);
                assertThat(stat).as("the writer's ephemeral on member " + id).isNotNull();
                assertThat(stat.getEphemeralOwner()).isEqualTo(sessionId);
            }
        }
    }

    private static ZooKeeper reader(MemberProcesses m, int id) throws Exception {
        ZooKeeper reader = new ZooKeeper(m.connectString(id), 15_000, e -> { });
        Await.until("reader connected to " + id, Duration.ofSeconds(30), () -> reader.getState().isConnected());
        reader.sync("/", null, null);
        return reader;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        zk.close();
    }
}
