package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetAclRequest;
import dev.paddock.wire.proto.SetDataRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.data.StatPersisted;
import org.apache.zookeeper.server.DataNode;
import org.junit.jupiter.api.Test;

/**
 * {@link ZooKeeperDigest} against ZooKeeper 3.9.5's own: after every entry of seeded random workloads
 * (creates of every mode, sequential names, setData, setACL, deletes, multis that succeed and fail, sessions
 * closing with their ephemerals), Paddock's incrementally kept value equals the digest ZooKeeper's DataTree
 * computes for a tree holding the same nodes with the same persisted stats (built by deserializing them into
 * {@code org.apache.zookeeper.server.DataTree}); the history holds every 128th zxid's value; a failed multi,
 * a snapshot round trip and a replaced tree keep it right; switched off it is 0 everywhere.
 */
class ZooKeeperDigestTest {
    private static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));
    private static final long[] SESSIONS = {0x100L, 0x200L, 0x300L};

    @Test
    void equalsZooKeepersDigestAfterEveryEntryOfRandomWorkloads() throws IOException {
        for (long seed = 1; seed <= 4; seed++) {
            StateMachine sm = new StateMachine(true);
            Workload w = new Workload(sm, new Random(seed));
            for (int i = 0; i < 300; i++) {
                w.step();
                assertThat(sm.zooKeeperDigest().value()).as("seed %d step %d", seed, i)
                        .isEqualTo(zooKeeperDigestOf(sm.tree()));
            }
            // The workload must have built a tree worth checking (the four system nodes and more).
            assertThat(sm.tree().nodeCount()).as("seed %d", seed).isGreaterThan(8);
        }
    }

    @Test
    void historyKeepsEvery128thZxidWithItsValue() {
        StateMachine sm = new StateMachine(false);
        Workload w = new Workload(sm, new Random(7));
        Map<Long, Long> expected = new TreeMap<>();
        for (int i = 0; i < 700; i++) {
            w.step();
            if (w.zxid % 128 == 0) {
                expected.put(w.zxid, sm.zooKeeperDigest().value());
            }
        }
        Map<Long, Long> logged = new TreeMap<>();
        for (ZooKeeperDigest.Entry e : sm.zooKeeperDigest().history()) {
            assertThat(e.version()).isEqualTo(2);
            logged.put(e.zxid(), e.digest());
        }
        assertThat(logged).isEqualTo(expected).hasSize(5);
    }

    @Test
    void historyKeepsTheLast1024Entries() {
        StateMachine sm = new StateMachine(false);
        long zxid = 0;
        for (int i = 0; i < 1030; i++) {
            zxid += 128;
            sm.apply(new Txn(zxid, 1, 1, IDS, new PathVersionRequest(OpCode.DELETE, "/missing", -1)));
        }
        List<ZooKeeperDigest.Entry> history = sm.zooKeeperDigest().history();
        assertThat(history).hasSize(1024);
        assertThat(history.get(0).zxid()).isEqualTo(7 * 128);
        assertThat(history.get(1023).zxid()).isEqualTo(1030 * 128);
    }

    @Test
    void aFailedMultiLeavesTheDigestAsItWas() throws IOException {
        StateMachine sm = new StateMachine(false);
        sm.apply(txn(1, create("/a", "x", CreateMode.PERSISTENT)));
        long before = sm.zooKeeperDigest().value();
        ApplyResult r = sm.apply(txn(2, new MultiRequest(OpCode.MULTI, List.of(
                create("/a/b", "y", CreateMode.PERSISTENT),
                new SetDataRequest("/a", "z".getBytes(), -1),
                new PathVersionRequest(OpCode.DELETE, "/nope", -1)))));
        assertThat(r.error()).isEqualTo(ErrorCode.OK);
        assertThat(sm.zooKeeperDigest().value()).isEqualTo(before).isEqualTo(zooKeeperDigestOf(sm.tree()));
    }

    @Test
    void aSnapshotAndAReplacedTreeKeepTheValue() throws IOException {
        StateMachine sm = new StateMachine(true);
        Workload w = new Workload(sm, new Random(11));
        for (int i = 0; i < 300; i++) {
            w.step();
        }
        byte[] body = TreeSnapshot.serializeNow(sm);
        StateMachine read = TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(body)), sm.lastZxid(), true);
        assertThat(read.zooKeeperDigest().value()).isEqualTo(sm.zooKeeperDigest().value());
        StateMachine server = new StateMachine(true);
        server.restoreFrom(sm);
        assertThat(server.zooKeeperDigest().value()).isEqualTo(zooKeeperDigestOf(server.tree()));
        assertThat(server.zooKeeperDigest().history()).isEqualTo(sm.zooKeeperDigest().history()).isNotEmpty();
    }

    @Test
    void aTreeBuiltWithTheDigestOffIsCountedWhenAServerWithItOnTakesItOver() throws IOException {
        StateMachine built = new StateMachine(true);
        built.disableZooKeeperDigest();
        Workload w = new Workload(built, new Random(12));
        for (int i = 0; i < 300; i++) {
            w.step();
        }
        StateMachine server = new StateMachine(true);
        server.restoreFrom(built);
        assertThat(server.zooKeeperDigest().value()).isNotZero().isEqualTo(zooKeeperDigestOf(server.tree()));
    }

    @Test
    void switchedOffItIsZeroEverywhere() {
        StateMachine source = new StateMachine(true);
        Workload w = new Workload(source, new Random(3));
        for (int i = 0; i < 300; i++) {
            w.step();
        }
        StateMachine off = new StateMachine(true);
        off.disableZooKeeperDigest();
        off.restoreFrom(source);
        assertThat(off.zooKeeperDigest().value()).isZero();
        assertThat(off.zooKeeperDigest().history()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.digest()).isZero());
        Workload more = new Workload(off, new Random(4));
        more.zxid = off.lastZxid();
        for (int i = 0; i < 200; i++) {
            more.step();
        }
        assertThat(off.zooKeeperDigest().value()).isZero();
        assertThat(off.zooKeeperDigest().history()).allSatisfy(e -> assertThat(e.digest()).isZero());
    }

    /** ZooKeeper's digest of the same nodes: each written as ZooKeeper's snapshot holds it, read by its DataTree. */
    static long zooKeeperDigestOf(DataTree tree) throws IOException {
        Map<String, Znode> sorted = new TreeMap<>();
        tree.forEachNode((DataTree.NodeVisitor) (path, n, depth) -> sorted.put(path.equals("/") ? "" : path, n));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        out.writeInt(0, "map"); // no ACL cache entries: every node gets -1, the open ACL
        for (Map.Entry<String, Znode> e : sorted.entrySet()) {
            Znode n = e.getValue();
            StatPersisted stat = new StatPersisted(n.czxid, n.mzxid, n.ctime, n.mtime, n.version, n.cversion(),
                    n.aversion(), n.ephemeralOwner(), n.pzxid());
            out.writeString(e.getKey(), "path");
            out.writeRecord(new DataNode(n.data(), -1L, stat), "node");
        }
        out.writeString("/", "path");
        org.apache.zookeeper.server.DataTree zk = new org.apache.zookeeper.server.DataTree();
        zk.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(bytes.toByteArray())), "tree");
        return zk.getTreeDigest();
    }

    private static Txn txn(long zxid, Request r) {
        return new Txn(zxid, 1_700_000_000_000L + zxid, SESSIONS[0], IDS, r);
    }

    private static CreateRequest create(String path, String data, CreateMode mode) {
        return new CreateRequest(OpCode.CREATE2, path, data == null ? null : data.getBytes(), AclLists.OPEN, mode.flag);
    }

    /** Random entries over a few paths, so that most of them succeed and some fail. */
    private static final class Workload {
        private final StateMachine sm;
        private final Random random;
        long zxid;

        Workload(StateMachine sm, Random random) {
            this.sm = sm;
            this.random = random;
        }

        void step() {
            zxid++;
            long session = SESSIONS[random.nextInt(SESSIONS.length)];
            Request r = random.nextInt(12) == 0 ? multi() : one();
            if (random.nextInt(40) == 0) {
                r = random.nextBoolean() ? EmptyRequest.CLOSE_SESSION : new CreateSessionRequest(30_000);
            }
            sm.apply(new Txn(zxid, 1_700_000_000_000L + zxid * 7, session, IDS, r));
        }

        private Request multi() {
            List<Request> ops = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                Request op = one();
                if (op instanceof CreateTtlRequest || op.opCode() == OpCode.CREATE_CONTAINER) {
                    op = new SetDataRequest(path(), bytes(), -1);
                }
                ops.add(op);
            }
            return new MultiRequest(OpCode.MULTI, ops);
        }

        private Request one() {
            String path = path();
            return switch (random.nextInt(9)) {
                case 0, 1 -> new CreateRequest(OpCode.CREATE2, path, bytes(), AclLists.OPEN,
                        random.nextInt(4)); // persistent, ephemeral, and their sequential forms
                case 2 -> new CreateRequest(OpCode.CREATE_CONTAINER, path, bytes(), AclLists.OPEN,
                        CreateMode.CONTAINER.flag);
                case 3 -> new CreateTtlRequest(path, bytes(), AclLists.OPEN, random.nextBoolean()
                        ? CreateMode.PERSISTENT_WITH_TTL.flag : CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL.flag,
                        1 + random.nextInt(100_000));
                case 4, 5 -> new SetDataRequest(path, bytes(), random.nextInt(5) == 0 ? 1 : -1);
                case 6 -> new SetAclRequest(path, random.nextBoolean() ? AclLists.OPEN
                        : List.of(new Acl(Acl.ALL, new Id("ip", "127.0.0.1"))), -1);
                default -> new PathVersionRequest(OpCode.DELETE, path, -1);
            };
        }

        private String path() {
            String[] names = {"a", "b", "c"};
            StringBuilder p = new StringBuilder();
            for (int depth = 0, d = 1 + random.nextInt(3); depth < d; depth++) {
                p.append('/').append(names[random.nextInt(names.length)]);
            }
            return random.nextInt(30) == 0 ? "/" : p.toString();
        }

        private byte[] bytes() {
            if (random.nextInt(10) == 0) {
                return null;
            }
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            return b;
        }
    }
}
