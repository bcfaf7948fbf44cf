package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.TcpProxy;
import dev.paddock.compat.legacy.LegacyClients;
import dev.paddock.compat.legacy.LegacyClients.Handle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The released Java clients 3.4.14, 3.5.10, 3.6.4, 3.7.2, 3.8.6 and 3.9.5, each loaded in its own
 * class loader ({@link LegacyClients}) and driven through {@link dev.paddock.compat.legacy.LegacyClient}.
 * Each scenario runs once per version and tests what that version has:
 * <ul>
 *   <li>all: session, CRUD with its errors (NODEEXISTS, NONODE, BADVERSION, NOTEMPTY), null data
 *       distinct from empty data, sequential names, ephemerals gone with the session; one-shot
 *       data, exists and child watches (NodeCreated, NodeDataChanged, NodeChildrenChanged,
 *       NodeDeleted) fired once; multi (create, check, setData, delete) and a failed multi with
 *       its per-op results (OK, BADVERSION, RUNTIMEINCONSISTENCY) and nothing applied; the session
 *       moving to another address (a second proxy) with the watches restored by setWatches,
 *       including the events missed while away; a server restart with the session, its
 *       ephemerals and its watches kept;</li>
 *   <li>3.5 and later: create2 (the Stat of the new node), containers, removeWatches
 *       (DataWatchRemoved, then NOWATCHER);</li>
 *   <li>3.6 and later: persistent and persistent recursive watches (addWatch), multiRead with a
 *       per-op error, getEphemerals, getAllChildrenNumber.</li>
 * </ul>
 */
public abstract class JavaClientMatrixScenarios extends CompatTestBase {
    private static final long EVENT_WAIT_MS = 10_000;
    private static final long QUIET_MS = 300;

    private final List<Handle> handles = new ArrayList<>();

    static Stream<String> versions() {
        return Stream.of("3.4.14", "3.5.10", "3.6.4", "3.7.2", "3.8.6", LegacyClients.CURRENT);
    }

    private static boolean atLeast(String version, int minor) {
        return Integer.parseInt(version.split("\\.")[1]) >= minor;
    }

    private Handle client(String version, String connectString) {
        Handle h = LegacyClients.connect(version, connectString, SESSION_TIMEOUT_MS);
        handles.add(h);
        return h;
    }

    @AfterEach
    void closeHandles() {
        for (Handle h : handles) {
            h.close();
        }
        handles.clear();
    }

    private static String next(Handle h) {
        String e = (String) h.call("nextEvent", EVENT_WAIT_MS);
        assertThat(e).as(h.version + ": an event within " + EVENT_WAIT_MS + " ms").isNotNull();
        return e;
    }

    private static List<String> next(Handle h, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(next(h));
        }
        return l;
    }

    private static void quiet(Handle h) {
        assertThat((String) h.call("nextEvent", QUIET_MS)).as(h.version + ": no further event").isNull();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void sessionAndCrud(String v) throws Exception {
        Handle c = client(v, server.connectString());
        String p = base + "/p";
        assertThat(c.str("create", p, "x", "PERSISTENT")).isEqualTo(p);
        assertThat(c.str("create", p, "x", "PERSISTENT")).isEqualTo("error:NODEEXISTS");
        assertThat(c.str("create", base + "/missing/child", "x", "PERSISTENT")).isEqualTo("error:NONODE");
        assertThat(c.str("getData", p, false)).isEqualTo("data=x");
        assertThat(c.str("exists", p, false)).isEqualTo("version=0 cversion=0 children=0 ephemeral=false length=1");
        assertThat(c.str("setData", p, "yy", 5)).isEqualTo("error:BADVERSION");
        assertThat(c.str("setData", p, "yy", 0)).isEqualTo("version=1 cversion=0 children=0 ephemeral=false length=2");
        assertThat(c.str("create", p + "/e", null, "EPHEMERAL")).isEqualTo(p + "/e");
        assertThat(c.str("create", p + "/s-", "q", "PERSISTENT_SEQUENTIAL")).isEqualTo(p + "/s-0000000001");
        assertThat(c.list("children", p, false)).containsExactly("e", "s-0000000001");
        assertThat(c.str("exists", p, false)).isEqualTo("version=1 cversion=2 children=2 ephemeral=false length=2");
        assertThat(c.str("delete", p, -1)).isEqualTo("error:NOTEMPTY");
        assertThat(c.str("delete", p + "/s-0000000001", 3)).isEqualTo("error:BADVERSION");
        assertThat(c.str("delete", p + "/s-0000000001", 0)).isEqualTo("ok");
        assertThat(c.str("delete", p + "/s-0000000001", -1)).isEqualTo("error:NONODE");
        assertThat(c.str("exists", p + "/e", false)).isEqualTo("version=0 cversion=0 children=0 ephemeral=true length=0");
        assertThat(c.str("create", base + "/null", null, "PERSISTENT")).isEqualTo(base + "/null");
        assertThat(c.str("create", base + "/empty", "", "PERSISTENT")).isEqualTo(base + "/empty");
        assertThat(c.str("getData", base + "/null", false)).isEqualTo("data=null");
        assertThat(c.str("getData", base + "/empty", false)).isEqualTo("data=");
        assertThat(c.str("getData", base + "/none", false)).isEqualTo("error:NONODE");
        c.close();
        assertThat(admin().exists(p + "/e", false)).as("ephemeral gone with its session").isNull();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void oneShotWatches(String v) throws Exception {
        Handle c = client(v, server.connectString());
        String w = base + "/w";
        String later = base + "/later";
        admin().create(w, "a".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(c.str("getData", w, true)).isEqualTo("data=a");
        assertThat(c.str("exists", later, true)).isNull();
        assertThat(c.list("children", base, true)).containsExactly("w");

        admin().setData(w, "b".getBytes(), -1);
        assertThat(next(c)).isEqualTo("NodeDataChanged " + w);
        admin().create(later, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(next(c, 2)).containsExactly("NodeCreated " + later, "NodeChildrenChanged " + base);
        admin().setData(w, "c".getBytes(), -1);
        admin().create(base + "/again", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        quiet(c);

        assertThat(c.str("getData", later, true)).isEqualTo("data=null");
        assertThat(c.list("children", later, true)).isEmpty();
        assertThat(c.list("children", base, true)).containsExactly("again", "later", "w");
        admin().delete(later, -1);
        assertThat(next(c, 2)).containsExactly("NodeDeleted " + later, "NodeChildrenChanged " + base);
        quiet(c);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void multi(String v) {
        Handle c = client(v, server.connectString());
        assertThat(c.list("multiScenario", base)).containsExactly(
                "create " + base + "/m1", "create " + base + "/m2", "check", "setData 1", "delete",
                "bad multi: error:BADVERSION", "error OK", "error BADVERSION", "error RUNTIMEINCONSISTENCY",
                "m3 null", "m1 data=b");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void newerOperations(String v) throws Exception {
        Handle c = client(v, server.connectString());
        if (!atLeast(v, 5)) {
            // 3.4 has none of them; what it has is covered above
            assertThat(c.str("exists", base, false)).startsWith("version=0");
            return;
        }
        String c2 = base + "/c2";
        assertThat(c.str("create2", c2, "abc", "PERSISTENT"))
                .isEqualTo(c2 + " version=0 cversion=0 children=0 ephemeral=false length=3 czxid=mzxid:true");
        assertThat(c.str("create2", base + "/cont", null, "CONTAINER"))
                .isEqualTo(base + "/cont version=0 cversion=0 children=0 ephemeral=false length=0 czxid=mzxid:true");
        assertThat(c.str("getData", c2, true)).isEqualTo("data=abc");
        assertThat(c.str("removeAllWatches", c2)).isEqualTo("ok");
        assertThat(next(c)).isEqualTo("DataWatchRemoved " + c2);
        assertThat(c.str("removeAllWatches", c2)).isEqualTo("error:NOWATCHER");
        admin().setData(c2, "x".getBytes(), -1);
        quiet(c);
        if (!atLeast(v, 6)) {
            return;
        }
        String r = base + "/r";
        String p = base + "/p";
        admin().create(r, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin().create(p, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(c.str("addWatch", r, true)).isEqualTo("ok");
        assertThat(c.str("addWatch", p, false)).isEqualTo("ok");
        admin().create(r + "/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin().create(r + "/a/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin().setData(r + "/a/b", "1".getBytes(), -1);
        admin().delete(r + "/a/b", -1);
        assertThat(next(c, 4)).containsExactly("NodeCreated " + r + "/a", "NodeCreated " + r + "/a/b",
                "NodeDataChanged " + r + "/a/b", "NodeDeleted " + r + "/a/b");
        admin().setData(p, "1".getBytes(), -1);
        admin().setData(p, "2".getBytes(), -1);
        admin().create(p + "/kid", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin().create(p + "/kid/grandkid", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(next(c, 3)).containsExactly("NodeDataChanged " + p, "NodeDataChanged " + p,
                "NodeChildrenChanged " + p);
        quiet(c);

        assertThat(c.list("multiRead", c2, r, base + "/none")).containsExactly("data=x", "children=[a]", "error NONODE");
        assertThat(c.str("create", base + "/eph", null, "EPHEMERAL")).isEqualTo(base + "/eph");
        assertThat(c.list("ephemerals", base)).containsExactly(base + "/eph");
        assertThat((Integer) c.call("allChildrenNumber", base)).isEqualTo(8);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void watchesFollowTheSessionToAnotherAddress(String v) throws Exception {
        TcpProxy first = track(new TcpProxy(server.clientPort()));
        TcpProxy second = track(new TcpProxy(server.clientPort()));
        second.block();
        Handle c = client(v, first.connectString() + "," + second.connectString());
        long session = (Long) c.call("sessionId");
        String w = base + "/w";
        String later = base + "/later";
        admin().create(w, "a".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(c.str("create", base + "/eph", null, "EPHEMERAL")).isEqualTo(base + "/eph");
        assertThat(c.str("getData", w, true)).isEqualTo("data=a");
        assertThat(c.str("exists", later, true)).isNull();
        assertThat(c.list("children", base, true)).containsExactly("eph", "w");

        first.block();
        c.call("awaitState", "Disconnected", EVENT_WAIT_MS);
        // changed while the client is away: it learns of them when it re-registers its watches
        admin().setData(w, "b".getBytes(), -1);
        admin().create(later, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        second.unblock();
        c.call("awaitState", "SyncConnected", 20_000L);
        assertThat((Long) c.call("sessionId")).isEqualTo(session);
        List<String> missed = next(c, 3);
        Collections.sort(missed);
        assertThat(missed).containsExactly("NodeChildrenChanged " + base, "NodeCreated " + later,
                "NodeDataChanged " + w);
        assertThat(c.str("exists", base + "/eph", false)).contains("ephemeral=true");

        // and a watch set after the move fires as usual
        assertThat(c.str("getData", w, true)).isEqualTo("data=b");
        admin().setData(w, "c".getBytes(), -1);
        assertThat(next(c)).isEqualTo("NodeDataChanged " + w);
        quiet(c);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void watchesSurviveAServerRestart(String v) throws Exception {
        Handle c = client(v, server.connectString());
        long session = (Long) c.call("sessionId");
        String w = base + "/w";
        admin().create(w, "a".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(c.str("create", base + "/eph", null, "EPHEMERAL")).isEqualTo(base + "/eph");
        assertThat(c.str("getData", w, true)).isEqualTo("data=a");
        assertThat(c.list("children", base, true)).containsExactly("eph", "w");

        server.restart();
        c.call("awaitState", "Disconnected", EVENT_WAIT_MS);
        c.call("awaitState", "SyncConnected", 20_000L);
        assertThat((Long) c.call("sessionId")).isEqualTo(session);
        assertThat(c.str("exists", base + "/eph", false)).contains("ephemeral=true");
        Await.until("admin client back after the restart", Duration.ofSeconds(20), () -> {
            admin().setData(w, "b".getBytes(), -1);
            return true;
        });
        assertThat(next(c)).isEqualTo("NodeDataChanged " + w);
        admin().create(base + "/x", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(next(c)).isEqualTo("NodeChildrenChanged " + base);
        quiet(c);
    }
}
