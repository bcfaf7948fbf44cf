package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.junit.jupiter.api.Test;

/**
 * Watches. Pins:
 * <ul>
 *   <li>standard watches are one-shot; getData/exists watches get NodeDataChanged and NodeDeleted,
 *       an exists watch on a missing node gets NodeCreated, child watches get NodeChildrenChanged
 *       (not for a child's data change) and NodeDeleted when the node itself goes;</li>
 *   <li>getData/getChildren on a missing node throw NoNode and leave NO watch behind;</li>
 *   <li>order: per txn, the node's own event before its parent's NodeChildrenChanged; across a
 *       multi, in op order; a watch event is delivered before the reply to any later read that
 *       sees the change;</li>
 *   <li>persistent watches (addWatch) survive firing; PERSISTENT gets the node's own events and
 *       NodeChildrenChanged; PERSISTENT_RECURSIVE gets NodeCreated/NodeDataChanged/NodeDeleted
 *       for the node and every descendant and never NodeChildrenChanged; addWatch works on a
 *       missing path; its reply has a 4-byte body;</li>
 *   <li>removeWatches delivers DataWatchRemoved/ChildWatchRemoved/PersistentWatchRemoved to the
 *       removed watcher; NoWatcher (-121) when there is nothing of that type; raw checkWatches:
 *       NoWatcher unless a watch of that type (1 children, 2 data, 3 any, 4 persistent, 5
 *       recursive) exists; an out-of-range watcher type or addWatch mode is MarshallingError (-5);</li>
 *   <li>after a reconnect (setWatches) the client's standard watches fire for what changed while
 *       it was away, data watches first, then exists, then child watches, and stay registered
 *       when nothing changed; persistent watches are re-registered but missed changes are NOT
 *       replayed to them.</li>
 * </ul>
 */
public abstract class WatchScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    private static final Duration QUIET = Duration.ofMillis(300);

    @Test
    void dataWatchIsOneShot() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/d";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        Events w = new Events();
        zk.getData(p, w, null);
        writer.setData(p, "1".getBytes(), -1);
        writer.setData(p, "2".getBytes(), -1);
        w.expect(EventType.NodeDataChanged, p);
        w.expectNoNodeEvent(QUIET);
        zk.getData(p, w, null);
        writer.delete(p, -1);
        w.expect(EventType.NodeDeleted, p);
    }

    @Test
    void existsWatches() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/e";
        Events w = new Events();
        assertThat(zk.exists(p, w)).isNull();
        writer.create(p, null, OPEN, CreateMode.PERSISTENT);
        w.expect(EventType.NodeCreated, p);
        zk.exists(p, w);
        writer.setData(p, "x".getBytes(), -1);
        w.expect(EventType.NodeDataChanged, p);
        zk.exists(p, w);
        writer.delete(p, -1);
        w.expect(EventType.NodeDeleted, p);
        w.expectNoNodeEvent(QUIET);
    }

    @Test
    void readsOfMissingNodesLeaveNoWatch() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/m";
        Events w = new Events();
        assertThat(codeOf(() -> zk.getData(p, w, null))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.getChildren(p, w))).isEqualTo(Code.NONODE);
        writer.create(p, null, OPEN, CreateMode.PERSISTENT);
        writer.create(p + "/c", null, OPEN, CreateMode.PERSISTENT);
        w.expectNoNodeEvent(QUIET);
    }

    @Test
    void childWatches() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/p";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        Events w = new Events();
        zk.getChildren(p, w);
        writer.create(p + "/a", null, OPEN, CreateMode.PERSISTENT);
        w.expect(EventType.NodeChildrenChanged, p);
        zk.getChildren(p, w);
        writer.setData(p + "/a", "x".getBytes(), -1);
        writer.setData(p, "x".getBytes(), -1);
        w.expectNoNodeEvent(QUIET);
        writer.delete(p + "/a", -1);
        w.expect(EventType.NodeChildrenChanged, p);
        zk.getChildren(p, w);
        writer.delete(p, -1);
        w.expect(EventType.NodeDeleted, p);
    }

    @Test
    void eventOrderWithinAMulti() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String w = base + "/w";
        zk.create(w, null, OPEN, CreateMode.PERSISTENT);
        zk.create(w + "/c", null, OPEN, CreateMode.PERSISTENT);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        zk.getData(w, new Events("data", log), null);
        zk.getChildren(w, new Events("child", log));
        zk.exists(w + "/d", new Events("exists", log));
        zk.getData(w + "/c", new Events("dataC", log), null);
        writer.multi(List.of(
                Op.create(w + "/d", null, OPEN, CreateMode.PERSISTENT),
                Op.setData(w, "x".getBytes(), -1),
                Op.delete(w + "/c", -1)));
        awaitSize(log, 4);
        assertThat(log).containsExactly(
                "exists:NodeCreated " + w + "/d",
                "child:NodeChildrenChanged " + w,
                "data:NodeDataChanged " + w,
                "dataC:NodeDeleted " + w + "/c");
    }

    @Test
    void nodeEventComesBeforeParentEvent() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        String c = base + "/c";
        zk.exists(c, new Events("exists", log));
        zk.getChildren(base, new Events("parent", log));
        writer.create(c, null, OPEN, CreateMode.PERSISTENT);
        awaitSize(log, 2);
        assertThat(log).containsExactly("exists:NodeCreated " + c, "parent:NodeChildrenChanged " + base);
        log.clear();
        zk.getData(c, new Events("data", log), null);
        zk.getChildren(base, new Events("parent", log));
        writer.delete(c, -1);
        awaitSize(log, 2);
        assertThat(log).containsExactly("data:NodeDeleted " + c, "parent:NodeChildrenChanged " + base);
    }

    @Test
    void oneWatcherOnDataChildAndExistsGetsOneNodeDeleted() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/p";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        Events both = new Events();
        zk.getData(p, both, null);
        zk.getChildren(p, both);
        zk.exists(p, both);
        writer.delete(p, -1);
        both.expect(EventType.NodeDeleted, p);
        both.expectNoNodeEvent(QUIET);
    }

    @Test
    void defaultWatcher() throws Exception {
        Events def = new Events();
        ZooKeeper zk = connect(def);
        ZooKeeper writer = connect();
        zk.getData(base, true, null);
        zk.exists(base, true);
        zk.getChildren(base, true);
        writer.setData(base, "x".getBytes(), -1);
        def.expect(EventType.NodeDataChanged, base);
        def.expectNoNodeEvent(QUIET);
        writer.create(base + "/c", null, OPEN, CreateMode.PERSISTENT);
        def.expect(EventType.NodeChildrenChanged, base);
    }

    @Test
    void watchEventArrivesBeforeTheReadThatSeesTheChange() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        zk.getData(base, new Events("event", log), null);
        writer.setData(base, "NEW".getBytes(), -1);
        CountDownLatch read = new CountDownLatch(1);
        zk.getData(base, false, (rc, path, ctx, data, stat) -> {
            log.add("read:" + new String(data));
            read.countDown();
        }, null);
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("event:NodeDataChanged " + base, "read:NEW");
    }

    @Test
    void persistentWatch() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        Events w = new Events();
        zk.addWatch(base, w, AddWatchMode.PERSISTENT);
        writer.create(base + "/g", null, OPEN, CreateMode.PERSISTENT);
        writer.create(base + "/g/h", null, OPEN, CreateMode.PERSISTENT);
        writer.setData(base + "/g", null, -1);
        writer.setData(base, null, -1);
        writer.setData(base, null, -1);
        writer.delete(base + "/g/h", -1);
        writer.delete(base + "/g", -1);
        writer.delete(base, -1);
        writer.create(base, null, OPEN, CreateMode.PERSISTENT);
        assertThat(w.next(6)).containsExactly(
                "NodeChildrenChanged " + base,
                "NodeDataChanged " + base,
                "NodeDataChanged " + base,
                "NodeChildrenChanged " + base,
                "NodeDeleted " + base,
                "NodeCreated " + base);
        w.expectNoNodeEvent(QUIET);
    }

    @Test
    void persistentRecursiveWatchNeverSendsChildrenChanged() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        Events w = new Events();
        zk.addWatch(base, w, AddWatchMode.PERSISTENT_RECURSIVE);
        writer.create(base + "/g", null, OPEN, CreateMode.PERSISTENT);
        writer.create(base + "/g/h", null, OPEN, CreateMode.PERSISTENT);
        writer.setData(base + "/g/h", null, -1);
        writer.setData(base, null, -1);
        writer.delete(base + "/g/h", -1);
        writer.delete(base + "/g", -1);
        writer.multi(List.of(
                Op.create(base + "/m", null, OPEN, CreateMode.PERSISTENT),
                Op.setData(base + "/m", "x".getBytes(), -1)));
        assertThat(w.next(8)).containsExactly(
                "NodeCreated " + base + "/g",
                "NodeCreated " + base + "/g/h",
                "NodeDataChanged " + base + "/g/h",
                "NodeDataChanged " + base,
                "NodeDeleted " + base + "/g/h",
                "NodeDeleted " + base + "/g",
                "NodeCreated " + base + "/m",
                "NodeDataChanged " + base + "/m");
        w.expectNoNodeEvent(QUIET);
    }

    /**
     * An event is sent only to a watcher whose session may READ the node it is about (for
     * NodeChildrenChanged, the parent), under the node's ACL when the change is applied, as ZooKeeper
     * 3.9 filters each delivery (CVE-2024-23944): a recursive watch does not reveal unreadable descendants,
     * a one-shot watch on an unreadable node is used up without an event. A readable node's events after
     * them show the filtered ones were not merely late.
     */
    @Test
    void eventsNeedReadOnTheNode() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        List<ACL> unreadable = new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL & ~ZooDefs.Perms.READ,
                ZooDefs.Ids.ANYONE_ID_UNSAFE)));
        String hidden = base + "/hidden";
        String open = base + "/open";
        Events recursive = new Events();
        Events oneShot = new Events();
        zk.addWatch(base, recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.exists(hidden, oneShot);
        zk.getChildren(base, oneShot);
        writer.create(hidden, null, unreadable, CreateMode.PERSISTENT);
        writer.setData(hidden, "x".getBytes(), -1);
        writer.create(hidden + "/child", null, OPEN, CreateMode.PERSISTENT);
        writer.delete(hidden + "/child", -1);
        writer.delete(hidden, -1);
        writer.create(open, null, OPEN, CreateMode.PERSISTENT);
        writer.create(hidden, null, OPEN, CreateMode.PERSISTENT);
        assertThat(recursive.next(4)).containsExactly(
                "NodeCreated " + hidden + "/child",
                "NodeDeleted " + hidden + "/child",
                "NodeCreated " + open,
                "NodeCreated " + hidden);
        // The exists watch's filtered event never reached the client, which still holds that watch and so
        // also hands it the recursive watch's last NodeCreated.
        assertThat(oneShot.next(2)).containsExactly("NodeChildrenChanged " + base, "NodeCreated " + hidden);
        recursive.expectNoNodeEvent(QUIET);
        oneShot.expectNoNodeEvent(QUIET);
    }

    /**
     * The events setWatches answers with at once (for what changed since the client's zxid) are not
     * filtered by READ, as ZooKeeper sends them without an ACL; the watches it leaves are, later.
     */
    @Test
    void setWatchesCatchUpEventsAreNotFiltered() throws Exception {
        ZooKeeper writer = connect();
        String hidden = base + "/hidden";
        String later = base + "/later";
        List<ACL> unreadable = new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL & ~ZooDefs.Perms.READ,
                ZooDefs.Ids.ANYONE_ID_UNSAFE)));
        writer.create(hidden, null, unreadable, CreateMode.PERSISTENT);
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            raw.sendFrame(RawClient.serialize(new org.apache.zookeeper.proto.RequestHeader(-8, OpCode.setWatches),
                    new org.apache.zookeeper.proto.SetWatches(0, List.of(hidden), List.of(later), List.of())));
            assertThat(eventsBefore(raw, -8)).containsExactly("3 " + hidden);
            // The exists watch it left is set, and its event (about an unreadable node) is filtered.
            writer.create(later, null, unreadable, CreateMode.PERSISTENT);
            raw.sendFrame(RawClient.serialize(new org.apache.zookeeper.proto.RequestHeader(7, OpCode.exists),
                    new org.apache.zookeeper.proto.ExistsRequest(base, false)));
            assertThat(eventsBefore(raw, 7)).isEmpty();
        }
    }

    /** The watch events (type number and path) read before the reply with this xid. */
    private static List<String> eventsBefore(RawClient raw, int xid) throws java.io.IOException {
        List<String> events = new ArrayList<>();
        while (true) {
            RawClient.Reply r = raw.read();
            if (r.header().getXid() == xid) {
                assertThat(r.err()).isZero();
                return events;
            }
            if (r.header().getXid() == -1) {
                org.apache.zookeeper.proto.WatcherEvent e = r.as(new org.apache.zookeeper.proto.WatcherEvent());
                events.add(e.getType() + " " + e.getPath());
            }
        }
    }

    @Test
    void persistentWatchOnMissingPath() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/later/x";
        Events w = new Events();
        zk.addWatch(p, w, AddWatchMode.PERSISTENT);
        writer.create(base + "/later", null, OPEN, CreateMode.PERSISTENT);
        writer.create(p, null, OPEN, CreateMode.PERSISTENT);
        writer.delete(p, -1);
        writer.create(p, null, OPEN, CreateMode.PERSISTENT);
        assertThat(w.next(3)).containsExactly("NodeCreated " + p, "NodeDeleted " + p, "NodeCreated " + p);
    }

    @Test
    void removeWatches() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        String p = base + "/r";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        Events w = new Events();
        assertThat(codeOf(() -> zk.removeWatches(p, w, WatcherType.Any, false))).isEqualTo(Code.NOWATCHER);
        assertThat(codeOf(() -> zk.removeAllWatches(p, WatcherType.Any, false))).isEqualTo(Code.NOWATCHER);

        zk.getData(p, w, null);
        assertThat(codeOf(() -> zk.removeWatches(p, w, WatcherType.Children, false))).isEqualTo(Code.NOWATCHER);
        zk.removeWatches(p, w, WatcherType.Data, false);
        w.expect(EventType.DataWatchRemoved, p);
        writer.setData(p, "x".getBytes(), -1);
        w.expectNoNodeEvent(QUIET);
        assertThat(codeOf(() -> zk.removeWatches(p, w, WatcherType.Data, false))).isEqualTo(Code.NOWATCHER);

        zk.getChildren(p, w);
        zk.removeAllWatches(p, WatcherType.Children, false);
        w.expect(EventType.ChildWatchRemoved, p);
        writer.create(p + "/c", null, OPEN, CreateMode.PERSISTENT);
        w.expectNoNodeEvent(QUIET);

        Events pw = new Events();
        zk.addWatch(p, pw, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.removeAllWatches(p, WatcherType.Any, false);
        pw.expect(EventType.PersistentWatchRemoved, p);
        writer.setData(p, "y".getBytes(), -1);
        pw.expectNoNodeEvent(QUIET);
        assertThat(codeOf(() -> zk.removeAllWatches(p, WatcherType.Any, false))).isEqualTo(Code.NOWATCHER);
        assertThatThrownBy(() -> zk.removeWatches(p, null, WatcherType.Data, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkAndRemoveWatchesOnTheWire() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/w", null, OPEN, CreateMode.PERSISTENT);
        String p = base + "/w";
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 3)).err()).isEqualTo(-121);
            assertThat(raw.call(OpCode.removeWatches, new RemoveWatchesRequest(p, 3)).err()).isEqualTo(-121);
            assertThat(raw.call(OpCode.getData, new GetDataRequest(p, true)).err()).isZero();
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 2)).err()).isZero();
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 1)).err()).isEqualTo(-121);
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 3)).err()).isZero();
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(base + "/nothing", 3)).err()).isEqualTo(-121);
            assertThat(raw.call(OpCode.removeWatches, new RemoveWatchesRequest(p, 2)).err()).isZero();
            assertThat(raw.call(OpCode.removeWatches, new RemoveWatchesRequest(p, 2)).err()).isEqualTo(-121);
        }
    }

    @Test
    void checkWatchesTellsPersistentFromStandardWatches() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/w", null, OPEN, CreateMode.PERSISTENT);
        String p = base + "/w";
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            RawClient.Reply added = raw.call(OpCode.addWatch, new AddWatchRequest(p, 0));
            assertThat(added.err()).isZero();
            assertThat(added.body()).hasSize(4); // an int, as Curator's CuratorCache expects
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 4)).err()).isZero();
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 3)).err()).isZero();
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 2)).err()).isEqualTo(-121);
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 5)).err()).isEqualTo(-121);
            assertThat(raw.call(OpCode.addWatch, new AddWatchRequest(p, 1)).body()).hasSize(4);
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(p, 5)).err()).isZero();
        }
    }

    @Test
    void outOfRangeWatcherTypeOrModeIsMarshallingError() throws Exception {
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            assertThat(raw.call(OpCode.getData, new GetDataRequest(base, true)).err()).isZero();
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(base, 9)).err()).isEqualTo(-5);
            assertThat(raw.call(OpCode.removeWatches, new RemoveWatchesRequest(base, 9)).err()).isEqualTo(-5);
            assertThat(raw.call(OpCode.addWatch, new AddWatchRequest(base, 7)).err()).isEqualTo(-5);
            // and the connection goes on
            assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest(base, 2)).err()).isZero();
        }
    }

    @Test
    void watchesAreRestoredAfterReconnect() throws Exception {
        TcpProxy proxy = track(new TcpProxy(server.clientPort()));
        Events state = new Events();
        ZooKeeper zk = connect(proxy.connectString(), SESSION_TIMEOUT_MS, state);
        ZooKeeper writer = connect();
        String r = base + "/r";
        writer.create(r, "0".getBytes(), OPEN, CreateMode.PERSISTENT);
        writer.create(r + "/gone", null, OPEN, CreateMode.PERSISTENT);
        writer.create(r + "/stays", null, OPEN, CreateMode.PERSISTENT);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        zk.getData(r, new Events("data", log), null);
        zk.getData(r + "/gone", new Events("data", log), null);
        zk.exists(r + "/new", new Events("exists", log));
        zk.exists(r + "/stays", new Events("exists", log));
        zk.getChildren(r, new Events("child", log));

        proxy.block();
        state.awaitState(KeeperState.Disconnected);
        writer.setData(r, "1".getBytes(), -1);
        writer.create(r + "/new", null, OPEN, CreateMode.PERSISTENT);
        writer.delete(r + "/gone", -1);
        proxy.unblock();
        state.awaitState(KeeperState.SyncConnected);

        awaitSize(log, 4);
        List<String> got = new ArrayList<>(log);
        // data watches first (their relative order is the client's map order), then exists, then child
        assertThat(got.subList(0, 2)).containsExactlyInAnyOrder("data:NodeDataChanged " + r, "data:NodeDeleted " + r + "/gone");
        assertThat(got.subList(2, 4)).containsExactly("exists:NodeCreated " + r + "/new", "child:NodeChildrenChanged " + r);
        log.clear();
        // the untouched exists watch was re-registered and still fires
        writer.setData(r + "/stays", "x".getBytes(), -1);
        awaitSize(log, 1);
        assertThat(log).containsExactly("exists:NodeDataChanged " + r + "/stays");
    }

    @Test
    void persistentWatchesAreReRegisteredButMissedEventsAreNotReplayed() throws Exception {
        TcpProxy proxy = track(new TcpProxy(server.clientPort()));
        Events state = new Events();
        ZooKeeper zk = connect(proxy.connectString(), SESSION_TIMEOUT_MS, state);
        ZooKeeper writer = connect();
        String p = base + "/p";
        String q = base + "/q";
        writer.create(p, null, OPEN, CreateMode.PERSISTENT);
        writer.create(q, null, OPEN, CreateMode.PERSISTENT);
        Events rec = new Events();
        Events pers = new Events();
        zk.addWatch(p, rec, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.addWatch(q, pers, AddWatchMode.PERSISTENT);

        proxy.block();
        state.awaitState(KeeperState.Disconnected);
        writer.create(p + "/a", null, OPEN, CreateMode.PERSISTENT);
        writer.setData(p, "x".getBytes(), -1);
        writer.setData(q, "x".getBytes(), -1);
        writer.create(q + "/a", null, OPEN, CreateMode.PERSISTENT);
        proxy.unblock();
        state.awaitState(KeeperState.SyncConnected);
        zk.sync(base); // a round trip after the reconnect: anything replayed would be in by now
        rec.expectNoNodeEvent(QUIET);
        pers.expectNoNodeEvent(Duration.ZERO);

        writer.setData(p + "/a", "y".getBytes(), -1);
        writer.setData(q, "y".getBytes(), -1);
        rec.expect(EventType.NodeDataChanged, p + "/a");
        pers.expect(EventType.NodeDataChanged, q);
    }

    private static void awaitSize(List<String> log, int n) {
        Await.until(n + " events (have " + log + ")", Events.WAIT, () -> log.size() >= n);
        Await.holdsFor("no more than " + n + " events (have " + log + ")", Duration.ofMillis(100), () -> log.size() == n);
    }
}
