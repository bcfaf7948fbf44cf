package dev.paddock.server.tree;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.Id;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.ObjectName;

/**
 * Measures the live heap the state machine holds per znode, deterministically (no timing): builds a tree
 * of N znodes of 100 bytes through {@link StateMachine#apply} in a realistic shape, then reads the JVM's own
 * class histogram (which runs a full GC first, as {@code jmap -histo:live} does) before and after.
 * Shape: {@code /app/g<i/1000>/node-<i>} (1,000 leaves per group) plus {@code /flat/item-<j>}, one parent
 * with 10,000 children; N counts every created node (groups and parents included). Each leaf gets its own
 * data array, as a deserialised request carries one.
 *
 * <p>Run: {@code java -Xmx3g -XX:+UseSerialGC -cp <server test and main classes, wire classes, server test
 * classpath> dev.paddock.server.tree.TreeMemoryProbe 50000 [top] [zookeeper]} (see docs/architecture.md, "Tree
 * memory layout"); prints bytes per znode and the top lines of the histogram. With {@code zookeeper} it builds
 * ZooKeeper 3.9.5's own DataTree (the test dependency) in the same shape instead, for the ratio.
 */
public final class TreeMemoryProbe {
    private static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));
    private static final int PER_GROUP = 1000;
    private static final int FLAT = 10_000;

    private TreeMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        boolean zookeeper = args.length > 2 && args[2].equals("zookeeper");
        String before = histogram();
        Object tree;
        int made;
        if (zookeeper) {
            org.apache.zookeeper.server.DataTree zk = new org.apache.zookeeper.server.DataTree();
            made = build((path, data, zxid) -> zk.createNode(path, data,
                    org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, -1, zxid, 1_700_000_000_000L + zxid), n);
            tree = zk;
        } else {
            StateMachine sm = new StateMachine(true);
            made = build((path, data, zxid) -> create(sm, zxid, path, data), n);
            tree = sm;
        }
        String after = histogram();
        long bytes = total(after) - total(before);
        System.out.printf("%s: znodes created: %d%n", zookeeper ? "ZooKeeper 3.9.5 DataTree" : "Paddock StateMachine",
                made);
        System.out.printf("live heap per znode: %.1f B (%d B in all)%n", (double) bytes / made, bytes);
        System.out.println("top classes after building (instances, bytes):");
        after.lines().skip(2).limit(top).forEach(System.out::println);
        // Keeps the tree reachable until the histogram is taken.
        if (tree.hashCode() == 42) {
            System.out.println();
        }
    }

    /** One create, however the tree under test makes it. */
    interface Creator {
        void create(String path, byte[] data, long zxid) throws Exception;
    }

    /** Creates {@code n} znodes; returns how many it created. */
    static int build(Creator tree, int n) throws Exception {
        long zxid = 0;
        int made = 0;
        tree.create("/app", new byte[0], ++zxid);
        tree.create("/flat", new byte[0], ++zxid);
        made += 2;
        int flat = Math.min(FLAT, n / 5);
        for (int j = 0; j < flat; j++) {
            tree.create("/flat/item-" + j, data(), ++zxid);
            made++;
        }
        int group = -1;
        for (int i = 0; made < n; made++) {
            if (i / PER_GROUP != group) {
                group = i / PER_GROUP;
                tree.create("/app/g" + group, new byte[0], ++zxid);
            } else {
                tree.create("/app/g" + group + "/node-" + i, data(), ++zxid);
                i++;
            }
        }
        return made;
    }

    private static byte[] data() {
        byte[] d = new byte[100];
        for (int k = 0; k < d.length; k++) {
            d[k] = (byte) ('a' + k % 26);
        }
        return d;
    }

    private static void create(StateMachine sm, long zxid, String path, byte[] data) {
        ApplyResult r = sm.apply(new Txn(zxid, 1_700_000_000_000L + zxid, 0x1234L, IP,
                new CreateRequest(OpCode.CREATE, path, data, AclLists.OPEN, CreateMode.PERSISTENT.flag)));
        if (r.error() != dev.paddock.wire.ErrorCode.OK) {
            throw new IllegalStateException("create " + path + ": " + r.error());
        }
    }

    /** The JVM's class histogram of live objects (a full GC runs first). */
    static String histogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private static long total(String histogram) {
        String last = histogram.strip().lines().reduce((a, b) -> b).orElseThrow();
        String[] parts = last.trim().split("\\s+");
        return Long.parseLong(parts[2]);
    }
}
