package dev.paddock.compat.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;

/**
 * One released Java client (3.4.14 to 3.9.5), driven from a test through reflection. This class
 * is compiled against the 3.9.5 client but loaded by {@link LegacyClients} into a class loader that
 * holds one older client's jars, so every ZooKeeper name in it resolves against that version.
 *
 * <p>Rules that keep it linkable against every version: plain types only in the public methods
 * (String, int, long, List of String); only API that exists with the same signature in 3.4.14
 * in the common methods (no {@code Ids.OPEN_ACL_UNSAFE}, whose field type changed; no switch on
 * client enums); and the newer calls each in its own method, which the JVM links only when it is
 * called, so a test calls them only on the versions that have them. Errors come back as
 * {@code "error:CODE"} strings, events as {@code "Type path"} and {@code "state:State"}.
 */
public final class LegacyClient implements Watcher {
    private static final long CONNECT_WAIT_MS = 15_000;

    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> states = new LinkedBlockingQueue<>();
    private final ZooKeeper zk;

    public LegacyClient(String connectString, int sessionTimeoutMs) throws Exception {
        zk = new ZooKeeper(connectString, sessionTimeoutMs, this);
        awaitState("SyncConnected", CONNECT_WAIT_MS);
    }

    /** The same session, through a new connection (a session move). */
    public LegacyClient(String connectString, int sessionTimeoutMs, long sessionId, byte[] password) throws Exception {
        zk = new ZooKeeper(connectString, sessionTimeoutMs, this, sessionId, password);
        awaitState("SyncConnected", CONNECT_WAIT_MS);
    }

    @Override
    public void process(WatchedEvent e) {
        if (e.getType() == Event.EventType.None) {
            states.add(e.getState().name());
        } else {
            events.add(e.getType().name() + " " + e.getPath());
        }
    }

    private static List<ACL> open() {
        List<ACL> l = new ArrayList<>();
        l.add(new ACL(ZooDefs.Perms.ALL, new Id("world", "anyone")));
        return l;
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String error(KeeperException e) {
        return "error:" + e.code().name();
    }

    /** "version=V cversion=C children=N ephemeral=true|false length=L". */
    private static String describe(Stat s) {
        return s == null ? null
                : "version=" + s.getVersion() + " cversion=" + s.getCversion() + " children=" + s.getNumChildren()
                        + " ephemeral=" + (s.getEphemeralOwner() != 0) + " length=" + s.getDataLength();
    }

    public long sessionId() {
        return zk.getSessionId();
    }

    public byte[] sessionPassword() {
        return zk.getSessionPasswd();
    }

    public String create(String path, String data, String mode) throws InterruptedException {
        try {
            return zk.create(path, bytes(data), open(), CreateMode.valueOf(mode));
        } catch (KeeperException e) {
            return error(e);
        }
    }

    /** The data, or an error; {@code watch} sets a data watch with the default watcher. */
    public String getData(String path, boolean watch) throws InterruptedException {
        try {
            return "data=" + string(zk.getData(path, watch, null));
        } catch (KeeperException e) {
            return error(e);
        }
    }

    public String exists(String path, boolean watch) throws InterruptedException {
        try {
            return describe(zk.exists(path, watch));
        } catch (KeeperException e) {
            return error(e);
        }
    }

    public String setData(String path, String data, int version) throws InterruptedException {
        try {
            return describe(zk.setData(path, bytes(data), version));
        } catch (KeeperException e) {
            return error(e);
        }
    }

    public String delete(String path, int version) throws InterruptedException {
        try {
            zk.delete(path, version);
            return "ok";
        } catch (KeeperException e) {
            return error(e);
        }
    }

    public List<String> children(String path, boolean watch) throws InterruptedException {
        try {
            List<String> l = new ArrayList<>(zk.getChildren(path, watch));
            Collections.sort(l);
            return l;
        } catch (KeeperException e) {
            return Collections.singletonList(error(e));
        }
    }

    /**
     * A multi that succeeds (create, check, setData, delete) and one that fails on its second
     * op; returns each result as "create path", "check", "setData version", "delete",
     * "error CODE" and then whether the failed multi left anything behind.
     */
    public List<String> multiScenario(String base) throws InterruptedException {
        List<String> out = new ArrayList<>();
        List<Op> ok = new ArrayList<>();
        ok.add(Op.create(base + "/m1", bytes("a"), open(), CreateMode.PERSISTENT));
        ok.add(Op.create(base + "/m2", null, open(), CreateMode.PERSISTENT));
        ok.add(Op.check(base + "/m1", 0));
        ok.add(Op.setData(base + "/m1", bytes("b"), 0));
        ok.add(Op.delete(base + "/m2", -1));
        try {
            for (OpResult r : zk.multi(ok)) {
                out.add(describe(r));
            }
        } catch (KeeperException e) {
            out.add("multi failed: " + error(e));
        }
        List<Op> bad = new ArrayList<>();
        bad.add(Op.create(base + "/m3", null, open(), CreateMode.PERSISTENT));
        bad.add(Op.check(base + "/m1", 0));
        bad.add(Op.delete(base + "/m1", -1));
        try {
            zk.multi(bad);
            out.add("bad multi succeeded");
        } catch (KeeperException e) {
            out.add("bad multi: " + error(e));
            List<OpResult> results = e.getResults();
            if (results != null) {
                for (OpResult r : results) {
                    out.add(describe(r));
                }
            }
        }
        out.add("m3 " + exists(base + "/m3", false));
        out.add("m1 " + getData(base + "/m1", false));
        return out;
    }

    private static String describe(OpResult r) {
        if (r instanceof OpResult.CreateResult) {
            return "create " + ((OpResult.CreateResult) r).getPath();
        } else if (r instanceof OpResult.SetDataResult) {
            return "setData " + ((OpResult.SetDataResult) r).getStat().getVersion();
        } else if (r instanceof OpResult.DeleteResult) {
            return "delete";
        } else if (r instanceof OpResult.CheckResult) {
            return "check";
        } else if (r instanceof OpResult.ErrorResult) {
            return "error " + KeeperException.Code.get(((OpResult.ErrorResult) r).getErr()).name();
        }
        return r.getClass().getSimpleName();
    }

    // ---- 3.5 and later

    /** create2: the path and the Stat of the new node. */
    public String create2(String path, String data, String mode) throws InterruptedException {
        try {
            Stat s = new Stat();
            String p = zk.create(path, bytes(data), open(), CreateMode.valueOf(mode), s);
            return p + " " + describe(s) + " czxid=mzxid:" + (s.getCzxid() == s.getMzxid() && s.getCzxid() != 0);
        } catch (KeeperException e) {
            return error(e);
        }
    }

    /** Removes every watch of the default watcher on the path. */
    public String removeAllWatches(String path) throws InterruptedException {
        try {
            zk.removeWatches(path, this, WatcherType.Any, false);
            return "ok";
        } catch (KeeperException e) {
            return error(e);
        }
    }

    public String close(int waitMs) throws InterruptedException {
        zk.close(waitMs);
        return "closed";
    }

    // ---- 3.6 and later

    public String addWatch(String path, boolean recursive) throws InterruptedException {
        try {
            zk.addWatch(path, recursive ? AddWatchMode.PERSISTENT_RECURSIVE : AddWatchMode.PERSISTENT);
            return "ok";
        } catch (KeeperException e) {
            return error(e);
        }
    }

    /** multiRead: getData and getChildren of each path, as "data=..." and "children=[...]". */
    public List<String> multiRead(String dataPath, String childrenPath, String missingPath) throws InterruptedException {
        List<Op> ops = new ArrayList<>();
        ops.add(Op.getData(dataPath));
        ops.add(Op.getChildren(childrenPath));
        ops.add(Op.getData(missingPath));
        List<String> out = new ArrayList<>();
        try {
            for (OpResult r : zk.multi(ops)) {
                if (r instanceof OpResult.GetDataResult) {
                    out.add("data=" + string(((OpResult.GetDataResult) r).getData()));
                } else if (r instanceof OpResult.GetChildrenResult) {
                    List<String> l = new ArrayList<>(((OpResult.GetChildrenResult) r).getChildren());
                    Collections.sort(l);
                    out.add("children=" + l);
                } else {
                    out.add(describe(r));
                }
            }
        } catch (KeeperException e) {
            out.add(error(e));
        }
        return out;
    }

    public List<String> ephemerals(String prefix) throws InterruptedException {
        try {
            List<String> l = new ArrayList<>(zk.getEphemerals(prefix));
            Collections.sort(l);
            return l;
        } catch (KeeperException e) {
            return Collections.singletonList(error(e));
        }
    }

    public int allChildrenNumber(String path) throws Exception {
        return zk.getAllChildrenNumber(path);
    }

    // ---- every version

    /** The next node event, or null if none comes within the wait. */
    public String nextEvent(long waitMs) throws InterruptedException {
        return events.poll(waitMs, TimeUnit.MILLISECONDS);
    }

    /** Waits for a connection state, skipping others; returns the states seen on the way. */
    public List<String> awaitState(String wanted, long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        List<String> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String s = left <= 0 ? null : states.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new IllegalStateException("state " + wanted + " not reached within " + waitMs + " ms; saw " + seen);
            }
            seen.add(s);
            if (s.equals(wanted)) {
                return seen;
            }
        }
    }

    public String close() throws InterruptedException {
        zk.close();
        return "closed";
    }
}
