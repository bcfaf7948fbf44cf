package dev.paddock.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.migration.RealZooKeeper;
import dev.paddock.server.migration.ZkNode;
import dev.paddock.server.migration.ZkTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Paddock mirror joins a ZooKeeper 3.9.5 ensemble of three child JVMs as an observer (ZooKeeper's
 * learner protocol on the leader's quorum port) while a mixed write load runs, and its tree must equal the
 * leader's node by node (path, data, ACL, every Stat field) at checked zxids: after a SNAP taken under
 * load, after a restart behind the ensemble (DIFF), and after the ZooKeeper leader is killed (the mirror
 * finds the new leader and resumes by DIFF).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ZkMirrorTest {
    @TempDir
    Path dir;
    private final java.util.List<AutoCloseable> cleanup = new java.util.ArrayList<>();

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
    void mirrorFollowsSnapDiffAndLeaderLoss() throws Exception {
        ZooKeeperEnsemble zk = closeLater(ZooKeeperEnsemble.start(dir));
        MirrorConfig config = new MirrorConfig(ZooKeeperEnsemble.MIRROR_ID, zk.voterQuorumAddresses(),
                ZooKeeperEnsemble.TICK_MS, 10, 5, true, 0xfffff * 2 + 1024);
        ZooKeeper writer = closeLater(RealZooKeeper.client(zk.connectString(), 30_000));
        writer.create("/before", "written before the mirror".getBytes(StandardCharsets.UTF_8),
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // 1. A fresh mirror syncs by SNAP while the load runs (a fuzzy snapshot, INFORMs behind it).
        MirrorState state = new MirrorState(true);
        MirrorLoad load = closeLater(new MirrorLoad(writer, "/load1", 1));
        awaitOps(load, 200);
        ZkMirror mirror = closeLater(ZkMirror.start(config, state));
        awaitOps(load, 800);
        load.close();
        assertThat(state.syncCount(MirrorState.SyncKind.SNAP)).isEqualTo(1);
        assertMirrorEqualsLeader(zk, mirror);

        // 2. Stopped, saved, loaded again and restarted behind: resumes by DIFF from its last zxid.
        mirror.close();
        Path saved = dir.resolve("mirror");
        state.saveTo(saved);
        long savedZxid = state.lastZxid();
        zooKeeperReadsTheSavedSnapshot(saved, state);
        state = MirrorState.loadFrom(saved, true);
        assertThat(state.lastZxid()).isEqualTo(savedZxid);
        MirrorLoad load2 = closeLater(new MirrorLoad(writer, "/load2", 2));
        awaitOps(load2, 300);
        mirror = closeLater(ZkMirror.start(config, state));
        awaitOps(load2, 600);
        load2.close();
        assertMirrorEqualsLeader(zk, mirror);
        assertThat(state.lastSync()).isEqualTo(MirrorState.SyncKind.DIFF);
        assertThat(state.syncCount(MirrorState.SyncKind.SNAP)).isZero();

        // 3. The ZooKeeper leader is killed under load: the mirror finds the new one and resumes by DIFF.
        MirrorLoad load3 = closeLater(new MirrorLoad(writer, "/load3", 3));
        awaitOps(load3, 200);
        zk.kill(awaitLeader(zk));
        awaitOps(load3, 600);
        load3.close();
        assertMirrorEqualsLeader(zk, mirror);
        assertThat(state.lastSync()).isEqualTo(MirrorState.SyncKind.DIFF);
        assertThat(state.syncCount(MirrorState.SyncKind.SNAP)).isZero();

        // 4. A second mirror (an id no server line names) joins the new leader by SNAP; a reconfig reaches
        // both as INFORMANDACTIVATE and changes /zookeeper/config on them as on the leader.
        ZkMirror second = closeLater(ZkMirror.start(new MirrorConfig(ZooKeeperEnsemble.MIRROR_ID + 1,
                zk.voterQuorumAddresses(), ZooKeeperEnsemble.TICK_MS, 10, 5, true, 0xfffff * 2 + 1024),
                new MirrorState(true)));
        assertMirrorEqualsLeader(zk, second);
        assertThat(second.state().lastSync()).isEqualTo(MirrorState.SyncKind.SNAP);
        String added = reconfigure(zk);
        assertMirrorEqualsLeader(zk, mirror);
        assertMirrorEqualsLeader(zk, second);
        for (ZkMirror m : List.of(mirror, second)) {
            String configText = m.state().read((tree, sessions) ->
                    new String(tree.nodes.get("/zookeeper/config").data, StandardCharsets.UTF_8));
            assertThat(configText).contains(added);
            assertThat(m.state().activations()).as("reconfigs received as INFORMANDACTIVATE").isEqualTo(1);
        }
    }

    /** Adds an observer line through ZooKeeper's reconfig (as its super user); returns the line added. */
    private static String reconfigure(ZooKeeperEnsemble zk) throws Exception {
        String line = "server.9=127.0.0.1:" + dev.paddock.server.ServerTestSupport.freePort() + ":"
                + dev.paddock.server.ServerTestSupport.freePort() + ":observer;127.0.0.1:"
                + dev.paddock.server.ServerTestSupport.freePort();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        try (org.apache.zookeeper.admin.ZooKeeperAdmin admin = new org.apache.zookeeper.admin.ZooKeeperAdmin(
                zk.connectString(), 30_000, e -> {
                    if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                })) {
            assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();
            admin.addAuthInfo("digest", ZooKeeperEnsemble.SUPER.getBytes(StandardCharsets.UTF_8));
            admin.reconfigure(line, null, null, -1, new Stat());
        }
        return line.substring(0, line.indexOf('=')) + "=127.0.0.1:";
    }

    /** ZooKeeper's own snapshot loader reads the saved file into the same nodes and sessions. */
    private static void zooKeeperReadsTheSavedSnapshot(Path saved, MirrorState state) throws Exception {
        org.apache.zookeeper.server.DataTree zkTree = new org.apache.zookeeper.server.DataTree();
        Map<Long, Integer> zkSessions = new java.util.HashMap<>();
        long zxid = new org.apache.zookeeper.server.persistence.FileSnap(saved.toFile())
                .deserialize(zkTree, zkSessions);
        assertThat(zxid).isEqualTo(state.lastZxid());
        Map<String, String> mismatches = state.read((tree, sessions) -> {
            assertThat(zkSessions).isEqualTo(sessions);
            Map<String, String> out = new TreeMap<>();
            tree.nodes.forEach((path, n) -> {
                org.apache.zookeeper.server.DataNode z = zkTree.getNode(path);
                String ours = n.czxid + "," + n.mzxid + "," + n.pzxid + "," + n.ctime + "," + n.mtime + "," + n.version
                        + "," + n.cversion + "," + n.aversion + "," + n.ephemeralOwner + ","
                        + java.util.Arrays.toString(n.data) + "," + (n.children == null ? 0 : n.children.size()) + ","
                        + aclText(n.acl);
                String theirs = z == null ? "missing" : z.stat.getCzxid() + "," + z.stat.getMzxid() + ","
                        + z.stat.getPzxid() + "," + z.stat.getCtime() + "," + z.stat.getMtime() + ","
                        + z.stat.getVersion() + "," + z.stat.getCversion() + "," + z.stat.getAversion() + ","
                        + z.stat.getEphemeralOwner() + "," + java.util.Arrays.toString(z.getData()) + ","
                        + z.getChildren().size() + "," + zkAclText(zkTree.getACL(z));
                if (!ours.equals(theirs)) {
                    out.put(path, ours + " / ZooKeeper read " + theirs);
                }
            });
            return out;
        });
        assertThat(mismatches).as("nodes ZooKeeper reads differently from the saved snapshot").isEmpty();
    }

    private static String aclText(List<dev.paddock.wire.proto.Acl> acl) {
        StringBuilder b = new StringBuilder();
        acl.forEach(a -> b.append(a.perms()).append(':').append(a.id().scheme()).append(':').append(a.id().id())
                .append(';'));
        return b.toString();
    }

    private static String zkAclText(List<ACL> acl) {
        StringBuilder b = new StringBuilder();
        acl.forEach(a -> b.append(a.getPerms()).append(':').append(a.getId().getScheme()).append(':')
                .append(a.getId().getId()).append(';'));
        return b.toString();
    }

    private static int awaitLeader(ZooKeeperEnsemble zk) {
        await("a ZooKeeper leader", () -> zk.leader() >= 0);
        return zk.leader();
    }

    private static void awaitOps(MirrorLoad load, long ops) {
        await(ops + " writes of the load", () -> load.ops() >= ops);
    }

    /** Polls every 20 ms for at most two minutes (the class's timeout bounds the whole run). */
    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    /**
     * Makes a marker write on the leader, waits until the mirror has applied it, and compares the mirror's
     * tree with what the leader serves (nothing else writes meanwhile, so both are at the marker's zxid).
     */
    private static void assertMirrorEqualsLeader(ZooKeeperEnsemble zk, ZkMirror mirror) throws Exception {
        int leader = awaitLeader(zk);
        try (ZooKeeper client = RealZooKeeper.client("127.0.0.1:" + zk.clientPorts.get(leader), 30_000)) {
            client.addAuthInfo("digest", MirrorLoad.USER.getBytes(StandardCharsets.UTF_8));
            Stat marker = client.setData("/before", "marker".getBytes(StandardCharsets.UTF_8), -1);
            await("the mirror at the marker's zxid", () -> mirror.state().lastZxid() >= marker.getMzxid());
            assertThat(mirror.state().lastZxid()).isEqualTo(marker.getMzxid());
            Map<String, String> onLeader = dump(client);
            Map<String, String> onMirror = mirror.state().read((tree, sessions) -> dump(tree));
            assertThat(onMirror).hasSizeGreaterThan(100);
            assertThat(onLeader.keySet()).as("TTL, ephemeral and container nodes are among them")
                    .anyMatch(p -> p.endsWith("-ttl")).anyMatch(p -> p.endsWith("-e")).anyMatch(p -> p.contains("/c"));
            assertThat(differences(onLeader, onMirror)).as("nodes that differ").isEmpty();
            long session = client.getSessionId();
            boolean held = mirror.state().read((tree, sessions) -> sessions.containsKey(session));
            assertThat(held)
                    .as("the mirror holds the checking client's session").isTrue();
        }
    }

    /** Path to "leader: ... / mirror: ..." for every node the two do not hold alike. */
    static Map<String, String> differences(Map<String, String> leader, Map<String, String> mirror) {
        Map<String, String> out = new TreeMap<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(leader.keySet());
        paths.addAll(mirror.keySet());
        for (String p : paths) {
            if (!java.util.Objects.equals(leader.get(p), mirror.get(p))) {
                out.put(p, "leader: " + leader.get(p) + " / mirror: " + mirror.get(p));
            }
        }
        return out;
    }

    /** Every node the leader serves (the load's digest ACLs are readable with its identity). */
    static Map<String, String> dump(ZooKeeper zk) throws Exception {
        Map<String, String> out = new TreeMap<>();
        walk(zk, "/", out);
        return out;
    }

    private static void walk(ZooKeeper zk, String path, Map<String, String> out) throws Exception {
        Stat stat = new Stat();
        byte[] data = zk.getData(path, false, stat);
        List<ACL> acl = zk.getACL(path, new Stat());
        StringBuilder a = new StringBuilder();
        for (ACL x : acl) {
            a.append(x.getPerms()).append(':').append(x.getId().getScheme()).append(':').append(x.getId().getId()).append(';');
        }
        out.put(path, line(data, stat.getCzxid(), stat.getMzxid(), stat.getPzxid(), stat.getCtime(), mtime(path, stat.getMtime()),
                stat.getVersion(), stat.getCversion(), stat.getAversion(), stat.getEphemeralOwner(), stat.getNumChildren(),
                a.toString()));
        for (String c : new java.util.TreeSet<>(zk.getChildren(path, false))) {
            walk(zk, path.equals("/") ? "/" + c : path + "/" + c, out);
        }
    }

    /**
     * The mirror's tree in the same form. ZooKeeper stores cversion as the count of child creates and shows
     * clients {@code 2 * cversion - numChildren} (DataNode.copyStat).
     */
    private static Map<String, String> dump(ZkTree tree) {
        Map<String, String> out = new TreeMap<>();
        tree.nodes.forEach((key, n) -> {
            int children = n.children == null ? 0 : n.children.size();
            StringBuilder a = new StringBuilder();
            n.acl.forEach(x -> a.append(x.perms()).append(':').append(x.id().scheme()).append(':').append(x.id().id())
                    .append(';'));
            String path = key.isEmpty() ? "/" : key;
            out.put(path, line(n.data, n.czxid, n.mzxid, n.pzxid, n.ctime, mtime(path, n.mtime), n.version,
                    2 * n.cversion - children, n.aversion, clientOwner(n.ephemeralOwner), children, a.toString()));
        });
        return out;
    }

    /**
     * Each ZooKeeper server writes {@code /zookeeper/config} itself when it starts or syncs, with its own clock
     * (ZKDatabase.initConfigInZKDatabase, never a transaction), so after a leader change the new leader's mtime
     * of that node is its own; ZooKeeper's digest leaves {@code /zookeeper/} out for the same reason.
     */
    private static long mtime(String path, long mtime) {
        return path.equals("/zookeeper/config") ? -1 : mtime;
    }

    /**
     * A container's stored owner (Long.MIN_VALUE) and a TTL node's (0xff in the top byte, extended types on)
     * are shown to clients as 0 (DataTree.getClientEphemeralOwner).
     */
    private static long clientOwner(long owner) {
        return owner == Long.MIN_VALUE || (owner >>> 56) == 0xff ? 0 : owner;
    }

    private static String line(byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
                               int cversion, int aversion, long owner, int children, String acl) {
        return "data=" + (data == null ? "null" : HexFormat.of().formatHex(data)) + " czxid=" + Long.toHexString(czxid)
                + " mzxid=" + Long.toHexString(mzxid) + " pzxid=" + Long.toHexString(pzxid) + " ctime=" + ctime
                + " mtime=" + mtime + " version=" + version + " cversion=" + cversion + " aversion=" + aversion
                + " owner=" + Long.toHexString(owner) + " children=" + children + " acl=" + acl;
    }
}
