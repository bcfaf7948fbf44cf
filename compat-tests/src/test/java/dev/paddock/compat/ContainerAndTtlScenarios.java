package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.RequestProbes;
import dev.paddock.compat.harness.ServerSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.junit.jupiter.api.Test;

/**
 * Containers and TTL nodes with zookeeper.extendedTypesEnabled=true and
 * znode.container.checkIntervalMs=100 (both system properties, as ZooKeeper reads them). Pins:
 * <ul>
 *   <li>clients see ephemeralOwner 0 for containers AND for TTL nodes: ZooKeeper stores
 *       0x8000000000000000 (container) and 0xFF00000000000000|ttl (TTL) internally but masks
 *       every non-NORMAL ephemeral type to 0 in the Stat it sends;</li>
 *   <li>a container is deleted by the server once it has had a child and has none (cversion > 0);
 *       one that never had a child stays; containers cascade (a parent container whose last child
 *       was a container goes next); an exists watch on it gets NodeDeleted;</li>
 *   <li>a TTL node is deleted when it has no children and now - mtime > ttl: setData resets the
 *       clock, child create/delete do not (mtime is untouched by child changes);</li>
 *   <li>TTL bounds: the client rejects ttl <= 0 and ttl > 2^40-1 itself; sent raw, createTTL with
 *       ttl <= 0 or without a TTL create mode, and a TTL mode through plain create/create2, are
 *       BadArguments;</li>
 *   <li>in a multi, a container create answers as create2 (CreateResult carries a Stat) while a
 *       persistent create answers as create (no Stat).</li>
 * </ul>
 */
public abstract class ContainerAndTtlScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults()
                .systemProperty("zookeeper.extendedTypesEnabled", "true")
                .systemProperty("znode.container.checkIntervalMs", "100");
    }

    @Test
    void containerStatLooksLikeAPersistentNode() throws Exception {
        ZooKeeper zk = connect();
        Stat s = new Stat();
        zk.create(base + "/c", "d".getBytes(), OPEN, CreateMode.CONTAINER, s);
        assertThat(s.getEphemeralOwner()).isZero();
        assertThat(s.getCzxid()).isEqualTo(s.getMzxid()).isEqualTo(s.getPzxid());
        assertThat(s.getDataLength()).isEqualTo(1);
        assertThat(zk.exists(base + "/c", false)).isEqualTo(s);
        assertThat(zk.getEphemerals(base)).isEmpty();
    }

    @Test
    void containerIsDeletedAfterItsLastChildGoes() throws Exception {
        ZooKeeper zk = connect();
        String c = base + "/c";
        zk.create(c, null, OPEN, CreateMode.CONTAINER);
        zk.create(c + "/x", null, OPEN, CreateMode.PERSISTENT);
        zk.create(c + "/y", null, OPEN, CreateMode.EPHEMERAL);
        Events w = new Events();
        zk.exists(c, w);
        zk.delete(c + "/x", -1);
        Await.holdsFor("container with a child left is kept", Duration.ofMillis(400),
                () -> zk.exists(c, false) != null);
        zk.delete(c + "/y", -1);
        Await.until("container deleted", GONE_WITHIN, () -> zk.exists(c, false) == null);
        w.expect(EventType.NodeDeleted, c);
    }

    /**
     * The opcode, not the flags, makes a container: createContainer with the persistent, ephemeral or
     * sequential flag makes one; create and create2 with the container flag make a plain persistent node
     * (sent raw: the Java client always pairs them). Each gets a child that is then deleted.
     */
    @Test
    void theOpcodeMakesTheContainer() throws Exception {
        ZooKeeper zk = connect();
        List<String> containers = new java.util.ArrayList<>();
        List<String> persistent = new java.util.ArrayList<>();
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            for (int flags : new int[] {0, 1, 2}) {
                String path = base + "/container-" + flags;
                RawClient.Reply r = raw.call(OpCode.createContainer, new CreateRequest(path, null, OPEN, flags));
                assertThat(r.err()).isZero();
                containers.add(r.as(new org.apache.zookeeper.proto.Create2Response()).getPath());
            }
            for (int opcode : new int[] {OpCode.create, OpCode.create2}) {
                String path = base + "/plain-" + opcode;
                assertThat(raw.call(opcode, new CreateRequest(path, null, OPEN, CreateMode.CONTAINER.toFlag())).err())
                        .isZero();
                persistent.add(path);
            }
        }
        for (String p : containers) {
            assertThat(zk.exists(p, false)).as(p).isNotNull();
        }
        List<String> all = new java.util.ArrayList<>(containers);
        all.addAll(persistent);
        for (String p : all) {
            zk.create(p + "/x", null, OPEN, CreateMode.PERSISTENT);
            zk.delete(p + "/x", -1);
        }
        for (String p : containers) {
            Await.until("container " + p + " deleted", GONE_WITHIN, () -> zk.exists(p, false) == null);
        }
        for (String p : persistent) {
            assertThat(zk.exists(p, false)).as(p + " is a persistent node").isNotNull();
        }
    }

    /**
     * With extended types, the order of a TTL create's checks (see CheckOrderScenarios for the rest): the
     * mode and the TTL first, then the path, the ACL list, the parent, CREATE on it, the name, an ephemeral
     * parent.
     */
    @Test
    void ttlCreateCheckOrder() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/eph", null, OPEN, CreateMode.EPHEMERAL);
        zk.create(base + "/locked", null, new java.util.ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL & ~ZooDefs.Perms.CREATE,
                ZooDefs.Ids.ANYONE_ID_UNSAFE))), CreateMode.PERSISTENT);
        List<ACL> nobody = List.of(new ACL(ZooDefs.Perms.ALL, new org.apache.zookeeper.data.Id("world", "nobody")));
        int ttl = CreateMode.PERSISTENT_WITH_TTL.toFlag();
        int seqTtl = CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL.toFlag();
        Map<String, RequestProbes.Probe> cases = new LinkedHashMap<>();
        cases.put("bad ttl, no slash", ttl("nopath", OPEN, ttl, 0));
        cases.put("ttl too large, missing parent", ttl(base + "/none/t", OPEN, ttl, 1L << 40));
        cases.put("no slash, invalid acl", ttl("nopath", nobody, ttl, 1000));
        cases.put("invalid acl, missing parent", ttl(base + "/none/t", nobody, ttl, 1000));
        cases.put("missing parent, trailing slash", ttl(base + "/none/t/", OPEN, ttl, 1000));
        cases.put("no CREATE on parent, trailing slash", ttl(base + "/locked/", OPEN, ttl, 1000));
        cases.put("trailing slash", ttl(base + "/", OPEN, ttl, 1000));
        cases.put("trailing slash, sequential", ttl(base + "/", OPEN, seqTtl, 1000));
        cases.put("ephemeral parent", ttl(base + "/eph/t", OPEN, ttl, 1000));
        cases.put("node exists", ttl(base + "/eph", OPEN, ttl, 1000));
        cases.put("ephemeral flag", ttl(base + "/e", OPEN, CreateMode.EPHEMERAL.toFlag(), 1000));
        cases.put("create opcode, ttl flag", RequestProbes.probe(OpCode.create, new CreateRequest(base + "/c", null, OPEN, ttl)));
        cases.put("ok", ttl(base + "/ok", OPEN, ttl, 1000));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bad ttl, no slash", "err=-8");
        expected.put("ttl too large, missing parent", "err=-8");
        expected.put("no slash, invalid acl", "err=-8");
        expected.put("invalid acl, missing parent", "err=-114");
        expected.put("missing parent, trailing slash", "err=-101");
        expected.put("no CREATE on parent, trailing slash", "err=-102");
        expected.put("trailing slash", "err=-8");
        expected.put("trailing slash, sequential", "err=0");
        expected.put("ephemeral parent", "err=-108");
        expected.put("node exists", "err=-110");
        expected.put("ephemeral flag", "err=-8");
        expected.put("create opcode, ttl flag", "err=-8");
        expected.put("ok", "err=0");
        new RequestProbes(server.clientPort(), target().toString(), (op, r) -> "").check(cases, expected);
    }

    private static RequestProbes.Probe ttl(String path, List<ACL> acl, int flags, long ttl) throws java.io.IOException {
        return RequestProbes.probe(OpCode.createTTL, new CreateTTLRequest(path, null, acl, flags, ttl));
    }

    @Test
    void containerEmptiedBySessionCloseIsDeleted() throws Exception {
        ZooKeeper zk = connect();
        String c = base + "/lock";
        zk.create(c, null, OPEN, CreateMode.CONTAINER);
        ZooKeeper owner = connect();
        owner.create(c + "/member", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL);
        owner.close();
        Await.until("container deleted after its ephemeral child's session closed", GONE_WITHIN,
                () -> zk.exists(c, false) == null);
    }

    @Test
    void neverUsedContainerIsKept() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/c", null, OPEN, CreateMode.CONTAINER);
        Await.holdsFor("never-used container stays", Duration.ofMillis(700),
                () -> zk.exists(base + "/c", false) != null);
    }

    @Test
    void nestedContainersCascade() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/n", null, OPEN, CreateMode.CONTAINER);
        zk.create(base + "/n/m", null, OPEN, CreateMode.CONTAINER);
        zk.create(base + "/n/m/x", null, OPEN, CreateMode.PERSISTENT);
        zk.delete(base + "/n/m/x", -1);
        Await.until("outer container deleted after inner one", GONE_WITHIN, () -> zk.exists(base + "/n", false) == null);
        assertThat(zk.exists(base, false)).isNotNull(); // the persistent parent is not a container
    }

    @Test
    void containerCreateInMultiAnswersAsCreate2() throws Exception {
        ZooKeeper zk = connect();
        List<OpResult> r = zk.multi(List.of(
                Op.create(base + "/p", null, OPEN, CreateMode.PERSISTENT),
                Op.create(base + "/c", null, OPEN, CreateMode.CONTAINER)));
        OpResult.CreateResult p = (OpResult.CreateResult) r.get(0);
        OpResult.CreateResult c = (OpResult.CreateResult) r.get(1);
        assertThat(p.getType()).isEqualTo(OpCode.create);
        assertThat(p.getStat()).isNull();
        assertThat(c.getType()).isEqualTo(OpCode.create2);
        assertThat(c.getStat()).isNotNull().isEqualTo(zk.exists(base + "/c", false));
        assertThat(c.getStat().getEphemeralOwner()).isZero();
    }

    @Test
    void ttlNodeCreatedWithStat() throws Exception {
        ZooKeeper zk = connect();
        Stat s = new Stat();
        String p = zk.create(base + "/t", "x".getBytes(), OPEN, CreateMode.PERSISTENT_WITH_TTL, s, 60_000);
        assertThat(p).isEqualTo(base + "/t");
        assertThat(s.getEphemeralOwner()).isZero();
        assertThat(s.getCzxid()).isEqualTo(s.getMzxid());
        assertThat(zk.exists(p, false)).isEqualTo(s);
        String seq = zk.create(base + "/ts", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), 60_000);
        assertThat(seq).isEqualTo(base + "/ts0000000001");
        assertThat(zk.create(base + "/max", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 0xFF_FFFF_FFFFL))
                .isEqualTo(base + "/max");
    }

    @Test
    void ttlNodeExpiresWhenChildless() throws Exception {
        ZooKeeper zk = connect();
        String t = base + "/t";
        long start = System.currentTimeMillis();
        zk.create(t, null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1000);
        Events w = new Events();
        zk.exists(t, w);
        Await.until("TTL node deleted", GONE_WITHIN, () -> zk.exists(t, false) == null);
        assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(900);
        w.expect(EventType.NodeDeleted, t);
    }

    @Test
    void ttlNodeWithChildrenIsKeptUntilChildless() throws Exception {
        ZooKeeper zk = connect();
        String t = base + "/t";
        zk.create(t, null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 300);
        zk.create(t + "/child", null, OPEN, CreateMode.PERSISTENT);
        Await.holdsFor("TTL node with a child is kept past its TTL", Duration.ofMillis(900),
                () -> zk.exists(t, false) != null);
        zk.delete(t + "/child", -1);
        Await.until("TTL node deleted once childless", GONE_WITHIN, () -> zk.exists(t, false) == null);
    }

    @Test
    void setDataRestartsTheTtlClock() throws Exception {
        ZooKeeper zk = connect();
        String t = base + "/t";
        long start = System.currentTimeMillis();
        zk.create(t, null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1500);
        for (int i = 0; i < 4; i++) {
            Await.holdsFor("TTL node refreshed by setData is alive", Duration.ofMillis(500),
                    () -> zk.exists(t, false) != null);
            zk.setData(t, new byte[] {(byte) i}, -1);
        }
        // well past ctime + ttl, but not past the last setData + ttl
        assertThat(System.currentTimeMillis() - start).isGreaterThan(1900);
        assertThat(zk.exists(t, false)).isNotNull();
        Await.until("TTL node deleted after setData stopped", GONE_WITHIN, () -> zk.exists(t, false) == null);
    }

    @Test
    void ttlBounds() throws Exception {
        ZooKeeper zk = connect();
        assertThatThrownBy(() -> zk.create(base + "/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.create(base + "/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1L << 40))
                .isInstanceOf(IllegalArgumentException.class);
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            int ttlFlag = CreateMode.PERSISTENT_WITH_TTL.toFlag();
            assertThat(raw.call(OpCode.createTTL, new CreateTTLRequest(base + "/r1", null, OPEN, ttlFlag, 0)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.createTTL, new CreateTTLRequest(base + "/r2", null, OPEN, ttlFlag, -5)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.createTTL, new CreateTTLRequest(base + "/r3", null, OPEN, 0, 1000)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.createTTL, new CreateTTLRequest(base + "/r4", null, OPEN, 1, 1000)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.create, new CreateRequest(base + "/r5", null, OPEN, ttlFlag)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.create2, new CreateRequest(base + "/r6", null, OPEN, ttlFlag)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.create, new CreateRequest(base + "/r7", null, OPEN, 99)).err())
                    .isEqualTo(-8);
            assertThat(raw.call(OpCode.create, new CreateRequest(base + "/r8", null, OPEN, -1)).err())
                    .isEqualTo(-8);
        }
        assertThat(zk.getChildren(base, false)).isEmpty();
    }
}
