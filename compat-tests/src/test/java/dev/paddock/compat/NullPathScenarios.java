package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.ReconfigRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.SetWatches2;
import org.apache.zookeeper.proto.SyncRequest;
import org.apache.zookeeper.proto.WatcherEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that decode but carry a null string (jute length -1) or a null list where a client always
 * sends one, each on a fresh session over a raw socket. What ZooKeeper 3.9.5 answers is pinned case by
 * case as "err=N", plus the per-operation results of a multi, the watch events sent before the answer
 * (paths relative to the test's base node, "~") and whether the connection is then closed; a connection
 * that stays open must answer a ping and an exists afterwards. The answers are ZooKeeper's, not a
 * design: it trips over the null inside its request processors and answers MarshallingError (-5) for
 * reads, create (after the checks of its flags: createTTL without extended types stays Unimplemented),
 * delete, multiRead (also for one holding a write), a multi holding a null path, a read or a create with
 * a null ACL list, setWatches up to the first null (earlier watches stay set and their events are sent),
 * and ACL entries whose null scheme or id it dereferences (comparing duplicates, or reading a world,
 * digest or ip id). setData and setACL validate the path first (BadArguments, -8); sync, addWatch,
 * getEphemerals, checkWatches and removeWatches never look inside the path; a null SASL token drops the
 * connection without an answer; a check (13) outside a multi is Unimplemented and closes the connection,
 * whatever its path. A failing assertion prints the whole table as this server answered it.
 */
public abstract class NullPathScenarios extends CompatTestBase {
    private static final Duration REPLY_WITHIN = Duration.ofSeconds(5);
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    private static final byte[] X = "x".getBytes();

    /** One request: the header's xid and opcode and the encoded body. */
    private record Probe(int xid, int opcode, byte[] body) {
    }

    private String node;

    @BeforeEach
    void node() throws Exception {
        node = base + "/node";
        admin().create(node, X, OPEN, CreateMode.PERSISTENT);
    }

    @Test
    void readsWithANullPath() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("exists", probe(OpCode.exists, new ExistsRequest(null, false)));
        cases.put("exists+watch", probe(OpCode.exists, new ExistsRequest(null, true)));
        cases.put("getData", probe(OpCode.getData, new GetDataRequest(null, false)));
        cases.put("getData+watch", probe(OpCode.getData, new GetDataRequest(null, true)));
        cases.put("getChildren", probe(OpCode.getChildren, new GetChildrenRequest(null, false)));
        cases.put("getChildren2", probe(OpCode.getChildren2, new GetChildren2Request(null, true)));
        cases.put("getACL", probe(OpCode.getACL, new GetACLRequest(null)));
        cases.put("getAllChildrenNumber", probe(OpCode.getAllChildrenNumber, new GetAllChildrenNumberRequest(null)));
        cases.put("getEphemerals", probe(OpCode.getEphemerals, new GetEphemeralsRequest(null)));
        cases.put("sync", probe(OpCode.sync, new SyncRequest(null)));
        cases.put("sasl null token", probe(OpCode.sasl, new GetSASLRequest(null)));
        cases.put("sasl empty token", probe(OpCode.sasl, new GetSASLRequest(new byte[0])));
        cases.put("sasl token", probe(OpCode.sasl, new GetSASLRequest(X)));
        cases.put("reconfig nulls", probe(OpCode.reconfig, new ReconfigRequest(null, null, null, -1)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("exists", "err=-5");
        expected.put("exists+watch", "err=-5");
        expected.put("getData", "err=-5");
        expected.put("getData+watch", "err=-5");
        expected.put("getChildren", "err=-5");
        expected.put("getChildren2", "err=-5");
        expected.put("getACL", "err=-5");
        expected.put("getAllChildrenNumber", "err=-5");
        expected.put("getEphemerals", "err=0");
        expected.put("sync", "err=0");
        expected.put("sasl null token", "closed without an answer");
        expected.put("sasl empty token", "err=0");
        expected.put("sasl token", "err=0");
        expected.put("reconfig nulls", "err=-123");
        check(cases, expected);
    }

    @Test
    void writesWithANullPath() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("create", probe(OpCode.create, new CreateRequest(null, X, OPEN, 0)));
        cases.put("create2", probe(OpCode.create2, new CreateRequest(null, X, OPEN, 0)));
        cases.put("createContainer", probe(OpCode.createContainer, new CreateRequest(null, X, OPEN, 4)));
        cases.put("createTTL", probe(OpCode.createTTL, new CreateTTLRequest(null, X, OPEN, 5, 10_000)));
        cases.put("delete", probe(OpCode.delete, new DeleteRequest(null, -1)));
        cases.put("setData", probe(OpCode.setData, new SetDataRequest(null, X, -1)));
        cases.put("setACL", probe(OpCode.setACL, new SetACLRequest(null, OPEN, -1)));
        cases.put("check", probe(OpCode.check, new CheckVersionRequest(null, -1)));
        cases.put("check with a path", probe(OpCode.check, new CheckVersionRequest(node, -1)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("create", "err=-5");
        expected.put("create2", "err=-5");
        expected.put("createContainer", "err=-5");
        expected.put("createTTL", "err=-6");
        expected.put("delete", "err=-5");
        expected.put("setData", "err=-8");
        expected.put("setACL", "err=-8");
        expected.put("check", "err=-6, then closed");
        expected.put("check with a path", "err=-6, then closed");
        check(cases, expected);
    }

    @Test
    void nullDataAndNullAcls() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("create null data", probe(OpCode.create, new CreateRequest(base + "/nulldata", null, OPEN, 0)));
        cases.put("setData null data", probe(OpCode.setData, new SetDataRequest(node, null, -1)));
        cases.put("create null acl list", probe(OpCode.create, new CreateRequest(base + "/a1", X, null, 0)));
        cases.put("setACL null acl list", probe(OpCode.setACL, new SetACLRequest(node, null, -1)));
        cases.put("create acl null scheme",
                probe(OpCode.create, new CreateRequest(base + "/a2", X, acl(null, "anyone"), 0)));
        cases.put("create acl world null id",
                probe(OpCode.create, new CreateRequest(base + "/a3", X, acl("world", null), 0)));
        cases.put("create acl digest null id",
                probe(OpCode.create, new CreateRequest(base + "/a4", X, acl("digest", null), 0)));
        cases.put("create acl ip null id",
                probe(OpCode.create, new CreateRequest(base + "/a5", X, acl("ip", null), 0)));
        cases.put("create acl auth null id",
                probe(OpCode.create, new CreateRequest(base + "/a6", X, acl("auth", null), 0)));
        cases.put("create acl unknown scheme null id",
                probe(OpCode.create, new CreateRequest(base + "/a7", X, acl("super", null), 0)));
        cases.put("create acl world nobody, world null id", probe(OpCode.create, new CreateRequest(base + "/a8", X,
                List.of(acl("world", "nobody").get(0), acl("world", null).get(0)), 0)));
        cases.put("create acl world null id, world nobody", probe(OpCode.create, new CreateRequest(base + "/a9", X,
                List.of(acl("world", null).get(0), acl("world", "nobody").get(0)), 0)));
        cases.put("create bad path, acl world null id",
                probe(OpCode.create, new CreateRequest("nopath", X, acl("world", null), 0)));
        cases.put("create no parent, acl world null id",
                probe(OpCode.create, new CreateRequest(base + "/none/a10", X, acl("world", null), 0)));
        cases.put("setACL acl world null id", probe(OpCode.setACL, new SetACLRequest(node, acl("world", null), -1)));
        cases.put("setACL missing node, acl world null id",
                probe(OpCode.setACL, new SetACLRequest(base + "/none", acl("world", null), -1)));
        cases.put("setACL missing node, null acl list", probe(OpCode.setACL, new SetACLRequest(base + "/none", null, -1)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("create null data", "err=0");
        expected.put("setData null data", "err=0");
        expected.put("create null acl list", "err=-114");
        expected.put("setACL null acl list", "err=-114");
        expected.put("create acl null scheme", "err=-114");
        expected.put("create acl world null id", "err=-5");
        expected.put("create acl digest null id", "err=-5");
        expected.put("create acl ip null id", "err=-5");
        expected.put("create acl auth null id", "err=-114");
        expected.put("create acl unknown scheme null id", "err=-114");
        expected.put("create acl world nobody, world null id", "err=-5");
        expected.put("create acl world null id, world nobody", "err=-5");
        expected.put("create bad path, acl world null id", "err=-8");
        expected.put("create no parent, acl world null id", "err=-5");
        expected.put("setACL acl world null id", "err=-5");
        expected.put("setACL missing node, acl world null id", "err=-5");
        expected.put("setACL missing node, null acl list", "err=-114");
        check(cases, expected);
    }

    @Test
    void nullPathsInsideMultiAndMultiRead() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("multi create null", multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(null, X, OPEN, 0))));
        cases.put("multi delete null", multiProbe(OpCode.multi, op(OpCode.delete, new DeleteRequest(null, -1))));
        cases.put("multi setData null", multiProbe(OpCode.multi, op(OpCode.setData, new SetDataRequest(null, X, -1))));
        cases.put("multi check null", multiProbe(OpCode.multi, op(OpCode.check, new CheckVersionRequest(null, -1))));
        cases.put("multi check ok, create null", multiProbe(OpCode.multi,
                op(OpCode.check, new CheckVersionRequest(node, -1)), op(OpCode.create, new CreateRequest(null, X, OPEN, 0))));
        cases.put("multi create null acl list",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(base + "/m1", X, null, 0))));
        cases.put("multi create empty acl list",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(base + "/m3", X, List.of(), 0))));
        cases.put("multi create acl world nobody",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(base + "/m4", X, acl("world", "nobody"), 0))));
        cases.put("multi create acl null scheme",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(base + "/m5", X, acl(null, "anyone"), 0))));
        cases.put("multi create acl world null id",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(base + "/m6", X, acl("world", null), 0))));
        cases.put("multi create null data",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(base + "/m7", null, OPEN, 0))));
        cases.put("multi create exists",
                multiProbe(OpCode.multi, op(OpCode.create, new CreateRequest(node, X, OPEN, 0))));
        byte[] fails = op(OpCode.create, new CreateRequest(node, X, OPEN, 0));
        cases.put("multi create exists, getData", multiProbe(OpCode.multi, fails,
                op(OpCode.getData, new GetDataRequest(node, false))));
        cases.put("multi create exists, create null acl list", multiProbe(OpCode.multi, fails,
                op(OpCode.create, new CreateRequest(base + "/m8", X, null, 0))));
        cases.put("multi create exists, create acl world null id", multiProbe(OpCode.multi, fails,
                op(OpCode.create, new CreateRequest(base + "/m9", X, acl("world", null), 0))));
        cases.put("multi create exists, delete null", multiProbe(OpCode.multi, fails,
                op(OpCode.delete, new DeleteRequest(null, -1))));
        cases.put("multi createTTL null acl list", multiProbe(OpCode.multi,
                op(OpCode.createTTL, new CreateTTLRequest(base + "/m10", X, null, 5, 10_000))));
        cases.put("multi create2 null acl list", multiProbe(OpCode.multi,
                op(OpCode.create2, new CreateRequest(base + "/m11", X, null, 0))));
        cases.put("multi holding getData", multiProbe(OpCode.multi, op(OpCode.getData, new GetDataRequest(node, false))));
        cases.put("multiRead getData null",
                multiProbe(OpCode.multiRead, op(OpCode.getData, new GetDataRequest(null, false))));
        cases.put("multiRead getChildren null",
                multiProbe(OpCode.multiRead, op(OpCode.getChildren, new GetChildrenRequest(null, false))));
        cases.put("multiRead getData ok, getData null", multiProbe(OpCode.multiRead,
                op(OpCode.getData, new GetDataRequest(node, false)), op(OpCode.getData, new GetDataRequest(null, false))));
        cases.put("multiRead holding create",
                multiProbe(OpCode.multiRead, op(OpCode.create, new CreateRequest(base + "/m2", X, OPEN, 0))));
        cases.put("multiRead getData ok, setData", multiProbe(OpCode.multiRead,
                op(OpCode.getData, new GetDataRequest(node, false)), op(OpCode.setData, new SetDataRequest(node, X, -1))));
        cases.put("multiRead ok", multiProbe(OpCode.multiRead,
                op(OpCode.getData, new GetDataRequest(node, false)), op(OpCode.getChildren, new GetChildrenRequest(base, false))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("multi create null", "err=-5");
        expected.put("multi delete null", "err=-5");
        expected.put("multi setData null", "err=-5");
        expected.put("multi check null", "err=-5");
        expected.put("multi check ok, create null", "err=-5");
        expected.put("multi create null acl list", "err=-5");
        expected.put("multi create empty acl list", "err=0 results=[E-114]");
        expected.put("multi create acl world nobody", "err=0 results=[E-114]");
        expected.put("multi create acl null scheme", "err=0 results=[E-114]");
        expected.put("multi create acl world null id", "err=-5");
        expected.put("multi create null data", "err=0 results=[1]");
        expected.put("multi create exists", "err=0 results=[E-110]");
        expected.put("multi create exists, getData", "err=-5");
        expected.put("multi create exists, create null acl list", "err=-5");
        expected.put("multi create exists, create acl world null id", "err=0 results=[E-110, E-2]");
        expected.put("multi create exists, delete null", "err=-5");
        expected.put("multi createTTL null acl list", "err=0 results=[E-6]");
        expected.put("multi create2 null acl list", "err=-5");
        expected.put("multi holding getData", "err=-5");
        expected.put("multiRead getData null", "err=-5");
        expected.put("multiRead getChildren null", "err=-5");
        expected.put("multiRead getData ok, getData null", "err=-5");
        expected.put("multiRead holding create", "err=-5");
        expected.put("multiRead getData ok, setData", "err=-5");
        expected.put("multiRead ok", "err=0 results=[4, 8]");
        check(cases, expected);
    }

    @Test
    void nullPathsInWatchRequests() throws Exception {
        String missing = base + "/missing";
        List<String> one = Arrays.asList((String) null);
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("addWatch persistent", probe(OpCode.addWatch, new AddWatchRequest(null, 0)));
        cases.put("addWatch recursive", probe(OpCode.addWatch, new AddWatchRequest(null, 1)));
        cases.put("checkWatches any", probe(OpCode.checkWatches, new CheckWatchesRequest(null, 3)));
        cases.put("checkWatches data", probe(OpCode.checkWatches, new CheckWatchesRequest(null, 2)));
        cases.put("removeWatches any", probe(OpCode.removeWatches, new RemoveWatchesRequest(null, 3)));
        cases.put("removeWatches children", probe(OpCode.removeWatches, new RemoveWatchesRequest(null, 1)));
        cases.put("setWatches data [null]", watches(new SetWatches(0, one, List.of(), List.of())));
        cases.put("setWatches exist [null]", watches(new SetWatches(0, List.of(), one, List.of())));
        cases.put("setWatches child [null]", watches(new SetWatches(0, List.of(), List.of(), one)));
        cases.put("setWatches data null list", watches(new SetWatches(0, null, List.of(), List.of())));
        cases.put("setWatches exist null list", watches(new SetWatches(0, List.of(), null, List.of())));
        cases.put("setWatches child null list", watches(new SetWatches(0, List.of(), List.of(), null)));
        cases.put("setWatches data [missing], exist [null]",
                watches(new SetWatches(0, List.of(missing), one, List.of())));
        cases.put("setWatches data [node], child [null]",
                watches(new SetWatches(0, List.of(node), List.of(), one)));
        cases.put("setWatches2 persistent [null]",
                watches2(new SetWatches2(0, List.of(), List.of(), List.of(), one, List.of())));
        cases.put("setWatches2 recursive [null]",
                watches2(new SetWatches2(0, List.of(), List.of(), List.of(), List.of(), one)));
        cases.put("setWatches2 data [null]",
                watches2(new SetWatches2(0, one, List.of(), List.of(), List.of(), List.of())));
        cases.put("setWatches2 persistent null list",
                watches2(new SetWatches2(0, List.of(), List.of(), List.of(), null, List.of())));
        cases.put("setWatches2 recursive null list",
                watches2(new SetWatches2(0, List.of(), List.of(), List.of(), List.of(), null)));
        cases.put("setWatches2 exist [missing], recursive null list",
                watches2(new SetWatches2(0, List.of(), List.of(missing), List.of(), List.of(), null)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("addWatch persistent", "err=0");
        expected.put("addWatch recursive", "err=0");
        expected.put("checkWatches any", "err=-121");
        expected.put("checkWatches data", "err=-121");
        expected.put("removeWatches any", "err=-121");
        expected.put("removeWatches children", "err=-121");
        expected.put("setWatches data [null]", "err=-5");
        expected.put("setWatches exist [null]", "err=-5");
        expected.put("setWatches child [null]", "err=-5");
        expected.put("setWatches data null list", "err=-5");
        expected.put("setWatches exist null list", "err=-5");
        expected.put("setWatches child null list", "err=-5");
        expected.put("setWatches data [missing], exist [null]", "err=-5 events=[2:~/missing]");
        expected.put("setWatches data [node], child [null]", "err=-5 events=[3:~/node]");
        expected.put("setWatches2 persistent [null]", "err=0");
        expected.put("setWatches2 recursive [null]", "err=0");
        expected.put("setWatches2 data [null]", "err=-5");
        expected.put("setWatches2 persistent null list", "err=-5");
        expected.put("setWatches2 recursive null list", "err=-5");
        expected.put("setWatches2 exist [missing], recursive null list", "err=-5");
        check(cases, expected);
    }

    @Test
    void nullFieldsInAddAuth() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("null scheme", new Probe(-4, OpCode.auth, bytes(new AuthPacket(0, null, X))));
        cases.put("digest null auth", new Probe(-4, OpCode.auth, bytes(new AuthPacket(0, "digest", null))));
        cases.put("ip null auth", new Probe(-4, OpCode.auth, bytes(new AuthPacket(0, "ip", null))));
        cases.put("digest without colon", new Probe(-4, OpCode.auth, bytes(new AuthPacket(0, "digest", X))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("null scheme", "err=-115, then closed");
        expected.put("digest null auth", "err=-115, then closed");
        expected.put("ip null auth", "err=0");
        expected.put("digest without colon", "err=0");
        check(cases, expected);
    }

    @Test
    void nullPasswordInTheHandshake() throws Exception {
        try (RawClient c = RawClient.open(server.clientPort())) {
            c.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, SESSION_TIMEOUT_MS, 0, null, false)));
            ConnectResponse r = c.readConnectResponse();
            assertThat(r.getTimeOut()).as("a new session ignores the password").isPositive();
            c.readTimeout(REPLY_WITHIN);
            assertThat(alive(c)).isEmpty();
        }
        try (RawClient c = RawClient.open(server.clientPort())) {
            c.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, SESSION_TIMEOUT_MS, 0x1234_5678L, null, false)));
            ConnectResponse r = c.readConnectResponse();
            assertThat(r.getTimeOut()).as("an unknown session with no password is expired").isZero();
            assertThat(c.closedByServer(REPLY_WITHIN)).isTrue();
        }
    }

    @Test
    void nullPathBehindAPendingWriteIsAnsweredInOrder() throws Exception {
        try (RawClient c = RawClient.session(server.clientPort(), SESSION_TIMEOUT_MS)) {
            c.readTimeout(REPLY_WITHIN);
            c.sendFrame(RawClient.serialize(new RequestHeader(1, OpCode.create),
                    new CreateRequest(base + "/w1", X, OPEN, 0)));
            c.sendFrame(RawClient.serialize(new RequestHeader(2, OpCode.getData), new GetDataRequest(null, false)));
            c.sendFrame(RawClient.serialize(new RequestHeader(3, OpCode.setData), new SetDataRequest(base + "/w1", X, -1)));
            c.sendFrame(RawClient.serialize(new RequestHeader(4, OpCode.exists), new ExistsRequest(null, true)));
            c.sendFrame(concat(RawClient.serialize(new RequestHeader(5, OpCode.multiRead), null),
                    ops(op(OpCode.create, new CreateRequest(base + "/w2", X, OPEN, 0)))));
            c.sendFrame(RawClient.serialize(new RequestHeader(6, OpCode.exists), new ExistsRequest(base + "/w1", false)));
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RawClient.Reply r = c.read();
                answers.add(r.header().getXid() + ":" + r.err());
            }
            assertThat(answers).containsExactly("1:0", "2:-5", "3:0", "4:-5", "5:-5", "6:0");
            assertThat(alive(c)).isEmpty();
        }
    }

    // ---- running the cases ----

    private void check(Map<String, Probe> cases, Map<String, String> expected) throws Exception {
        Map<String, String> actual = new LinkedHashMap<>();
        for (Map.Entry<String, Probe> e : cases.entrySet()) {
            actual.put(e.getKey(), outcome(e.getValue()));
        }
        StringBuilder table = new StringBuilder("outcomes on " + target() + ":\n");
        actual.forEach((k, v) -> table.append("        expected.put(\"").append(k).append("\", \"").append(v)
                .append("\");\n"));
        assertThat(actual).as(table.toString()).containsExactlyEntriesOf(expected);
    }

    private String outcome(Probe p) throws Exception {
        try (RawClient c = RawClient.session(server.clientPort(), SESSION_TIMEOUT_MS)) {
            c.readTimeout(REPLY_WITHIN);
            c.sendFrame(concat(RawClient.serialize(new RequestHeader(p.xid(), p.opcode()), null), p.body()));
            List<String> events = new ArrayList<>();
            RawClient.Reply r;
            try {
                r = replyTo(c, p.xid(), events);
            } catch (SocketTimeoutException e) {
                return "no answer" + (events.isEmpty() ? "" : " events=" + events);
            } catch (IOException e) {
                return "closed without an answer" + (events.isEmpty() ? "" : " events=" + events);
            }
            StringBuilder out = new StringBuilder("err=" + r.err());
            if ((p.opcode() == OpCode.multi || p.opcode() == OpCode.multiRead) && r.err() == 0) {
                out.append(" results=").append(results(r));
            }
            if (!events.isEmpty()) {
                out.append(" events=").append(events);
            }
            out.append(alive(c));
            return out.toString();
        }
    }

    /** Reads up to the reply with this xid, noting the watch events that come before it. */
    private RawClient.Reply replyTo(RawClient c, int xid, List<String> events) throws IOException {
        while (true) {
            RawClient.Reply r = c.read();
            if (r.header().getXid() == xid) {
                return r;
            }
            if (r.header().getXid() == -1) {
                WatcherEvent ev = r.as(new WatcherEvent());
                String path = ev.getPath() == null ? "null" : ev.getPath().replace(base, "~");
                events.add(ev.getType() + ":" + path);
            }
        }
    }

    /** "" when the connection answers a ping and an exists; otherwise how it failed. */
    private String alive(RawClient c) {
        try {
            c.sendFrame(RawClient.serialize(new RequestHeader(-2, OpCode.ping), null));
            c.sendFrame(RawClient.serialize(new RequestHeader(1000, OpCode.exists), new ExistsRequest(node, false)));
            boolean pong = false;
            while (true) {
                RawClient.Reply r = c.read();
                if (r.header().getXid() == -2) {
                    pong = true;
                } else if (r.header().getXid() == 1000) {
                    return pong && r.err() == 0 ? "" : ", then ping " + pong + " exists " + r.err();
                }
            }
        } catch (SocketTimeoutException e) {
            return ", then no answer";
        } catch (IOException e) {
            return ", then closed";
        }
    }

    private static String results(RawClient.Reply r) throws IOException {
        List<String> out = new ArrayList<>();
        for (OpResult res : r.as(new MultiResponse()).getResultList()) {
            out.add(res instanceof OpResult.ErrorResult err ? "E" + err.getErr() : Integer.toString(res.getType()));
        }
        return out.toString();
    }

    // ---- building requests ----

    private static Probe probe(int opcode, Record body) throws IOException {
        return new Probe(1, opcode, bytes(body));
    }

    private static Probe watches(SetWatches body) throws IOException {
        return new Probe(-8, OpCode.setWatches, bytes(body));
    }

    private static Probe watches2(SetWatches2 body) throws IOException {
        return new Probe(-8, OpCode.setWatches2, bytes(body));
    }

    private static Probe multiProbe(int opcode, byte[]... ops) throws IOException {
        return new Probe(1, opcode, ops(ops));
    }

    private static List<ACL> acl(String scheme, String id) {
        return List.of(new ACL(ZooDefs.Perms.ALL, new Id(scheme, id)));
    }

    /** One operation of a multi: its header, then its body. */
    private static byte[] op(int type, Record body) throws IOException {
        return concat(bytes(new MultiHeader(type, false, -1)), bytes(body));
    }

    private static byte[] ops(byte[]... ops) throws IOException {
        byte[] all = concat(ops);
        return concat(all, bytes(new MultiHeader(-1, true, -1)));
    }

    private static byte[] bytes(Record body) throws IOException {
        return RawClient.serialize(null, body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
