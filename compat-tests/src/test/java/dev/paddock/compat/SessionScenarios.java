package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

/**
 * Sessions, with tickTime=250, minSessionTimeout=1500, maxSessionTimeout=6000. Pins:
 * <ul>
 *   <li>the negotiated timeout is the requested one clamped to [min, max];</li>
 *   <li>closing a session deletes its ephemerals at once and fires other sessions' watches
 *       (NodeDeleted, then the parent's NodeChildrenChanged); the closing client sees Closed;</li>
 *   <li>a session whose client goes silent expires after about its timeout: its ephemerals are
 *       deleted (others' watches fire), and when the client comes back it gets Expired, after
 *       which every call fails with SessionExpired;</li>
 *   <li>a client may move its session to a new connection with (id, password): same id, same
 *       negotiated timeout, its ephemerals kept and still owned by it;</li>
 *   <li>a wrong password or an unknown session id gets Expired; the real session is unharmed
 *       (ZooKeeper does drop the real session's current connection when someone presents its id
 *       with a wrong password; the client reconnects and the session goes on: not pinned here);</li>
 *   <li>a server restart keeps sessions, ephemerals and data: the client reconnects with its
 *       session, and its watches are restored.</li>
 * </ul>
 */
public abstract class SessionScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().tickTimeMs(250).sessionTimeoutsMs(1500, 6000);
    }

    @Test
    void negotiatedTimeoutIsClamped() throws Exception {
        assertThat(connect(server.connectString(), 100, new Events()).getSessionTimeout()).isEqualTo(1500);
        assertThat(connect(server.connectString(), 1500, new Events()).getSessionTimeout()).isEqualTo(1500);
        assertThat(connect(server.connectString(), 3000, new Events()).getSessionTimeout()).isEqualTo(3000);
        assertThat(connect(server.connectString(), 6000, new Events()).getSessionTimeout()).isEqualTo(6000);
        assertThat(connect(server.connectString(), 100_000, new Events()).getSessionTimeout()).isEqualTo(6000);
    }

    @Test
    void closeDeletesEphemeralsAndFiresWatches() throws Exception {
        Events ownerEvents = new Events();
        ZooKeeper owner = connect(server.connectString(), 6000, ownerEvents);
        ZooKeeper watcher = connect();
        String e = base + "/eph";
        owner.create(e, null, OPEN, CreateMode.EPHEMERAL);
        owner.create(base + "/keep", null, OPEN, CreateMode.PERSISTENT);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        watcher.exists(e, new Events("exists", log));
        watcher.getChildren(base, new Events("children", log));
        owner.close();
        ownerEvents.awaitState(KeeperState.Closed);
        // gone as soon as close returns, not after a timeout
        assertThat(watcher.exists(e, false)).isNull();
        Await.until("two events", Events.WAIT, () -> log.size() >= 2);
        assertThat(log).containsExactly("exists:NodeDeleted " + e, "children:NodeChildrenChanged " + base);
        assertThat(watcher.exists(base + "/keep", false)).isNotNull();
    }

    @Test
    void expiryDeletesEphemerals() throws Exception {
        TcpProxy proxy = track(new TcpProxy(server.clientPort()));
        Events events = new Events();
        ZooKeeper doomed = connect(proxy.connectString(), 1500, events);
        assertThat(doomed.getSessionTimeout()).isEqualTo(1500);
        ZooKeeper watcher = connect();
        String e = base + "/eph";
        doomed.create(e, null, OPEN, CreateMode.EPHEMERAL);
        Events w = new Events();
        watcher.exists(e, w);

        long silentAt = System.nanoTime();
        proxy.block();
        w.expect(EventType.NodeDeleted, e);
        long tookMs = (System.nanoTime() - silentAt) / 1_000_000;
        assertThat(tookMs).as("expiry after about the session timeout").isBetween(1000L, 9000L);
        assertThat(watcher.exists(e, false)).isNull();

        proxy.unblock();
        events.awaitState(KeeperState.Expired);
        assertThat(codeOf(() -> doomed.exists("/", false))).isEqualTo(Code.SESSIONEXPIRED);
    }

    @Test
    void sessionMovesToANewConnectionWithIdAndPassword() throws Exception {
        TcpProxy proxy = track(new TcpProxy(server.clientPort()));
        Events first = new Events();
        ZooKeeper zk = connect(proxy.connectString(), 6000, first);
        String e = base + "/eph";
        zk.create(e, null, OPEN, CreateMode.EPHEMERAL);
        proxy.block();
        first.awaitState(KeeperState.Disconnected);

        Events second = new Events();
        ZooKeeper moved = track(new ZooKeeper(server.connectString(), 6000, second, zk.getSessionId(), zk.getSessionPasswd()));
        second.awaitState(KeeperState.SyncConnected);
        assertThat(moved.getSessionId()).isEqualTo(zk.getSessionId());
        assertThat(moved.getSessionTimeout()).isEqualTo(6000);
        ZooKeeper other = connect();
        assertThat(other.exists(e, false).getEphemeralOwner()).isEqualTo(zk.getSessionId());
        assertThat(moved.getEphemerals()).containsExactly(e);
        moved.create(base + "/eph2", null, OPEN, CreateMode.EPHEMERAL);

        zk.close(2000); // its connection is blocked: nothing reaches the server
        assertThat(other.exists(e, false)).isNotNull();
        moved.close();
        assertThat(other.exists(e, false)).isNull();
        assertThat(other.exists(base + "/eph2", false)).isNull();
    }

    @Test
    void wrongPasswordOrUnknownIdGetsExpired() throws Exception {
        ZooKeeper real = connect(server.connectString(), 6000, new Events());
        String e = base + "/eph";
        real.create(e, null, OPEN, CreateMode.EPHEMERAL);

        byte[] wrong = real.getSessionPasswd().clone();
        wrong[0] ^= 1;
        Events intruder = new Events();
        track(new ZooKeeper(server.connectString(), 6000, intruder, real.getSessionId(), wrong));
        intruder.awaitState(KeeperState.Expired);

        Events unknown = new Events();
        track(new ZooKeeper(server.connectString(), 6000, unknown, 0x7777_7777_77L, new byte[16]));
        unknown.awaitState(KeeperState.Expired);

        // the real session lives on (it may have to reconnect once)
        ZooKeeper other = connect();
        Await.until("real session still works", Duration.ofSeconds(10), () -> real.exists(e, false) != null);
        assertThat(other.exists(e, false).getEphemeralOwner()).isEqualTo(real.getSessionId());
    }

    @Test
    void restartKeepsSessionsEphemeralsAndWatches() throws Exception {
        Events events = new Events();
        ZooKeeper zk = connect(server.connectString(), 6000, events);
        long id = zk.getSessionId();
        zk.create(base + "/data", "kept".getBytes(), OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/eph", null, OPEN, CreateMode.EPHEMERAL);
        Events w = new Events();
        zk.getData(base + "/data", w, null);

        server.restart();
        events.awaitState(KeeperState.Disconnected);
        events.awaitState(KeeperState.SyncConnected, Duration.ofSeconds(20));
        assertThat(zk.getSessionId()).isEqualTo(id);
        assertThat(zk.getData(base + "/data", false, null)).isEqualTo("kept".getBytes());
        assertThat(zk.exists(base + "/eph", false).getEphemeralOwner()).isEqualTo(id);

        ZooKeeper writer = connect();
        writer.setData(base + "/data", "changed".getBytes(), -1);
        w.expect(EventType.NodeDataChanged, base + "/data");
    }
}
