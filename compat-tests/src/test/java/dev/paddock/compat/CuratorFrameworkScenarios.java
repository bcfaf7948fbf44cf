package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.async.AsyncCuratorFramework;
import org.apache.curator.x.async.AsyncStage;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Curator 5.9.0's framework (create2, createContainer, /zookeeper/config, addWatch, checkWatches
 * and removeWatches underneath). Pins:
 * <ul>
 *   <li>creatingParentContainersIfNeeded makes containers (gone once their last child goes,
 *       with znode.container.checkIntervalMs=100) and creatingParentsIfNeeded persistent parents
 *       (kept);</li>
 *   <li>protection mode names a sequential ephemeral {@code _c_<uuid>-name<10 digits>};</li>
 *   <li>a namespace prefixes every path and is created on first use;</li>
 *   <li>a transaction returns one result per op with its type and path (forPath of a
 *       sequential create is the sequential name); a failed one applies nothing;</li>
 *   <li>curator-x-async: create, getData, a watched getData whose event stage completes;</li>
 *   <li>watchers().remove: the watcher is told DataWatchRemoved and is not called for the change;
 *       removing again is NOWATCHER, and quietly() hides it;</li>
 *   <li>connection-state listeners: a server restart is SUSPENDED then RECONNECTED with the session
 *       and its ephemerals kept; a session expiry (client cut off by the proxy for longer than
 *       the session) is SUSPENDED, LOST, then RECONNECTED on a new session, the old ephemeral
 *       gone;</li>
 *   <li>EnsembleTracker reads /zookeeper/config of a standalone server and leaves the connection
 *       string alone.</li>
 * </ul>
 */
public abstract class CuratorFrameworkScenarios extends CuratorTestBase {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().systemProperty("znode.container.checkIntervalMs", "100");
    }

    @Test
    void parentsAsContainersOrPersistent() throws Exception {
        CuratorFramework c = curator();
        String leaf = base + "/a/b/leaf";
        assertThat(c.create().creatingParentContainersIfNeeded().forPath(leaf, DATA)).isEqualTo(leaf);
        assertThat(c.getData().forPath(leaf)).isEqualTo(DATA);
        String kept = base + "/p/q/leaf";
        c.create().creatingParentsIfNeeded().forPath(kept);
        Stat s = new Stat();
        c.create().orSetData().storingStatIn(s).forPath(base + "/p/q/other", DATA);
        assertThat(s.getDataLength()).isEqualTo(1);
        assertThat(s.getVersion()).isZero();

        c.delete().forPath(leaf);
        Await.until("empty parent containers deleted", Duration.ofSeconds(10),
                () -> c.checkExists().forPath(base + "/a") == null);
        c.delete().deletingChildrenIfNeeded().forPath(base + "/p/q");
        Await.holdsFor("persistent parent kept", Duration.ofMillis(400),
                () -> c.checkExists().forPath(base + "/p") != null);
    }

    @Test
    void protectionModeNamesTheNodeWithAGuid() throws Exception {
        CuratorFramework c = curator();
        c.create().forPath(base + "/locks");
        String p = c.create().withProtection().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(base + "/locks/lock-");
        assertThat(p).matches(base + "/locks/_c_[0-9a-f-]{36}-lock-0000000000");
        List<String> kids = c.getChildren().forPath(base + "/locks");
        assertThat(kids).containsExactly(p.substring(p.lastIndexOf('/') + 1));
        assertThat(c.checkExists().forPath(p).getEphemeralOwner())
                .isEqualTo(c.getZookeeperClient().getZooKeeper().getSessionId());
    }

    @Test
    void namespacePrefixesEveryPath() throws Exception {
        CuratorFramework c = curator();
        CuratorFramework ns = c.usingNamespace(base.substring(1) + "/ns");
        ns.create().forPath("/x", DATA);
        assertThat(c.getData().forPath(base + "/ns/x")).isEqualTo(DATA);
        assertThat(ns.getChildren().forPath("/")).containsExactly("x");
        ns.delete().forPath("/x");
        assertThat(c.getChildren().forPath(base + "/ns")).isEmpty();
    }

    @Test
    void transactions() throws Exception {
        CuratorFramework c = curator();
        c.create().forPath(base + "/t", DATA);
        CuratorOp create = c.transactionOp().create().forPath(base + "/t/a", DATA);
        CuratorOp seq = c.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(base + "/t/s-");
        CuratorOp check = c.transactionOp().check().withVersion(0).forPath(base + "/t");
        CuratorOp set = c.transactionOp().setData().forPath(base + "/t", "e".getBytes());
        CuratorOp del = c.transactionOp().delete().forPath(base + "/t/a");
        List<String> results = new ArrayList<>();
        for (CuratorTransactionResult r : c.transaction().forOperations(create, seq, check, set, del)) {
            results.add(r.getType() + " " + r.getForPath() + " " + r.getResultPath() + " "
                    + (r.getResultStat() == null ? "-" : r.getResultStat().getVersion()) + " " + r.getError());
        }
        assertThat(results).containsExactly(
                "CREATE " + base + "/t/a " + base + "/t/a - 0",
                "CREATE " + base + "/t/s- " + base + "/t/s-0000000001 - 0",
                "CHECK " + base + "/t null - 0",
                "SET_DATA " + base + "/t null 1 0",
                "DELETE " + base + "/t/a null - 0");

        CuratorOp ok = c.transactionOp().create().forPath(base + "/t/b");
        CuratorOp bad = c.transactionOp().check().withVersion(0).forPath(base + "/t");
        assertThatThrownBy(() -> c.transaction().forOperations(ok, bad))
                .isInstanceOf(KeeperException.BadVersionException.class);
        assertThat(c.checkExists().forPath(base + "/t/b")).isNull();
        List<CuratorTransactionResult> checked = c.transaction().forOperations(
                c.transactionOp().check().forPath(base + "/t"));
        assertThat(checked).extracting(CuratorTransactionResult::getType).containsExactly(OperationType.CHECK);
    }

    @Test
    void asyncApi() throws Exception {
        AsyncCuratorFramework async = AsyncCuratorFramework.wrap(curator());
        String p = base + "/async";
        assertThat(async.create().forPath(p, DATA).toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(p);
        Stat s = new Stat();
        assertThat(async.getData().storingStatIn(s).forPath(p).toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS))
                .isEqualTo(DATA);
        assertThat(s.getVersion()).isZero();
        AsyncStage<byte[]> watched = async.watched().getData().forPath(p);
        assertThat(watched.toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(DATA);
        async.setData().forPath(p, "e".getBytes()).toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
        WatchedEvent e = watched.event().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
        assertThat(e.getType()).isEqualTo(EventType.NodeDataChanged);
        assertThat(e.getPath()).isEqualTo(p);
        assertThat(async.checkExists().forPath(base + "/none").toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS))
                .isNull();
        assertThatThrownBy(() -> async.delete().forPath(base + "/none").toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KeeperException.NoNodeException.class);
    }

    @Test
    void watchersRemove() throws Exception {
        CuratorFramework c = curator();
        String p = base + "/w";
        c.create().forPath(p, DATA);
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        CuratorWatcher w = e -> events.add(e.getType() + " " + e.getPath());
        c.getData().usingWatcher(w).forPath(p);
        c.watchers().remove(w).ofType(Watcher.WatcherType.Any).forPath(p);
        assertThat(events.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("DataWatchRemoved " + p);
        c.setData().forPath(p, "e".getBytes());
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThatThrownBy(() -> c.watchers().remove(w).ofType(Watcher.WatcherType.Any).forPath(p))
                .isInstanceOf(KeeperException.NoWatcherException.class);
        c.watchers().remove(w).ofType(Watcher.WatcherType.Any).quietly().forPath(p);

        c.checkExists().usingWatcher(w).forPath(p);
        c.setData().forPath(p, "f".getBytes());
        assertThat(events.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("NodeDataChanged " + p);
    }

    @Test
    void connectionStatesThroughAServerRestart() throws Exception {
        CuratorFramework c = curator();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        c.getConnectionStateListenable().addListener((client, s) -> states.add(s));
        long session = c.getZookeeperClient().getZooKeeper().getSessionId();
        c.create().withMode(CreateMode.EPHEMERAL).forPath(base + "/eph");

        server.restart();
        Await.until("RECONNECTED after the restart", Duration.ofSeconds(30),
                () -> states.contains(ConnectionState.RECONNECTED));
        // (the initial CONNECTED may reach a listener added after blockUntilConnected)
        assertThat(states).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                .doesNotContain(ConnectionState.LOST);
        assertThat(c.getZookeeperClient().getZooKeeper().getSessionId()).isEqualTo(session);
        assertThat(c.checkExists().forPath(base + "/eph").getEphemeralOwner()).isEqualTo(session);
    }

    @Test
    void connectionStatesThroughASessionExpiry() throws Exception {
        TcpProxy proxy = track(new TcpProxy(server.clientPort()));
        CuratorFramework c = curator(proxy.connectString(), 4000);
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        c.getConnectionStateListenable().addListener((client, s) -> states.add(s));
        long session = c.getZookeeperClient().getZooKeeper().getSessionId();
        c.create().withMode(CreateMode.EPHEMERAL).forPath(base + "/eph");

        proxy.block();
        Await.until("LOST while cut off", Duration.ofSeconds(30), () -> states.contains(ConnectionState.LOST));
        Await.until("the server expires the old session", Duration.ofSeconds(20),
                () -> admin().exists(base + "/eph", false) == null);
        proxy.unblock();
        Await.until("RECONNECTED on a new session", Duration.ofSeconds(30),
                () -> states.contains(ConnectionState.RECONNECTED));
        assertThat(states).containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.LOST,
                ConnectionState.RECONNECTED);
        assertThat(c.getZookeeperClient().getZooKeeper().getSessionId()).isNotEqualTo(session);
        assertThat(c.checkExists().forPath(base + "/eph")).isNull();
        c.create().withMode(CreateMode.EPHEMERAL).forPath(base + "/eph");
    }

    @Test
    void ensembleTrackerReadsTheConfigNode() throws Exception {
        CuratorFramework c = curator();
        byte[] config = c.getConfig().forEnsemble();
        assertThat(config).isEqualTo(c.getData().forPath("/zookeeper/config"));
        assertThat(config).isEmpty();
        assertThat(c.getCurrentConfig().getAllMembers()).isEmpty();
        Await.holdsFor("connection string unchanged", Duration.ofMillis(300),
                () -> c.getZookeeperClient().getCurrentConnectionString().equals(server.connectString()));
        c.create().forPath(base + "/still-works");
    }
}
