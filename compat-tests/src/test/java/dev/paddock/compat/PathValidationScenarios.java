package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.RawClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SyncRequest;
import org.junit.jupiter.api.Test;

/**
 * Invalid paths. The Java client rejects most of them itself (IllegalArgumentException), so the
 * server side is driven with a raw protocol client. ZooKeeper 3.9.5 does NOT validate paths the
 * same way for every operation; pinned per operation (codes: 0 OK, -8 BadArguments, -101 NoNode):
 * <ul>
 *   <li>create: no '/' at all, or a NUL, is BadArguments first; then the PARENT is looked up
 *       (missing parent: NoNode, so "/a//b", "/a/./b", "/a/../b" give NoNode); then the full path
 *       is validated (trailing '/', "." or ".." segments, bad characters: BadArguments). A
 *       sequential create validates path + suffix, so "/a/" and "/a/." are accepted and create
 *       "/a/0000000001" and "/a/.0000000002";</li>
 *   <li>setData validates the full path first: BadArguments for every invalid path;</li>
 *   <li>delete only rejects no-slash and NUL (BadArguments), otherwise NoNode;</li>
 *   <li>getData, exists, getChildren, getACL never validate: NoNode, except that "" IS THE ROOT
 *       (ZooKeeper stores the root under "" too) and exists rejects NUL with BadArguments;</li>
 *   <li>sync and addWatch accept any string (OK, nothing checked).</li>
 * </ul>
 * The client's own checks are pinned too (IllegalArgumentException, nothing sent), including
 * the sequential exceptions that do reach the server.
 */
public abstract class PathValidationScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    private static final String[] OPS = {
        "create", "createSeq", "getData", "exists", "setData", "delete", "getChildren", "getACL", "sync", "addWatch"};

    @Test
    void clientRejectsInvalidPathsLocally() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/a", null, OPEN, CreateMode.PERSISTENT);
        List<String> bad = List.of("", "a", base + "/a/", base + "//b", base + "/./b", base + "/../b", "/\u0000",
                base + "/a\u0001", base + "/.", base + "/..", "//");
        for (String p : bad) {
            assertThatThrownBy(() -> zk.create(p, null, OPEN, CreateMode.PERSISTENT)).as("create %s", p)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.getData(p, false, null)).as("getData %s", p)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.exists(p, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.setData(p, null, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.delete(p, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.getChildren(p, false)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(zk.getChildren(base, false)).containsExactly("a");
        assertThat(zk.getChildren(base + "/a", false)).isEmpty();
    }

    @Test
    void clientSendsSequentialCreatesWhoseFinalNameIsValid() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/a", null, OPEN, CreateMode.PERSISTENT);
        assertThat(zk.create(base + "/a/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo(base + "/a/0000000000");
        assertThat(zk.create(base + "/a/.", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo(base + "/a/.0000000001");
        assertThat(zk.create(base + "/a/..", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL)).isEqualTo(base + "/a/..0000000002");
        assertThat(zk.getChildren(base + "/a", false)).containsExactlyInAnyOrder("0000000000", ".0000000001", "..0000000002");
        assertThatThrownBy(() -> zk.create(base + "//b", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL))
                .isInstanceOf(IllegalArgumentException.class);
        // "/" itself is a valid path: it exists, cannot be created or deleted
        assertThat(codeOf(() -> zk.create("/", null, OPEN, CreateMode.PERSISTENT)))
                .isEqualTo(org.apache.zookeeper.KeeperException.Code.NODEEXISTS);
        assertThat(codeOf(() -> zk.delete("/", -1))).isEqualTo(org.apache.zookeeper.KeeperException.Code.BADARGUMENTS);
        // names with spaces and dots inside are fine
        assertThat(zk.create(base + "/a b", null, OPEN, CreateMode.PERSISTENT)).isEqualTo(base + "/a b");
        assertThat(zk.create(base + "/.b", null, OPEN, CreateMode.PERSISTENT)).isEqualTo(base + "/.b");
        assertThat(zk.create(base + "/b.", null, OPEN, CreateMode.PERSISTENT)).isEqualTo(base + "/b.");
    }

    @Test
    void serverAnswersForInvalidPathsSentRaw() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/a", null, OPEN, CreateMode.PERSISTENT);
        // expected codes in the order of OPS
        Map<String, int[]> table = new LinkedHashMap<>();
        table.put("", new int[] {-8, -8, 0, 0, -8, -8, 0, 0, 0, 0});
        table.put("a", new int[] {-8, -8, -101, -101, -8, -8, -101, -101, 0, 0});
        table.put(base + "/a/", new int[] {-8, 0, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a//b", new int[] {-101, -101, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a/./b", new int[] {-101, -101, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a/../b", new int[] {-101, -101, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put("/\u0000", new int[] {-8, -8, -101, -8, -8, -8, -101, -101, 0, 0});
        table.put(base + "/a/x\u0000y", new int[] {-8, -8, -101, -8, -8, -8, -101, -101, 0, 0});
        table.put(base + "/a/.", new int[] {-8, 0, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a/..", new int[] {-8, 0, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a/\u0001", new int[] {-8, -8, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a/\uf8ff", new int[] {-8, -8, -101, -101, -8, -101, -101, -101, 0, 0});
        table.put(base + "/a/\ud800", new int[] {-8, -8, -101, -101, -8, -101, -101, -101, 0, 0});

        List<String> mismatches = new ArrayList<>();
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            for (Map.Entry<String, int[]> row : table.entrySet()) {
                String p = row.getKey();
                for (int i = 0; i < OPS.length; i++) {
                    int got = raw.call(opcode(OPS[i]), request(OPS[i], p)).err();
                    if (got != row.getValue()[i]) {
                        mismatches.add(OPS[i] + "(\"" + escape(p) + "\") = " + got + ", expected " + row.getValue()[i]);
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
        // the accepted sequential creates made exactly these children of /a
        assertThat(zk.getChildren(base + "/a", false))
                .containsExactlyInAnyOrder("0000000000", ".0000000001", "..0000000002");
    }

    @Test
    void emptyPathReadsTheRoot() throws Exception {
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            RawClient.Reply data = raw.call(OpCode.getData, new GetDataRequest("", false));
            assertThat(data.err()).isZero();
            Stat rootStat = data.as(new GetDataResponse()).getStat();
            assertThat(rootStat).isEqualTo(connect().exists("/", false));
            RawClient.Reply children = raw.call(OpCode.getChildren, new GetChildrenRequest("", false));
            assertThat(children.err()).isZero();
            assertThat(children.as(new GetChildrenResponse()).getChildren())
                    .contains("zookeeper", base.substring(1));
        }
    }

    private static int opcode(String op) {
        return switch (op) {
            case "create", "createSeq" -> OpCode.create;
            case "getData" -> OpCode.getData;
            case "exists" -> OpCode.exists;
            case "setData" -> OpCode.setData;
            case "delete" -> OpCode.delete;
            case "getChildren" -> OpCode.getChildren;
            case "getACL" -> OpCode.getACL;
            case "sync" -> OpCode.sync;
            case "addWatch" -> OpCode.addWatch;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Record request(String op, String path) {
        return switch (op) {
            case "create" -> new CreateRequest(path, null, OPEN, CreateMode.PERSISTENT.toFlag());
            case "createSeq" -> new CreateRequest(path, null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL.toFlag());
            case "getData" -> new GetDataRequest(path, false);
            case "exists" -> new ExistsRequest(path, false);
            case "setData" -> new SetDataRequest(path, null, -1);
            case "delete" -> new DeleteRequest(path, -1);
            case "getChildren" -> new GetChildrenRequest(path, false);
            case "getACL" -> new GetACLRequest(path);
            case "sync" -> new SyncRequest(path);
            case "addWatch" -> new AddWatchRequest(path, 0);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
