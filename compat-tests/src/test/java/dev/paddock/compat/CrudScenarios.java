package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.CompatTestBase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Create, read, update, delete and the Stat that ZooKeeper 3.9.5 fills in. Pins:
 * <ul>
 *   <li>a new node has czxid == mzxid == pzxid, ctime == mtime, version/cversion/aversion 0,
 *       ephemeralOwner 0 (the session id for an ephemeral), dataLength, numChildren 0; create2
 *       returns that same Stat;</li>
 *   <li>a child create or delete moves the parent's pzxid to that txn's zxid and bumps its
 *       reported cversion, never its mzxid or version; setData bumps version and mzxid only, even
 *       when the data is the same;</li>
 *   <li>the sequential suffix (%010d) is the number of children ever CREATED under the parent,
 *       not the reported cversion: ZooKeeper stores cversion as a create counter and reports
 *       {@code 2 * creates - numChildren}, which equals creates + deletes for ordinary nodes
 *       (after create a, create x, delete x the reported cversion is 3 but the next suffix is 2);
 *       the counter is shared by all sequential modes and by "parent/" names;</li>
 *   <li>null data stays null (getData returns null, dataLength 0) and is distinct from empty data;</li>
 *   <li>error codes: NodeExists, NoNode (missing parent, also for sequential), NotEmpty,
 *       BadVersion (also for version -2), NoChildrenForEphemerals, InvalidACL for an empty or
 *       null ACL list; NoNode wins over BadVersion for a missing node;</li>
 *   <li>exists on a missing node returns null; getChildren order is unspecified.</li>
 * </ul>
 */
public abstract class CrudScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void newPersistentNodeStat() throws Exception {
        ZooKeeper zk = connect();
        long before = System.currentTimeMillis();
        Stat created = new Stat();
        String path = zk.create(base + "/p", b("abc"), OPEN, CreateMode.PERSISTENT, created);
        long after = System.currentTimeMillis();

        assertThat(path).isEqualTo(base + "/p");
        assertThat(created.getCzxid()).isPositive();
        assertThat(created.getMzxid()).isEqualTo(created.getCzxid());
        assertThat(created.getPzxid()).isEqualTo(created.getCzxid());
        assertThat(created.getCtime()).isBetween(before - 5000, after + 5000);
        assertThat(created.getMtime()).isEqualTo(created.getCtime());
        assertThat(created.getVersion()).isZero();
        assertThat(created.getCversion()).isZero();
        assertThat(created.getAversion()).isZero();
        assertThat(created.getEphemeralOwner()).isZero();
        assertThat(created.getDataLength()).isEqualTo(3);
        assertThat(created.getNumChildren()).isZero();
        // create2's Stat is exactly what exists and getData report afterwards
        assertThat(zk.exists(path, false)).isEqualTo(created);
        Stat read = new Stat();
        assertThat(zk.getData(path, false, read)).isEqualTo(b("abc"));
        assertThat(read).isEqualTo(created);
        // the parent's zxid fields moved to this create
        Stat parent = zk.exists(base, false);
        assertThat(parent.getPzxid()).isEqualTo(created.getCzxid());
        assertThat(parent.getCzxid()).isLessThan(created.getCzxid());
    }

    @Test
    void childCreateAndDeleteMoveParentPzxidAndCversionOnly() throws Exception {
        ZooKeeper zk = connect();
        Stat p0 = new Stat();
        zk.create(base + "/p", b("d"), OPEN, CreateMode.PERSISTENT, p0);

        Stat child = new Stat();
        zk.create(base + "/p/c", null, OPEN, CreateMode.PERSISTENT, child);
        Stat p1 = zk.exists(base + "/p", false);
        assertThat(p1.getPzxid()).isEqualTo(child.getCzxid()).isGreaterThan(p0.getPzxid());
        assertThat(p1.getCversion()).isEqualTo(1);
        assertThat(p1.getNumChildren()).isEqualTo(1);
        assertThat(p1.getMzxid()).isEqualTo(p0.getMzxid());
        assertThat(p1.getMtime()).isEqualTo(p0.getMtime());
        assertThat(p1.getVersion()).isZero();

        zk.setData(base + "/p/c", b("x"), -1); // a child's data change leaves the parent alone
        assertThat(zk.exists(base + "/p", false)).isEqualTo(p1);

        zk.delete(base + "/p/c", -1);
        Stat p2 = zk.exists(base + "/p", false);
        assertThat(p2.getPzxid()).isGreaterThan(child.getCzxid());
        assertThat(p2.getCversion()).isEqualTo(2);
        assertThat(p2.getNumChildren()).isZero();
        assertThat(p2.getMzxid()).isEqualTo(p0.getMzxid());
        assertThat(p2.getVersion()).isZero();
    }

    @Test
    void setDataBumpsVersionAndMzxid() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/p";
        Stat s0 = new Stat();
        zk.create(p, b("one"), OPEN, CreateMode.PERSISTENT, s0);

        Stat s1 = zk.setData(p, b("two!"), 0);
        assertThat(s1.getVersion()).isEqualTo(1);
        assertThat(s1.getMzxid()).isGreaterThan(s0.getMzxid());
        assertThat(s1.getCzxid()).isEqualTo(s0.getCzxid());
        assertThat(s1.getPzxid()).isEqualTo(s0.getPzxid());
        assertThat(s1.getMtime()).isGreaterThanOrEqualTo(s0.getMtime());
        assertThat(s1.getCtime()).isEqualTo(s0.getCtime());
        assertThat(s1.getDataLength()).isEqualTo(4);
        assertThat(s1.getCversion()).isZero();

        Stat s2 = zk.setData(p, b("two!"), 1); // same bytes: still a new version
        assertThat(s2.getVersion()).isEqualTo(2);
        assertThat(s2.getMzxid()).isGreaterThan(s1.getMzxid());

        Stat s3 = zk.setData(p, b("any"), -1);
        assertThat(s3.getVersion()).isEqualTo(3);

        assertThat(codeOf(() -> zk.setData(p, b("x"), 1))).isEqualTo(Code.BADVERSION);
        assertThat(codeOf(() -> zk.setData(p, b("x"), -2))).isEqualTo(Code.BADVERSION);
        assertThat(codeOf(() -> zk.setData(p, b("x"), 99))).isEqualTo(Code.BADVERSION);
        assertThat(zk.getData(p, false, null)).isEqualTo(b("any"));
        assertThat(codeOf(() -> zk.setData(base + "/missing", b("x"), -1))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.setData(base + "/missing", b("x"), 7))).isEqualTo(Code.NONODE);
    }

    @Test
    void nullDataIsDistinctFromEmptyData() throws Exception {
        ZooKeeper zk = connect();
        Stat s = new Stat();
        zk.create(base + "/null", null, OPEN, CreateMode.PERSISTENT, s);
        assertThat(s.getDataLength()).isZero();
        assertThat(zk.getData(base + "/null", false, null)).isNull();

        zk.create(base + "/empty", new byte[0], OPEN, CreateMode.PERSISTENT);
        assertThat(zk.getData(base + "/empty", false, null)).isNotNull().isEmpty();

        zk.setData(base + "/empty", null, -1);
        assertThat(zk.getData(base + "/empty", false, null)).isNull();
        zk.setData(base + "/null", new byte[0], -1);
        assertThat(zk.getData(base + "/null", false, null)).isNotNull().isEmpty();
        assertThat(zk.exists(base + "/null", false).getDataLength()).isZero();
    }

    @Test
    void ephemeralOwnerIsTheSessionId() throws Exception {
        ZooKeeper zk = connect();
        Stat s = new Stat();
        zk.create(base + "/e", b("e"), OPEN, CreateMode.EPHEMERAL, s);
        assertThat(s.getEphemeralOwner()).isEqualTo(zk.getSessionId()).isNotZero();
        assertThat(connect().exists(base + "/e", false).getEphemeralOwner()).isEqualTo(zk.getSessionId());

        Stat seq = new Stat();
        String es = zk.create(base + "/es", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, seq);
        assertThat(es).isEqualTo(base + "/es0000000001");
        assertThat(seq.getEphemeralOwner()).isEqualTo(zk.getSessionId());

        assertThat(codeOf(() -> zk.create(base + "/e/c", null, OPEN, CreateMode.PERSISTENT)))
                .isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
        assertThat(codeOf(() -> zk.create(base + "/e/c", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL)))
                .isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
        assertThat(codeOf(() -> zk.create(base + "/e/c", null, OPEN, CreateMode.CONTAINER)))
                .isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
    }

    @Test
    void sequentialSuffixCountsCreatesNotDeletes() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/s";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        assertThat(zk.create(p + "/a", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo(p + "/a0000000000");
        assertThat(zk.exists(p, false).getCversion()).isEqualTo(1);

        zk.create(p + "/x", null, OPEN, CreateMode.PERSISTENT);
        zk.delete(p + "/x", -1);
        assertThat(zk.exists(p, false).getCversion()).isEqualTo(3);
        // three child changes so far, but only two creates: the suffix is 2, not 3
        assertThat(zk.create(p + "/a", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo(p + "/a0000000002");
        assertThat(zk.exists(p, false).getCversion()).isEqualTo(4);

        for (String n : new String[] {"y", "z"}) {
            zk.create(p + "/" + n, null, OPEN, CreateMode.PERSISTENT);
            zk.delete(p + "/" + n, -1);
        }
        assertThat(zk.exists(p, false).getCversion()).isEqualTo(8);
        assertThat(zk.create(p + "/a", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo(p + "/a0000000005");

        zk.setData(p, b("no effect on the counter"), -1);
        assertThat(zk.create(p + "/b", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL)).isEqualTo(p + "/b0000000006");
        // a sequential name may end the parent path with "/": the child is just the number
        assertThat(zk.create(p + "/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo(p + "/0000000007");

        // inside one multi the counter moves op by op
        zk.multi(List.of(
                Op.create(p + "/m1", null, OPEN, CreateMode.PERSISTENT),
                Op.delete(p + "/m1", -1),
                Op.create(p + "/m", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)));
        assertThat(zk.getChildren(p, false)).contains("m0000000009");
        Stat st = zk.exists(p, false);
        assertThat(st.getNumChildren()).isEqualTo(6);
        assertThat(st.getCversion()).isEqualTo(2 * 10 - 6);
    }

    @Test
    void sequentialZxidsIncrease() throws Exception {
        ZooKeeper zk = connect();
        long last = zk.exists(base, false).getCzxid();
        for (int i = 0; i < 5; i++) {
            Stat s = new Stat();
            zk.create(base + "/n", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL, s);
            assertThat(s.getCzxid()).isGreaterThan(last);
            last = s.getCzxid();
        }
        assertThat(zk.exists(base, false).getPzxid()).isEqualTo(last);
    }

    @Test
    void errorCodes() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/p";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        zk.create(p + "/c", null, OPEN, CreateMode.PERSISTENT);

        assertThat(codeOf(() -> zk.create(p, null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NODEEXISTS);
        assertThat(codeOf(() -> zk.create(p, null, OPEN, CreateMode.EPHEMERAL))).isEqualTo(Code.NODEEXISTS);
        assertThat(codeOf(() -> zk.create(base + "/none/c", null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.create(base + "/none/c", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)))
                .isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.delete(p, -1))).isEqualTo(Code.NOTEMPTY);
        assertThat(codeOf(() -> zk.delete(p + "/c", 3))).isEqualTo(Code.BADVERSION);
        assertThat(codeOf(() -> zk.delete(p + "/c", -2))).isEqualTo(Code.BADVERSION);
        assertThat(codeOf(() -> zk.delete(base + "/none", -1))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.delete(base + "/none", 5))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.getData(base + "/none", false, null))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.getChildren(base + "/none", false))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.getACL(base + "/none", new Stat()))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.setACL(base + "/none", OPEN, -1))).isEqualTo(Code.NONODE);
        assertThat(codeOf(() -> zk.create(base + "/acl", null, new ArrayList<>(), CreateMode.PERSISTENT)))
                .isEqualTo(Code.INVALIDACL);
        assertThat(codeOf(() -> zk.create(base + "/acl", null, null, CreateMode.PERSISTENT))).isEqualTo(Code.INVALIDACL);
        assertThat(zk.exists(base + "/acl", false)).isNull();

        zk.setData(p + "/c", b("v1"), -1);
        zk.delete(p + "/c", 1); // the right version deletes
        zk.delete(p, 0);
        assertThat(zk.exists(p, false)).isNull();
    }

    @Test
    void existsOnMissingNodeReturnsNull() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.exists(base + "/missing", false)).isNull();
        assertThat(zk.exists(base + "/missing/deeper", false)).isNull();
    }

    @Test
    void getChildrenAndGetChildren2() throws Exception {
        ZooKeeper zk = connect();
        for (String n : new String[] {"b", "a", "c", "a b", ".x"}) {
            zk.create(base + "/" + n, null, OPEN, CreateMode.PERSISTENT);
        }
        zk.create(base + "/a/grandchild", null, OPEN, CreateMode.PERSISTENT);
        assertThat(zk.getChildren(base, false)).containsExactlyInAnyOrder("a", "b", "c", "a b", ".x");
        Stat s = new Stat();
        assertThat(zk.getChildren(base, false, s)).containsExactlyInAnyOrder("a", "b", "c", "a b", ".x");
        assertThat(s).isEqualTo(zk.exists(base, false));
        assertThat(s.getNumChildren()).isEqualTo(5);
        assertThat(zk.getChildren(base + "/b", false)).isEmpty();
        assertThatThrownBy(() -> zk.getChildren(base + "/none", false, new Stat()))
                .hasMessageContaining("NoNode");
    }

    @Test
    void ephemeralAndPersistentCreate2Stats() throws Exception {
        ZooKeeper zk = connect();
        Stat e = new Stat();
        zk.create(base + "/e", b("12345"), OPEN, CreateMode.EPHEMERAL, e);
        Stat s = new Stat();
        zk.create(base + "/s", b("1"), OPEN, CreateMode.PERSISTENT_SEQUENTIAL, s);
        assertThat(e.getDataLength()).isEqualTo(5);
        assertThat(s.getCzxid()).isGreaterThan(e.getCzxid());
        assertThat(s.getEphemeralOwner()).isZero();
    }
}
