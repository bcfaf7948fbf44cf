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
 * <p>Run: {@code java -Xmx2g -cp <server test and main classes, wire classes> dev.paddock.server.tree.TreeMemoryProbe
 * 50000 [top]} (see docs/architecture.md, "Tree memory layout"); prints bytes per znode and the top lines of
 * the histogram difference.
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
        String before = histogram();
        StateMachine sm = new StateMachine(true);
        int made = build(sm, n);
        String after = histogram();
        long bytes = total(after) - total(before);
        System.out.printf("znodes created: %d, tree nodes: %d%n", made, sm.tree().nodeCount());
        System.out.printf("live heap per znode: %.1f B (%d B in all)%n", (double) bytes / made, bytes);
        System.out.println("top classes after building (instances, bytes):");
        after.lines().skip(2).limit(top).forEach(System.out::println);
        // Keeps the tree reachable until the histogram is taken.
        if (sm.tree().nodeCount() < 0) {
            throw new AssertionError();
        }
    }

    /** Creates {@code n} znodes; returns how many it created. */
    static int build(StateMachine sm, int n) {
        long[] zxid = {0};
        int made = 0;
        create(sm, zxid, "/app", new byte[0]);
        create(sm, zxid, "/flat", new byte[0]);
        made += 2;
        int flat = Math.min(FLAT, n / 5);
        for (int j = 0; j < flat; j++) {
            create(sm, zxid, "/flat/item-" + j, data());
            made++;
        }
        int i = 0;
        while (made < n) {
            if (i % PER_GROUP == 0 && !sm.tree().exists("/app/g" + (i / PER_GROUP))) {
                create(sm, zxid, "/app/g" + (i / PER_GROUP), new byte[0]);
            } else {
                create(sm, zxid, "/app/g" + (i / PER_GROUP) + "/node-" + i, data());
                i++;
            }
            made++;
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

    private static void create(StateMachine sm, long[] zxid, String path, byte[] data) {
        zxid[0]++;
        ApplyResult r = sm.apply(new Txn(zxid[0], 1_700_000_000_000L + zxid[0], 0x1234L, IP,
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
