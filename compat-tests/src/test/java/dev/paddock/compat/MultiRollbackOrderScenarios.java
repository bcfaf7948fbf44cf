package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

/**
 * getChildren lists a node's children in the order ZooKeeper's children set iterates them, and a multi that
 * fails leaves that order untouched: ZooKeeper checks every op before applying any, so its set never sees
 * the deletes and creates of a failed multi. Pins, with names chosen by where java.util.HashMap puts them
 * (the same bucket of a small table, or buckets that a grown table orders differently):
 * <ul>
 *   <li>after a failed multi that deleted and created children sharing one bucket, getChildren lists
 *       exactly what it listed before;</li>
 *   <li>the same with names of one String hash, more than a bucket holds before HashMap reshapes it;</li>
 *   <li>after a failed multi whose creates would have grown the table past its threshold, later creates
 *       list as on a sibling node that got the same creates and no failed multi.</li>
 * </ul>
 */
public abstract class MultiRollbackOrderScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    /** The hash a HashMap keyed by this name buckets it with: String.hashCode spread by its high half. */
    private static int spread(String name) {
        int h = name.hashCode();
        return h ^ (h >>> 16);
    }

    /** {@code count} names "prefix<i>" whose spread hash has {@code value} under {@code mask}. */
    private static List<String> names(String prefix, int mask, int value, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() < count; i++) {
            String name = prefix + i;
            if ((spread(name) & mask) == value) {
                names.add(name);
            }
        }
        return names;
    }

    /** 2^blocks distinct names with one String hash: any sequence of "Aa" and "BB" hashes the same. */
    private static List<String> oneHash(int blocks) {
        List<String> names = new ArrayList<>();
        for (int bits = 0; bits < 1 << blocks; bits++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < blocks; i++) {
                b.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            names.add(b.toString());
        }
        return names;
    }

    private void createAll(ZooKeeper zk, String parent, List<String> names) throws Exception {
        for (String name : names) {
            zk.create(parent + "/" + name, null, OPEN, CreateMode.PERSISTENT);
        }
    }

    /** Runs the ops followed by a check of {@link #base} at a version it does not have: BadVersion. */
    private void failingMulti(ZooKeeper zk, List<Op> ops) {
        List<Op> all = new ArrayList<>(ops);
        all.add(Op.check(base, 99));
        assertThat(codeOf(() -> zk.multi(all))).isEqualTo(Code.BADVERSION);
    }

    @Test
    void failedMultiInOneBucketLeavesTheOrder() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/p";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        // All in bucket 0 of a table of 8 to 64: one chain, listed in the order created.
        List<String> names = names("c", 63, 0, 8);
        createAll(zk, p, names.subList(0, 5));
        List<String> before = zk.getChildren(p, false);
        assertThat(before).containsExactlyInAnyOrderElementsOf(names.subList(0, 5));

        failingMulti(zk, List.of(
                Op.delete(p + "/" + names.get(0), -1),
                Op.delete(p + "/" + names.get(2), -1),
                Op.create(p + "/" + names.get(5), null, OPEN, CreateMode.PERSISTENT),
                Op.create(p + "/" + names.get(0), null, OPEN, CreateMode.PERSISTENT)));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(before);

        String q = base + "/q";
        zk.create(q, null, OPEN, CreateMode.PERSISTENT);
        createAll(zk, q, names.subList(0, 5));
        createAll(zk, p, names.subList(5, 8));
        createAll(zk, q, names.subList(5, 8));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(zk.getChildren(q, false));
    }

    @Test
    void failedMultiOnNamesOfOneHashLeavesTheOrder() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/p";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        // Ten names in one bucket: past the 8 a HashMap bucket holds before it reshapes.
        List<String> names = oneHash(4);
        createAll(zk, p, names.subList(0, 10));
        List<String> before = zk.getChildren(p, false);

        failingMulti(zk, List.of(
                Op.delete(p + "/" + names.get(1), -1),
                Op.create(p + "/" + names.get(10), null, OPEN, CreateMode.PERSISTENT),
                Op.create(p + "/" + names.get(11), null, OPEN, CreateMode.PERSISTENT),
                Op.create(p + "/" + names.get(1), null, OPEN, CreateMode.PERSISTENT)));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(before);

        String q = base + "/q";
        zk.create(q, null, OPEN, CreateMode.PERSISTENT);
        createAll(zk, q, names.subList(0, 10));
        createAll(zk, p, names.subList(10, 13));
        createAll(zk, q, names.subList(10, 13));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(zk.getChildren(q, false));
    }

    @Test
    void failedMultiThatWouldGrowTheTableLeavesItsSize() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/p";
        String q = base + "/q";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        zk.create(q, null, OPEN, CreateMode.PERSISTENT);
        // "a" is in bucket 1 of 8 but 9 of 16, "b" in bucket 2 of both: a table of 8 lists a first, of 16 b.
        String a = names("a", 15, 9, 1).get(0);
        String b = names("b", 15, 2, 1).get(0);
        List<String> others = names("o", 15, 3, 3);
        List<String> first = new ArrayList<>(List.of(a, b));
        first.addAll(others);
        createAll(zk, p, first);
        createAll(zk, q, first);

        // Two more would make 7 children, past the threshold of 6 for a table of 8.
        failingMulti(zk, List.of(
                Op.create(p + "/x1", null, OPEN, CreateMode.PERSISTENT),
                Op.create(p + "/x2", null, OPEN, CreateMode.PERSISTENT)));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(zk.getChildren(q, false));

        createAll(zk, p, List.of("y1"));
        createAll(zk, q, List.of("y1"));
        List<String> six = zk.getChildren(q, false);
        assertThat(six.indexOf(a)).isLessThan(six.indexOf(b));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(six);

        createAll(zk, p, List.of("y2", "y3"));
        createAll(zk, q, List.of("y2", "y3"));
        assertThat(zk.getChildren(p, false)).containsExactlyElementsOf(zk.getChildren(q, false));
    }
}
