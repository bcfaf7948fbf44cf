package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A multi's rollback leaves each children table exactly as it was, so the order clients list is still that
 * of ZooKeeper's {@code HashSet<String>(8)}, which a failed multi never touches; a committed multi leaves
 * it as that set after the same adds and removes. Checked over random multis of creates and deletes with
 * names whose hashes collide (long buckets, resizes, a HashMap hand-over) and with plain names.
 */
class ChildTableRollbackTest {
    private static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));

    /** 2^k distinct names with one String hash (every sequence of "Aa" and "BB" blocks hashes the same). */
    private static List<String> colliding(int blocks) {
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

    /** Names that land in bucket 0 of tables up to capacity 64 but spread above (a long bucket, no map). */
    private static List<String> sameLowBits(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() < count; i++) {
            String name = "n" + i;
            int h = name.hashCode();
            if (((h ^ (h >>> 16)) & 63) == 0) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Random multis on /p's children, each rolled back or committed at random, against a HashSet that only
     * gets the committed ones; the order is compared after every multi.
     */
    private static void replay(List<String> pool, long seed, int multis) {
        Random random = new Random(seed);
        DataTree tree = new DataTree(true);
        long[] zxid = {1};
        tree.create("/p", null, AclLists.OPEN, 0, zxid[0], 0);
        Set<String> zk = new HashSet<>(8);
        for (int m = 0; m < multis; m++) {
            tree.beginUndo();
            Set<String> inMulti = new HashSet<>(zk);
            List<String[]> ops = new ArrayList<>();
            int count = 1 + random.nextInt(12);
            for (int k = 0; k < count; k++) {
                String name = pool.get(random.nextInt(pool.size()));
                zxid[0]++;
                if (inMulti.add(name)) {
                    tree.create("/p/" + name, null, AclLists.OPEN, 0, zxid[0], 0);
                    ops.add(new String[] {"+", name});
                } else {
                    inMulti.remove(name);
                    tree.delete("/p/" + name, zxid[0]);
                    ops.add(new String[] {"-", name});
                }
            }
            boolean commit = random.nextBoolean();
            if (commit) {
                tree.commitUndo();
                for (String[] op : ops) {
                    if (op[0].equals("+")) {
                        zk.add(op[1]);
                    } else {
                        zk.remove(op[1]);
                    }
                }
            } else {
                tree.rollback();
            }
            List<String> names = tree.node("/p").childNames();
            assertThat(names).as("seed %d multi %d (%s)", seed, m, commit ? "committed" : "rolled back")
                    .containsExactlyElementsOf(new ArrayList<>(zk));
            assertThat(tree.nodeCount()).isEqualTo(2 + zk.size());
            for (String name : pool) {
                assertThat(tree.exists("/p/" + name)).isEqualTo(zk.contains(name));
            }
        }
    }

    @Test
    void plainNamesKeepTheirOrderAcrossRollbacks() {
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pool.add("node-" + i);
        }
        for (long seed = 1; seed <= 5; seed++) {
            replay(pool, seed, 400);
        }
    }

    @Test
    void longBucketsAndResizesKeepTheirOrderAcrossRollbacks() {
        for (long seed = 1; seed <= 5; seed++) {
            replay(sameLowBits(24), seed, 400);
        }
    }

    @Test
    void hashMapTablesKeepTheirOrderAcrossRollbacks() {
        for (long seed = 1; seed <= 5; seed++) {
            replay(colliding(5), seed, 400);
        }
    }

    // ---- through the state machine: a failed multi, and a snapshot written meanwhile -------------------

    private final StateMachine sm = new StateMachine(true);
    private long zxid;

    private void apply(Request r) {
        zxid++;
        sm.apply(new Txn(zxid, 1000 + zxid, 0x1234L, IP, r));
    }

    private static Request create(String path) {
        return new CreateRequest(OpCode.CREATE, path, null, AclLists.OPEN, 0);
    }

    private MultiResponse failedMulti(List<Request> ops) {
        zxid++;
        List<Request> all = new ArrayList<>(ops);
        all.add(new PathVersionRequest(OpCode.CHECK, "/p", 99));
        MultiResponse r = (MultiResponse) sm.apply(new Txn(zxid, 1000 + zxid, 0x1234L, IP,
                new MultiRequest(OpCode.MULTI, all))).response();
        assertThat(r.results().get(all.size() - 1).err()).isEqualTo(ErrorCode.BAD_VERSION.code);
        return r;
    }

    @Test
    void failedMultiThatDeletesAndGrowsLeavesOrderAndSnapshotAsBefore() throws Exception {
        List<String> names = sameLowBits(12);
        apply(create("/p"));
        Set<String> zk = new HashSet<>(8);
        for (String name : names.subList(0, 6)) {
            apply(create("/p/" + name));
            zk.add(name);
        }
        byte[] before = TreeSnapshot.serializeNow(sm);
        TreeSnapshot.Capture capture = TreeSnapshot.capture(sm);
        try {
            // Deletes the first of the long bucket, then creates enough to double the table, then fails.
            List<Request> ops = new ArrayList<>();
            ops.add(new PathVersionRequest(OpCode.DELETE, "/p/" + names.get(0), -1));
            ops.add(new PathVersionRequest(OpCode.DELETE, "/p/" + names.get(3), -1));
            for (String name : names.subList(6, 12)) {
                ops.add(create("/p/" + name));
            }
            ops.add(create("/p/" + names.get(0)));
            failedMulti(ops);
            assertThat(new Reads(sm.tree()).getChildren("/p", IP)).containsExactlyElementsOf(new ArrayList<>(zk));
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            capture.writeTo(new DataOutputStream(written));
            assertThat(written.toByteArray()).isEqualTo(before);
        } finally {
            capture.release();
        }
        assertThat(TreeSnapshot.serializeNow(sm)).isEqualTo(before);
        // Later creates land where they land in ZooKeeper's set, which the failed multi never grew.
        for (String name : names.subList(6, 9)) {
            apply(create("/p/" + name));
            zk.add(name);
        }
        assertThat(new Reads(sm.tree()).getChildren("/p", IP)).containsExactlyElementsOf(new ArrayList<>(zk));
    }

    @Test
    void failedMultiOnAHashMapTableLeavesItsOrder() throws Exception {
        List<String> names = colliding(4);
        apply(create("/p"));
        Set<String> zk = new HashSet<>(8);
        for (String name : names.subList(0, 12)) {
            apply(create("/p/" + name));
            zk.add(name);
        }
        failedMulti(List.of(
                new PathVersionRequest(OpCode.DELETE, "/p/" + names.get(2), -1),
                create("/p/" + names.get(13)),
                create("/p/" + names.get(2))));
        assertThat(new Reads(sm.tree()).getChildren("/p", IP)).containsExactlyElementsOf(new ArrayList<>(zk));
        for (String name : names.subList(12, 16)) {
            apply(create("/p/" + name));
            zk.add(name);
        }
        assertThat(new Reads(sm.tree()).getChildren("/p", IP)).containsExactlyElementsOf(new ArrayList<>(zk));
    }
}
