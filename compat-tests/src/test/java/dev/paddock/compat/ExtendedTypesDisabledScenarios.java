package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.ServerSettings;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.junit.jupiter.api.Test;

/**
 * TTL nodes with zookeeper.extendedTypesEnabled=false (ZooKeeper's default). Pins: every way
 * of asking for a TTL node (create with a TTL mode, sequential or not, createTTL sent raw, a TTL
 * flag through plain create, a TTL create inside a multi) answers Unimplemented (-6) and creates
 * nothing; in a multi the earlier ops get ErrorResult(0) and the TTL op -6; containers work.
 */
public abstract class ExtendedTypesDisabledScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().systemProperty("zookeeper.extendedTypesEnabled", "false");
    }

    @Test
    void ttlCreatesAreUnimplemented() throws Exception {
        ZooKeeper zk = connect();
        assertThat(codeOf(() -> zk.create(base + "/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1000)))
                .isEqualTo(Code.UNIMPLEMENTED);
        assertThat(codeOf(() -> zk.create(base + "/t", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), 1000)))
                .isEqualTo(Code.UNIMPLEMENTED);
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            int ttlFlag = CreateMode.PERSISTENT_WITH_TTL.toFlag();
            assertThat(raw.call(OpCode.createTTL, new CreateTTLRequest(base + "/r", null, OPEN, ttlFlag, 1000)).err())
                    .isEqualTo(Code.UNIMPLEMENTED.intValue());
            assertThat(raw.call(OpCode.create, new CreateRequest(base + "/r", null, OPEN, ttlFlag)).err())
                    .isEqualTo(Code.UNIMPLEMENTED.intValue());
        }
        assertThat(zk.getChildren(base, false)).isEmpty();
    }

    @Test
    void ttlCreateInMultiIsUnimplemented() throws Exception {
        ZooKeeper zk = connect();
        try {
            zk.multi(List.of(
                    Op.create(base + "/ok", null, OPEN, CreateMode.PERSISTENT),
                    Op.create(base + "/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, 1000)));
            throw new AssertionError("multi with a TTL create succeeded");
        } catch (KeeperException e) {
            assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(e.getResults()).extracting(r -> ((OpResult.ErrorResult) r).getErr()).containsExactly(0, -6);
        }
        assertThat(zk.getChildren(base, false)).isEmpty();
    }

    @Test
    void containersStillWork() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.create(base + "/c", null, OPEN, CreateMode.CONTAINER)).isEqualTo(base + "/c");
        assertThat(zk.exists(base + "/c", false).getEphemeralOwner()).isZero();
    }
}
