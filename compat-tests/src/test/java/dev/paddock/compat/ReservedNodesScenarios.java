package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The nodes every ZooKeeper has: "/", /zookeeper, /zookeeper/quota and /zookeeper/config, as a
 * fresh standalone 3.9.5 shows them. Pins (Stat field order czxid, mzxid, ctime, mtime, version,
 * cversion, aversion, ephemeralOwner, dataLength, numChildren, pzxid):
 * <ul>
 *   <li>all zxids and times are 0; data is empty (not null) on all four;</li>
 *   <li>reported cversion is NEGATIVE where children were made without a txn: "/" has -1 and
 *       /zookeeper -2 (ZooKeeper reports 2 * creates - numChildren, and these children were never
 *       "created"); creating and deleting a child under /zookeeper is allowed and moves it to -1, 0;</li>
 *   <li>/zookeeper/config has aversion -1 and ACL world:anyone READ only, so setData on it is
 *       NoAuth for everyone but the super user; /zookeeper and /zookeeper/quota are world ALL;</li>
 *   <li>deleting "/", /zookeeper, /zookeeper/quota or /zookeeper/config is BadArguments (even
 *       though they are not empty or are world-writable); creating "/" or /zookeeper is NodeExists;</li>
 *   <li>getAllChildrenNumber("/") on a fresh server is 3, of /zookeeper 2.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ReservedNodesScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    @Override
    protected boolean createBaseNode() {
        return false; // the first test looks at a tree nobody has written to
    }

    private static Stat stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion,
            long ephemeralOwner, int dataLength, int numChildren, long pzxid) {
        return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength,
                numChildren, pzxid);
    }

    @Test
    @Order(1)
    void freshTree() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.getChildren("/", false)).containsExactly("zookeeper");
        assertThat(zk.getChildren("/zookeeper", false)).containsExactlyInAnyOrder("quota", "config");
        assertThat(zk.getChildren("/zookeeper/quota", false)).isEmpty();
        assertThat(zk.getChildren("/zookeeper/config", false)).isEmpty();
        for (String p : new String[] {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"}) {
            Stat s = zk.exists(p, false);
            assertThat(new long[] {s.getCzxid(), s.getMzxid(), s.getPzxid(), s.getCtime(), s.getMtime()})
                    .as("zxids and times of %s", p).containsOnly(0L);
            assertThat(s.getVersion()).isZero();
            assertThat(s.getEphemeralOwner()).isZero();
            assertThat(s.getDataLength()).isZero();
            assertThat(zk.getData(p, false, null)).as("data of %s", p).isNotNull().isEmpty();
        }
        assertThat(zk.exists("/", false).getNumChildren()).isEqualTo(1);
        assertThat(zk.exists("/zookeeper", false).getNumChildren()).isEqualTo(2);
        assertThat(zk.getAllChildrenNumber("/")).isEqualTo(3);
        assertThat(zk.getAllChildrenNumber("/zookeeper")).isEqualTo(2);
    }

    @Test
    @Order(2)
    void freshStatsExactly() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.exists("/", false)).isEqualTo(stat(0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0));
        assertThat(zk.exists("/zookeeper", false)).isEqualTo(stat(0, 0, 0, 0, 0, -2, 0, 0, 0, 2, 0));
        assertThat(zk.exists("/zookeeper/quota", false)).isEqualTo(stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(zk.exists("/zookeeper/config", false)).isEqualTo(stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0));
        // A standalone server's config node stays empty: getConfig (a getData of it) gives no text.
        Stat config = new Stat();
        assertThat(zk.getConfig(false, config)).isEmpty();
        assertThat(config).isEqualTo(stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0));
    }

    @Test
    @Order(3)
    void acls() throws Exception {
        ZooKeeper zk = connect();
        Stat s = new Stat();
        assertThat(zk.getACL("/", s)).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(zk.getACL("/zookeeper", s)).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(zk.getACL("/zookeeper/quota", s)).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(zk.getACL("/zookeeper/config", s)).isEqualTo(ZooDefs.Ids.READ_ACL_UNSAFE);
        assertThat(codeOf(() -> zk.setData("/zookeeper/config", "x".getBytes(), -1))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> zk.create("/zookeeper/config/x", null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NOAUTH);
    }

    @Test
    @Order(4)
    void reservedNodesCannotBeDeletedOrRecreated() throws Exception {
        ZooKeeper zk = connect();
        for (String p : new String[] {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"}) {
            assertThat(codeOf(() -> zk.delete(p, -1))).as("delete %s", p).isEqualTo(Code.BADARGUMENTS);
        }
        assertThat(codeOf(() -> zk.create("/", null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NODEEXISTS);
        assertThat(codeOf(() -> zk.create("/zookeeper", null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NODEEXISTS);
        assertThat(zk.getChildren("/zookeeper", false)).containsExactlyInAnyOrder("quota", "config");
    }

    @Test
    @Order(5)
    void childrenMayBeAddedUnderZookeeper() throws Exception {
        ZooKeeper zk = connect();
        Stat created = new Stat();
        zk.create("/zookeeper/extra", null, OPEN, CreateMode.PERSISTENT, created);
        Stat after = zk.exists("/zookeeper", false);
        assertThat(after.getNumChildren()).isEqualTo(3);
        assertThat(after.getPzxid()).isEqualTo(created.getCzxid());
        assertThat(after.getMzxid()).isZero();
        zk.delete("/zookeeper/extra", -1);
        Stat deleted = zk.exists("/zookeeper", false);
        assertThat(deleted.getNumChildren()).isEqualTo(2);
        assertThat(deleted.getPzxid()).isGreaterThan(created.getCzxid());
        // 2 * creates - numChildren: 2 * 1 - 3, then 2 * 1 - 2
        assertThat(after.getCversion()).isEqualTo(-1);
        assertThat(deleted.getCversion()).isZero();
    }

    @Test
    @Order(6)
    void rootCversionFollowsTheSameRule() throws Exception {
        ZooKeeper zk = connect();
        Stat before = zk.exists("/", false);
        String p = "/reserved-" + System.nanoTime();
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        Stat mid = zk.exists("/", false);
        assertThat(mid.getCversion()).isEqualTo(before.getCversion() + 1);
        assertThat(mid.getNumChildren()).isEqualTo(before.getNumChildren() + 1);
        zk.delete(p, -1);
        Stat after = zk.exists("/", false);
        assertThat(after.getCversion()).isEqualTo(before.getCversion() + 2);
        assertThat(after.getMzxid()).isEqualTo(before.getMzxid());
        assertThat(after.getCzxid()).isZero();
    }
}
