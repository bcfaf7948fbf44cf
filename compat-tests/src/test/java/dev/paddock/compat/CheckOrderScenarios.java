package dev.paddock.compat;

import static dev.paddock.compat.harness.RequestProbes.frame;
import static dev.paddock.compat.harness.RequestProbes.multi;
import static dev.paddock.compat.harness.RequestProbes.op;
import static dev.paddock.compat.harness.RequestProbes.probe;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.RequestProbes;
import dev.paddock.compat.harness.RequestProbes.Frame;
import dev.paddock.compat.harness.RequestProbes.Probe;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.GetEphemeralsResponse;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SyncRequest;
import org.apache.zookeeper.proto.WhoAmIResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which the server checks a request, opcode by opcode: each probe puts two or more faults in
 * one request (a bad path, an invalid ACL, a missing node or parent, an ephemeral parent, a bad version, a
 * node that exists or is not empty, a missing permission on the node or its parent, a bad create mode) so
 * that the error answered names the check that comes first. Sent over a raw socket, each on a fresh
 * session, because the Java client rejects bad paths and ACLs before sending. The expectations are what
 * ZooKeeper 3.9.5 answers (run the ...OnZooKeeperTest to see its table); they follow its
 * PrepRequestProcessor (writes: create checks the mode, the slash, the ACL list, the parent, CREATE on the
 * parent, then the full name, existence and an ephemeral parent; delete the path, the parent, DELETE on
 * the parent, the node, the version, children; setData the path, the node, WRITE, the version; setACL the
 * path, the ACL list, the node, ADMIN, the aversion; check the path, the node, READ, the version) and its
 * FinalRequestProcessor (reads: the node, then the permission; no path validation).
 *
 * <p>The fixture under the test's base node ("~" in the tables): {@code node} (data, version 0) with a
 * child, {@code leaf}, {@code eph} (an ephemeral of the admin session), {@code no-<perm>} (world:anyone
 * with every permission but one, and a child {@code c}), {@code only-<perm>} (world:anyone with that
 * permission alone) and {@code seq} holding {@code x0000000001}, so that the next sequential child named
 * "x" is taken.
 */
public abstract class CheckOrderScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    private static final byte[] X = "x".getBytes();
    private static final String[] PERM_NAMES = {"read", "write", "create", "delete", "admin"};
    private static final int[] PERMS = {Perms.READ, Perms.WRITE, Perms.CREATE, Perms.DELETE, Perms.ADMIN};

    private String node;
    private String leaf;
    private String missing;

    @BeforeEach
    void fixture() throws Exception {
        ZooKeeper zk = admin();
        node = base + "/node";
        leaf = base + "/leaf";
        missing = base + "/none";
        zk.create(node, X, OPEN, CreateMode.PERSISTENT);
        zk.create(node + "/child", X, OPEN, CreateMode.PERSISTENT);
        zk.create(leaf, X, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/eph", X, OPEN, CreateMode.EPHEMERAL);
        zk.create(base + "/eph-no-create", X, acl(Perms.ALL & ~Perms.CREATE), CreateMode.EPHEMERAL);
        for (int i = 0; i < PERMS.length; i++) {
            String p = base + "/no-" + PERM_NAMES[i];
            zk.create(p, X, OPEN, CreateMode.PERSISTENT);
            zk.create(p + "/c", X, OPEN, CreateMode.PERSISTENT);
            zk.setACL(p, acl(Perms.ALL & ~PERMS[i]), -1);
            zk.create(base + "/only-" + PERM_NAMES[i], X, acl(PERMS[i]), CreateMode.PERSISTENT);
        }
        zk.create(base + "/seq", X, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/seq/x0000000001", X, OPEN, CreateMode.PERSISTENT);
    }

    @Test
    void create() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("no slash, invalid acl", create("nopath", NOBODY, 0));
        cases.put("NUL, missing parent", create(missing + "/a\u0000b", OPEN, 0));
        cases.put("empty name, invalid acl", create(base + "//x", NOBODY, 0));
        cases.put("empty parent name", create(node + "//x", OPEN, 0));
        cases.put("trailing slash", create(node + "/", OPEN, 0));
        cases.put("trailing slash, sequential", create(node + "/", OPEN, 2));
        cases.put("invalid acl, missing parent", create(missing + "/x", NOBODY, 0));
        cases.put("auth acl without auth, missing parent", create(missing + "/x", AUTH, 0));
        cases.put("missing parent, trailing slash", create(missing + "/x/", OPEN, 0));
        cases.put("no CREATE on parent, node exists", create(base + "/no-create/c", OPEN, 0));
        cases.put("no CREATE on parent, invalid acl", create(base + "/no-create/d", NOBODY, 0));
        cases.put("no CREATE on parent, trailing slash", create(base + "/no-create/", OPEN, 0));
        cases.put("no DELETE on parent", create(base + "/no-delete/d", OPEN, 0));
        cases.put("ephemeral parent", create(base + "/eph/x", OPEN, 0));
        cases.put("ephemeral parent, sequential", create(base + "/eph/x", OPEN, 2));
        cases.put("ephemeral parent, trailing slash", create(base + "/eph/", OPEN, 0));
        cases.put("ephemeral parent, no CREATE", create(base + "/eph-no-create/x", OPEN, 0));
        cases.put("ephemeral mode, node exists", create(node, OPEN, 1));
        cases.put("sequential, name taken", create(base + "/seq/x", OPEN, 2));
        cases.put("root", create("/", OPEN, 0));
        cases.put("unknown flags, invalid acl", create(base + "/f", NOBODY, 99));
        cases.put("unknown flags, missing parent", create(missing + "/f", OPEN, 99));
        cases.put("create2, ephemeral parent", probe(OpCode.create2, new CreateRequest(base + "/eph/x", X, OPEN, 0)));
        cases.put("createTTL, bad ttl, invalid acl",
                probe(OpCode.createTTL, new CreateTTLRequest(base + "/t", X, NOBODY, 5, 0)));
        cases.put("createTTL, ephemeral parent",
                probe(OpCode.createTTL, new CreateTTLRequest(base + "/eph/t", X, OPEN, 5, 1000)));
        cases.put("createTTL, ttl with a plain mode, missing parent",
                probe(OpCode.createTTL, new CreateTTLRequest(missing + "/t", X, OPEN, 0, 1000)));
        cases.put("create, container flags", create(base + "/c1", OPEN, 4));
        cases.put("createContainer, persistent flags",
                probe(OpCode.createContainer, new CreateRequest(base + "/c2", X, OPEN, 0)));
        cases.put("createContainer, ephemeral flags",
                probe(OpCode.createContainer, new CreateRequest(base + "/c3", X, OPEN, 1)));
        cases.put("createContainer, ephemeral parent",
                probe(OpCode.createContainer, new CreateRequest(base + "/eph/c", X, OPEN, 4)));
        cases.put("createContainer, container flags, invalid acl",
                probe(OpCode.createContainer, new CreateRequest(base + "/c4", X, NOBODY, 4)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("no slash, invalid acl", "err=-8");
        expected.put("NUL, missing parent", "err=-8");
        expected.put("empty name, invalid acl", "err=-114");
        expected.put("empty parent name", "err=-101");
        expected.put("trailing slash", "err=-8");
        expected.put("trailing slash, sequential", "err=0 ~/node/0000000001 persistent");
        expected.put("invalid acl, missing parent", "err=-114");
        expected.put("auth acl without auth, missing parent", "err=-114");
        expected.put("missing parent, trailing slash", "err=-101");
        expected.put("no CREATE on parent, node exists", "err=-102");
        expected.put("no CREATE on parent, invalid acl", "err=-114");
        expected.put("no CREATE on parent, trailing slash", "err=-102");
        expected.put("no DELETE on parent", "err=0 ~/no-delete/d persistent");
        expected.put("ephemeral parent", "err=-108");
        expected.put("ephemeral parent, sequential", "err=-108");
        expected.put("ephemeral parent, trailing slash", "err=-8");
        expected.put("ephemeral parent, no CREATE", "err=-102");
        expected.put("ephemeral mode, node exists", "err=-110");
        expected.put("sequential, name taken", "err=-110");
        expected.put("root", "err=-110");
        expected.put("unknown flags, invalid acl", "err=-8");
        expected.put("unknown flags, missing parent", "err=-8");
        expected.put("create2, ephemeral parent", "err=-108");
        expected.put("createTTL, bad ttl, invalid acl", "err=-6");
        expected.put("createTTL, ephemeral parent", "err=-6");
        expected.put("createTTL, ttl with a plain mode, missing parent", "err=-8");
        expected.put("create, container flags", "err=0 ~/c1 persistent");
        expected.put("createContainer, persistent flags", "err=0 ~/c2 persistent");
        expected.put("createContainer, ephemeral flags", "err=0 ~/c3 persistent");
        expected.put("createContainer, ephemeral parent", "err=-108");
        expected.put("createContainer, container flags, invalid acl", "err=-114");
        check(cases, expected);
    }

    /** Which kind of node each create opcode makes with each flag (extended types disabled, as by default). */
    @Test
    void nodeKindByOpcodeAndFlags() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        int[] opcodes = {OpCode.create, OpCode.create2, OpCode.createContainer};
        String[] names = {"create", "create2", "createContainer"};
        for (int o = 0; o < opcodes.length; o++) {
            for (int flags = 0; flags <= 4; flags++) {
                String path = base + "/" + names[o] + "-" + flags;
                cases.put(names[o] + " flags " + flags, probe(opcodes[o], new CreateRequest(path, X, OPEN, flags)));
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("create flags 0", "err=0 ~/create-0 persistent");
        expected.put("create flags 1", "err=0 ~/create-1 ephemeral");
        expected.put("create flags 2", "err=0 ~/create-20000000017 persistent");
        expected.put("create flags 3", "err=0 ~/create-30000000018 ephemeral");
        expected.put("create flags 4", "err=0 ~/create-4 persistent");
        expected.put("create2 flags 0", "err=0 ~/create2-0 persistent");
        expected.put("create2 flags 1", "err=0 ~/create2-1 ephemeral");
        expected.put("create2 flags 2", "err=0 ~/create2-20000000022 persistent");
        expected.put("create2 flags 3", "err=0 ~/create2-30000000023 ephemeral");
        expected.put("create2 flags 4", "err=0 ~/create2-4 persistent");
        expected.put("createContainer flags 0", "err=0 ~/createContainer-0 persistent");
        expected.put("createContainer flags 1", "err=0 ~/createContainer-1 persistent");
        expected.put("createContainer flags 2", "err=0 ~/createContainer-20000000027 persistent");
        expected.put("createContainer flags 3", "err=0 ~/createContainer-30000000028 persistent");
        expected.put("createContainer flags 4", "err=0 ~/createContainer-4 persistent");
        check(cases, expected);
    }

    @Test
    void delete() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("no slash", delete("nopath", -1));
        cases.put("root", delete("/", -1));
        cases.put("/zookeeper", delete("/zookeeper", 5));
        cases.put("/zookeeper/quota", delete("/zookeeper/quota", 5));
        cases.put("/zookeeper/config", delete("/zookeeper/config", 5));
        cases.put("NUL, missing parent", delete(missing + "/a\u0000b", -1));
        cases.put("missing parent", delete(missing + "/x", 5));
        cases.put("no DELETE on parent, missing node", delete(base + "/no-delete/none", 5));
        cases.put("no DELETE on parent, bad version", delete(base + "/no-delete/c", 5));
        cases.put("missing node, bad version", delete(leaf + "/none", 5));
        cases.put("bad version, not empty", delete(node, 5));
        cases.put("not empty", delete(node, -1));
        cases.put("trailing slash", delete(leaf + "/", -1));
        cases.put("empty parent name", delete(base + "//leaf", -1));
        cases.put("no DELETE on the node itself, bad version", delete(base + "/no-delete", 5));
        cases.put("no READ on the node, ok", delete(base + "/only-admin", -1));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("no slash", "err=-8");
        expected.put("root", "err=-8");
        expected.put("/zookeeper", "err=-8");
        expected.put("/zookeeper/quota", "err=-8");
        expected.put("/zookeeper/config", "err=-8");
        expected.put("NUL, missing parent", "err=-8");
        expected.put("missing parent", "err=-101");
        expected.put("no DELETE on parent, missing node", "err=-102");
        expected.put("no DELETE on parent, bad version", "err=-102");
        expected.put("missing node, bad version", "err=-101");
        expected.put("bad version, not empty", "err=-103");
        expected.put("not empty", "err=-111");
        expected.put("trailing slash", "err=-101");
        expected.put("empty parent name", "err=-101");
        expected.put("no DELETE on the node itself, bad version", "err=-103");
        expected.put("no READ on the node, ok", "err=0");
        check(cases, expected);
    }

    @Test
    void setData() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("no slash, missing", setData("nopath", 5));
        cases.put("trailing slash", setData(node + "/", 5));
        cases.put("empty name", setData(base + "//node", 5));
        cases.put("missing, bad version", setData(missing, 5));
        cases.put("no WRITE, bad version", setData(base + "/no-write", 5));
        cases.put("bad version", setData(node, 5));
        cases.put("no READ, ok", setData(base + "/no-read", 0));
        cases.put("/zookeeper/config", setData("/zookeeper/config", -1));
        cases.put("root", setData("/", 5));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("no slash, missing", "err=-8");
        expected.put("trailing slash", "err=-8");
        expected.put("empty name", "err=-8");
        expected.put("missing, bad version", "err=-101");
        expected.put("no WRITE, bad version", "err=-102");
        expected.put("bad version", "err=-103");
        expected.put("no READ, ok", "err=0");
        expected.put("/zookeeper/config", "err=-102");
        expected.put("root", "err=-103");
        check(cases, expected);
    }

    @Test
    void setAcl() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("no slash, invalid acl", setAcl("nopath", NOBODY, 5));
        cases.put("trailing slash, invalid acl", setAcl(node + "/", NOBODY, 5));
        cases.put("invalid acl, missing", setAcl(missing, NOBODY, -1));
        cases.put("auth acl without auth, missing", setAcl(missing, AUTH, -1));
        cases.put("empty acl, missing", setAcl(missing, List.of(), -1));
        cases.put("missing, bad version", setAcl(missing, OPEN, 5));
        cases.put("no ADMIN, bad version", setAcl(base + "/no-admin", OPEN, 5));
        cases.put("invalid acl, no ADMIN", setAcl(base + "/no-admin", NOBODY, 5));
        cases.put("bad version (data version 0, aversion 0)", setAcl(leaf, OPEN, 5));
        cases.put("no WRITE, ok", setAcl(base + "/no-write", OPEN, -1));
        cases.put("/zookeeper/config", setAcl("/zookeeper/config", OPEN, -1));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("no slash, invalid acl", "err=-8");
        expected.put("trailing slash, invalid acl", "err=-8");
        expected.put("invalid acl, missing", "err=-114");
        expected.put("auth acl without auth, missing", "err=-114");
        expected.put("empty acl, missing", "err=-114");
        expected.put("missing, bad version", "err=-101");
        expected.put("no ADMIN, bad version", "err=-102");
        expected.put("invalid acl, no ADMIN", "err=-114");
        expected.put("bad version (data version 0, aversion 0)", "err=-103");
        expected.put("no WRITE, ok", "err=0");
        expected.put("/zookeeper/config", "err=-102");
        check(cases, expected);
    }

    /** Which ACLs each server takes as invalid: on a missing node, valid ones answer NoNode. */
    @Test
    void aclValidityOnAMissingNode() throws Exception {
        String[][] ids = {
            {"world", "anyone"}, {"world", "nobody"}, {"world", ""}, {"World", "anyone"},
            {"digest", "nocolon"}, {"digest", "user:hash"}, {"digest", "a:b:c"}, {"digest", ":"}, {"digest", ""},
            {"ip", "127.0.0.1"}, {"ip", "10.0.0.0/8"}, {"ip", "10.0.0.0/33"}, {"ip", "10.0.0.0/0"}, {"ip", "1.2.3"},
            {"ip", "notanip"}, {"ip", ""}, {"ip", "::1"}, {"ip", "::1/129"}, {"ip", "10.0.0.1/-1"},
            {"sasl", "bob"}, {"sasl", ""}, {"x509", "CN=a"}, {"x509", ""}, {"super", "x"}, {"auth", ""},
            {"key", "k"}, {"", "x"},
        };
        Map<String, Probe> cases = new LinkedHashMap<>();
        for (String[] id : ids) {
            cases.put(id[0] + ":" + id[1], setAcl(missing, List.of(new ACL(Perms.ALL, new Id(id[0], id[1]))), -1));
        }
        cases.put("perms 0", setAcl(missing, List.of(new ACL(0, ZooDefs.Ids.ANYONE_ID_UNSAFE)), -1));
        cases.put("perms -1", setAcl(missing, List.of(new ACL(-1, ZooDefs.Ids.ANYONE_ID_UNSAFE)), -1));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("world:anyone", "err=-101");
        expected.put("world:nobody", "err=-114");
        expected.put("world:", "err=-114");
        expected.put("World:anyone", "err=-114");
        expected.put("digest:nocolon", "err=-114");
        expected.put("digest:user:hash", "err=-101");
        expected.put("digest:a:b:c", "err=-114");
        expected.put("digest::", "err=-114");
        expected.put("digest:", "err=-114");
        expected.put("ip:127.0.0.1", "err=-101");
        expected.put("ip:10.0.0.0/8", "err=-101");
        expected.put("ip:10.0.0.0/33", "err=-114");
        expected.put("ip:10.0.0.0/0", "err=-101");
        expected.put("ip:1.2.3", "err=-114");
        expected.put("ip:notanip", "err=-114");
        expected.put("ip:", "err=-114");
        expected.put("ip:::1", "err=-101");
        expected.put("ip:::1/129", "err=-114");
        expected.put("ip:10.0.0.1/-1", "err=-114");
        expected.put("sasl:bob", "err=-114");
        expected.put("sasl:", "err=-114");
        expected.put("x509:CN=a", "err=-114");
        expected.put("x509:", "err=-114");
        expected.put("super:x", "err=-114");
        expected.put("auth:", "err=-114");
        expected.put("key:k", "err=-114");
        expected.put(":x", "err=-114");
        expected.put("perms 0", "err=-101");
        expected.put("perms -1", "err=-101");
        if (target() == dev.paddock.compat.harness.Target.PADDOCK) {
            // docs/decisions.md 12: Paddock checks sasl and x509 ids by their syntax whatever its
            // configuration, where ZooKeeper refuses the scheme when its provider is not configured (as here).
            List.of("sasl:bob", "sasl:", "x509:CN=a", "x509:").forEach(k -> expected.put(k, "err=-101"));
        }
        check(cases, expected);
    }

    @Test
    void checkAndMulti() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("check missing, bad version", multi(OpCode.multi, check(missing, 5)));
        cases.put("check no READ, bad version", multi(OpCode.multi, check(base + "/no-read", 5)));
        cases.put("check no slash", multi(OpCode.multi, check("nopath", 5)));
        cases.put("check trailing slash", multi(OpCode.multi, check(node + "/", 5)));
        cases.put("check bad version", multi(OpCode.multi, check(node, 5)));
        cases.put("check no WRITE, ok", multi(OpCode.multi, check(base + "/no-write", 0)));
        cases.put("empty multi", multi(OpCode.multi));
        cases.put("second op fails", multi(OpCode.multi, createOp(base + "/m1"), setDataOp(node, 5),
                deleteOp(leaf, -1)));
        cases.put("third op fails", multi(OpCode.multi, createOp(base + "/m2"), createOp(base + "/m2/a"),
                createOp(base + "/m2")));
        cases.put("later op sees earlier ones", multi(OpCode.multi, createOp(base + "/m3"), createOp(base + "/m3/a"),
                deleteOp(base + "/m3/a", 0), check(base + "/m3", 0)));
        cases.put("delete then check", multi(OpCode.multi, deleteOp(leaf, -1), check(leaf, -1)));
        cases.put("create child then delete parent", multi(OpCode.multi, createOp(leaf + "/x"), deleteOp(leaf, -1)));
        cases.put("failure, then a bad path", multi(OpCode.multi, setDataOp(node, 5), createOp("nopath")));
        cases.put("failure, then an invalid acl", multi(OpCode.multi, setDataOp(node, 5),
                op(OpCode.create, new CreateRequest(base + "/m4", X, NOBODY, 0))));
        cases.put("check, then ephemeral parent", multi(OpCode.multi, check(node, 0), createOp(base + "/eph/x")));
        cases.put("delete /zookeeper", multi(OpCode.multi, deleteOp("/zookeeper", -1)));
        cases.put("no CREATE on parent", multi(OpCode.multi, createOp(base + "/no-create/x")));
        cases.put("setACL in a multi", multi(OpCode.multi, op(OpCode.setACL, new SetACLRequest(node, OPEN, -1))));
        cases.put("createContainer in a multi",
                multi(OpCode.multi, op(OpCode.createContainer, new CreateRequest(base + "/m5", X, OPEN, 4))));
        cases.put("createTTL in a multi",
                multi(OpCode.multi, op(OpCode.createTTL, new CreateTTLRequest(base + "/m6", X, OPEN, 5, 1000))));
        cases.put("create2 and setData in a multi", multi(OpCode.multi,
                op(OpCode.create2, new CreateRequest(base + "/m7", X, OPEN, 0)), setDataOp(base + "/m7", 0)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("check missing, bad version", "err=0 results=[E-101]");
        expected.put("check no READ, bad version", "err=0 results=[E-102]");
        expected.put("check no slash", "err=0 results=[E-8]");
        expected.put("check trailing slash", "err=0 results=[E-8]");
        expected.put("check bad version", "err=0 results=[E-103]");
        expected.put("check no WRITE, ok", "err=0 results=[13]");
        expected.put("empty multi", "err=0 results=[]");
        expected.put("second op fails", "err=0 results=[E0, E-103, E-2]");
        expected.put("third op fails", "err=0 results=[E0, E0, E-110]");
        expected.put("later op sees earlier ones", "err=0 results=[1, 1, 2, 13]");
        expected.put("delete then check", "err=0 results=[E0, E-101]");
        expected.put("create child then delete parent", "err=0 results=[E0, E-111]");
        expected.put("failure, then a bad path", "err=0 results=[E-103, E-2]");
        expected.put("failure, then an invalid acl", "err=0 results=[E-103, E-2]");
        expected.put("check, then ephemeral parent", "err=0 results=[E0, E-108]");
        expected.put("delete /zookeeper", "err=0 results=[E-8]");
        expected.put("no CREATE on parent", "err=0 results=[E-102]");
        expected.put("setACL in a multi", "err=-5");
        expected.put("createContainer in a multi", "err=0 results=[15]");
        expected.put("createTTL in a multi", "err=0 results=[E-6]");
        expected.put("create2 and setData in a multi", "err=0 results=[15, 5]");
        check(cases, expected);
    }

    @Test
    void multiRead() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("empty", multi(OpCode.multiRead));
        cases.put("ok, missing, no READ, ok", multi(OpCode.multiRead, getDataOp(node), getDataOp(missing),
                op(OpCode.getChildren, new GetChildrenRequest(base + "/no-read", false)),
                op(OpCode.getChildren, new GetChildrenRequest(node, false))));
        cases.put("no slash", multi(OpCode.multiRead, getDataOp("nopath")));
        cases.put("trailing slash", multi(OpCode.multiRead, getDataOp(node + "/")));
        cases.put("no READ on data, children ok", multi(OpCode.multiRead, getDataOp(base + "/no-read"),
                op(OpCode.getChildren, new GetChildrenRequest(base + "/no-write", false))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("empty", "err=0 results=[]");
        expected.put("ok, missing, no READ, ok", "err=0 results=[4, E-101, E-102, 8]");
        expected.put("no slash", "err=0 results=[E-101]");
        expected.put("trailing slash", "err=0 results=[E-101]");
        expected.put("no READ on data, children ok", "err=0 results=[E-102, 8]");
        check(cases, expected);
    }

    @Test
    void reads() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        String noRead = base + "/no-read";
        cases.put("getData missing", probe(OpCode.getData, new GetDataRequest(missing, false)));
        cases.put("getData no READ", probe(OpCode.getData, new GetDataRequest(noRead, true)));
        cases.put("getData no slash", probe(OpCode.getData, new GetDataRequest("nopath", false)));
        cases.put("getData NUL", probe(OpCode.getData, new GetDataRequest(node + "\u0000", false)));
        cases.put("getData empty path", probe(OpCode.getData, new GetDataRequest("", false)));
        cases.put("exists missing", probe(OpCode.exists, new ExistsRequest(missing, false)));
        cases.put("exists no READ", probe(OpCode.exists, new ExistsRequest(noRead, true)));
        cases.put("exists no slash", probe(OpCode.exists, new ExistsRequest("nopath", false)));
        cases.put("exists NUL, missing", probe(OpCode.exists, new ExistsRequest(missing + "\u0000", false)));
        cases.put("exists empty path", probe(OpCode.exists, new ExistsRequest("", false)));
        cases.put("getChildren missing", probe(OpCode.getChildren, new GetChildrenRequest(missing, false)));
        cases.put("getChildren no READ", probe(OpCode.getChildren, new GetChildrenRequest(noRead, true)));
        cases.put("getChildren trailing slash", probe(OpCode.getChildren, new GetChildrenRequest(node + "/", false)));
        cases.put("getChildren2 missing", probe(OpCode.getChildren2, new GetChildren2Request(missing, false)));
        cases.put("getChildren2 no READ", probe(OpCode.getChildren2, new GetChildren2Request(noRead, true)));
        cases.put("getAllChildrenNumber missing",
                probe(OpCode.getAllChildrenNumber, new GetAllChildrenNumberRequest(missing)));
        cases.put("getAllChildrenNumber no READ",
                probe(OpCode.getAllChildrenNumber, new GetAllChildrenNumberRequest(noRead)));
        cases.put("getAllChildrenNumber no slash",
                probe(OpCode.getAllChildrenNumber, new GetAllChildrenNumberRequest("nopath")));
        cases.put("getACL missing", probe(OpCode.getACL, new GetACLRequest(missing)));
        cases.put("getACL only ADMIN", probe(OpCode.getACL, new GetACLRequest(base + "/only-admin")));
        cases.put("getACL only READ", probe(OpCode.getACL, new GetACLRequest(base + "/only-read")));
        cases.put("getACL only WRITE", probe(OpCode.getACL, new GetACLRequest(base + "/only-write")));
        cases.put("getACL no READ (has ADMIN)", probe(OpCode.getACL, new GetACLRequest(noRead)));
        cases.put("getACL no slash", probe(OpCode.getACL, new GetACLRequest("nopath")));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("getData missing", "err=-101");
        expected.put("getData no READ", "err=-102");
        expected.put("getData no slash", "err=-101");
        expected.put("getData NUL", "err=-101");
        expected.put("getData empty path", "err=0");
        expected.put("exists missing", "err=-101");
        expected.put("exists no READ", "err=-102");
        expected.put("exists no slash", "err=-101");
        expected.put("exists NUL, missing", "err=-8");
        expected.put("exists empty path", "err=0");
        expected.put("getChildren missing", "err=-101");
        expected.put("getChildren no READ", "err=-102");
        expected.put("getChildren trailing slash", "err=-101");
        expected.put("getChildren2 missing", "err=-101");
        expected.put("getChildren2 no READ", "err=-102");
        expected.put("getAllChildrenNumber missing", "err=-101");
        expected.put("getAllChildrenNumber no READ", "err=-102");
        expected.put("getAllChildrenNumber no slash", "err=-101");
        expected.put("getACL missing", "err=-101");
        expected.put("getACL only ADMIN", "err=0 [16:world:anyone]");
        expected.put("getACL only READ", "err=0 [1:world:anyone]");
        expected.put("getACL only WRITE", "err=-102");
        expected.put("getACL no READ (has ADMIN)", "err=0 [30:world:anyone]");
        expected.put("getACL no slash", "err=-101");
        check(cases, expected);
    }

    @Test
    void syncWatchesAndEphemerals() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        String noRead = base + "/no-read";
        cases.put("sync no slash", probe(OpCode.sync, new SyncRequest("nopath")));
        cases.put("sync missing", probe(OpCode.sync, new SyncRequest(missing)));
        cases.put("sync NUL", probe(OpCode.sync, new SyncRequest(node + "\u0000")));
        cases.put("addWatch no slash", probe(OpCode.addWatch, new AddWatchRequest("nopath", 0)));
        cases.put("addWatch missing", probe(OpCode.addWatch, new AddWatchRequest(missing, 1)));
        cases.put("addWatch no READ", probe(OpCode.addWatch, new AddWatchRequest(noRead, 1)));
        cases.put("addWatch bad mode, no slash", probe(OpCode.addWatch, new AddWatchRequest("nopath", 7)));
        cases.put("checkWatches bad type, missing", probe(OpCode.checkWatches, new CheckWatchesRequest(missing, 9)));
        cases.put("checkWatches none, no slash", probe(OpCode.checkWatches, new CheckWatchesRequest("nopath", 3)));
        cases.put("removeWatches bad type, missing", probe(OpCode.removeWatches, new RemoveWatchesRequest(missing, 0)));
        cases.put("removeWatches none", probe(OpCode.removeWatches, new RemoveWatchesRequest(node, 2)));
        cases.put("removeWatches after addWatch", probe(OpCode.removeWatches, new RemoveWatchesRequest(node, 3))
                .after(frame(1, OpCode.addWatch, new AddWatchRequest(node, 0))));
        cases.put("checkWatches data after addWatch", probe(OpCode.checkWatches, new CheckWatchesRequest(node, 2))
                .after(frame(1, OpCode.addWatch, new AddWatchRequest(node, 0))));
        // Each probe's session makes an ephemeral of its own (sessions outlive their sockets here).
        String[] prefixes = {"/", "", " ", " / ", base, "nopath", base + "/mi", base + "/mine-0/"};
        for (int i = 0; i < prefixes.length; i++) {
            String mine = base + "/mine-" + i;
            cases.put("getEphemerals prefix [" + prefixes[i].replace(mine, "~mine").replace(base, "~") + "]",
                    probe(OpCode.getEphemerals, new GetEphemeralsRequest(prefixes[i]))
                            .after(frame(1, OpCode.create, new CreateRequest(mine, X, OPEN, 1))));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("sync no slash", "err=0");
        expected.put("sync missing", "err=0");
        expected.put("sync NUL", "err=0");
        expected.put("addWatch no slash", "err=0");
        expected.put("addWatch missing", "err=0");
        expected.put("addWatch no READ", "err=0");
        expected.put("addWatch bad mode, no slash", "err=-5");
        expected.put("checkWatches bad type, missing", "err=-5");
        expected.put("checkWatches none, no slash", "err=-121");
        expected.put("removeWatches bad type, missing", "err=-5");
        expected.put("removeWatches none", "err=-121");
        expected.put("removeWatches after addWatch", "err=0");
        expected.put("checkWatches data after addWatch", "err=-121");
        expected.put("getEphemerals prefix [/]", "err=0 [~/mine-0]");
        expected.put("getEphemerals prefix []", "err=0 [~/mine-1]");
        expected.put("getEphemerals prefix [ ]", "err=0 [~/mine-2]");
        expected.put("getEphemerals prefix [ / ]", "err=0 [~/mine-3]");
        expected.put("getEphemerals prefix [~]", "err=0 [~/mine-4]");
        expected.put("getEphemerals prefix [nopath]", "err=0 []");
        expected.put("getEphemerals prefix [~/mi]", "err=0 [~/mine-6]");
        expected.put("getEphemerals prefix [~/mine-0/]", "err=0 []");
        check(cases, expected);
    }

    @Test
    void identities() throws Exception {
        Map<String, Probe> cases = new LinkedHashMap<>();
        Frame alice = frame(-4, OpCode.auth, new AuthPacket(0, "digest", "alice:pw".getBytes()));
        Frame bob = frame(-4, OpCode.auth, new AuthPacket(0, "digest", "bob:pw".getBytes()));
        Frame ip = frame(-4, OpCode.auth, new AuthPacket(0, "ip", "1.2.3.4".getBytes()));
        cases.put("whoAmI", whoAmI());
        cases.put("whoAmI, digest", whoAmI().after(alice));
        cases.put("whoAmI, digest twice", whoAmI().after(alice, alice));
        cases.put("whoAmI, two digests", whoAmI().after(alice, bob));
        cases.put("whoAmI, two digests the other way", whoAmI().after(bob, alice));
        cases.put("whoAmI, ip auth, digest", whoAmI().after(ip, alice));
        cases.put("auth acl, two digests", probe(OpCode.getACL, new GetACLRequest(base + "/auth"))
                .after(alice, bob, frame(1, OpCode.create, new CreateRequest(base + "/auth", X, AUTH, 0))));
        cases.put("auth acl, two digests the other way", probe(OpCode.getACL, new GetACLRequest(base + "/auth2"))
                .after(bob, alice, frame(1, OpCode.create, new CreateRequest(base + "/auth2", X, AUTH, 0))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("whoAmI", "err=0 [ip:127.0.0.1]");
        expected.put("whoAmI, digest", "err=0 [ip:127.0.0.1, digest:alice]");
        expected.put("whoAmI, digest twice", "err=0 [ip:127.0.0.1, digest:alice]");
        expected.put("whoAmI, two digests", "err=0 [digest:bob, ip:127.0.0.1, digest:alice]");
        expected.put("whoAmI, two digests the other way", "err=0 [digest:bob, ip:127.0.0.1, digest:alice]");
        expected.put("whoAmI, ip auth, digest", "err=0 [ip:127.0.0.1, digest:alice]");
        expected.put("auth acl, two digests", "err=0 [31:digest:bob, 31:digest:alice]");
        expected.put("auth acl, two digests the other way", "err=0 [31:digest:bob, 31:digest:alice]");
        check(cases, expected);
    }

    /**
     * deleteContainer (20), which ZooKeeper's own container manager sends, is also served when a client
     * sends it: ZooKeeper then deletes any empty node that is not ephemeral (a persistent one included) with
     * no permission checked at all, not even DELETE on the parent. That is a way around every ACL, and no
     * client library sends this opcode, so Paddock deliberately does not follow: it answers it as it answers
     * any request that is not a client's (Unimplemented, then the connection is closed, as ZooKeeper does for
     * those). The ZooKeeper table pins the reference's order of checks (the path, the node, its children,
     * ephemeral, then the parent) in case this is ever revisited.
     */
    @Test
    void deleteContainer() throws Exception {
        admin().create(base + "/container", X, OPEN, CreateMode.CONTAINER);
        Map<String, Probe> cases = new LinkedHashMap<>();
        cases.put("missing", deleteContainer(missing));
        cases.put("no slash", deleteContainer("nopath"));
        cases.put("/zookeeper", deleteContainer("/zookeeper"));
        cases.put("not empty", deleteContainer(node));
        cases.put("ephemeral", deleteContainer(base + "/eph"));
        cases.put("no DELETE on parent", deleteContainer(base + "/no-delete/c"));
        cases.put("persistent", deleteContainer(leaf));
        cases.put("empty container", deleteContainer(base + "/container"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("missing", "err=-101");
        expected.put("no slash", "err=-8");
        expected.put("/zookeeper", "err=-8");
        expected.put("not empty", "err=-111");
        expected.put("ephemeral", "err=-103");
        expected.put("no DELETE on parent", "err=0");
        expected.put("persistent", "err=0");
        expected.put("empty container", "err=0");
        if (target() == dev.paddock.compat.harness.Target.PADDOCK) {
            expected.replaceAll((k, v) -> "err=-6, then closed");
        }
        check(cases, expected);
    }

    /** What the Java client makes of a multi that fails: the exception's code and path, and the results. */
    @Test
    void javaClientMulti() throws Exception {
        ZooKeeper zk = connect();
        Map<String, String> actual = new LinkedHashMap<>();
        actual.put("second op fails", multiOutcome(zk, List.of(Op.create(base + "/j1", X, OPEN, CreateMode.PERSISTENT),
                Op.setData(node, X, 5), Op.delete(leaf, -1))));
        actual.put("check fails", multiOutcome(zk, List.of(Op.check(missing, 5))));
        actual.put("ephemeral parent", multiOutcome(zk, List.of(Op.check(node, 0),
                Op.create(base + "/eph/x", X, OPEN, CreateMode.PERSISTENT))));
        actual.put("no CREATE on parent", multiOutcome(zk, List.of(
                Op.create(base + "/no-create/x", X, OPEN, CreateMode.PERSISTENT))));
        actual.put("empty", multiOutcome(zk, List.of()));
        actual.put("ok", multiOutcome(zk, List.of(Op.create(base + "/j2", X, OPEN, CreateMode.PERSISTENT),
                Op.setData(base + "/j2", X, -1), Op.check(node, 0), Op.delete(leaf, 0))));
        actual.put("reads, two failing", multiOutcome(zk, List.of(Op.getData(node), Op.getData(missing),
                Op.getChildren(base + "/no-read"))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("second op fails", "BADVERSION path=null results=[E0, E-103, E-2]");
        expected.put("check fails", "NONODE path=null results=[E-101]");
        expected.put("ephemeral parent", "NOCHILDRENFOREPHEMERALS path=null results=[E0, E-108]");
        expected.put("no CREATE on parent", "NOAUTH path=null results=[E-102]");
        expected.put("empty", "ok []");
        expected.put("ok", "ok [1, 5, 13, 2]");
        expected.put("reads, two failing", "ok [4, E-101, E-102]");
        RequestProbes.assertTable(target().toString(), actual, expected);
    }

    private String multiOutcome(ZooKeeper zk, List<Op> ops) throws InterruptedException {
        try {
            return "ok " + describe(zk.multi(ops));
        } catch (KeeperException e) {
            String path = e.getPath() == null ? "null" : e.getPath().replace(base, "~");
            return e.code() + " path=" + path + " results=" + describe(e.getResults());
        }
    }

    private static String describe(List<OpResult> results) {
        if (results == null) {
            return "null";
        }
        List<String> out = new ArrayList<>();
        for (OpResult r : results) {
            out.add(r instanceof OpResult.ErrorResult e ? "E" + e.getErr() : Integer.toString(r.getType()));
        }
        return out.toString();
    }

    // ---- running the table ----

    private void check(Map<String, Probe> cases, Map<String, String> expected) throws Exception {
        new RequestProbes(server.clientPort(), target().toString(), this::render).check(cases, expected);
    }

    /** What the tables show of an answer's body: the paths, identities and ACLs that differ by server. */
    private String render(int opcode, RawClient.Reply r) throws IOException {
        return switch (opcode) {
            case OpCode.whoAmI -> {
                List<String> ids = new ArrayList<>();
                for (ClientInfo info : r.as(new WhoAmIResponse()).getClientInfo()) {
                    ids.add(info.getAuthScheme() + ":" + info.getUser());
                }
                yield ids.toString();
            }
            case OpCode.getEphemerals -> r.as(new GetEphemeralsResponse()).getEphemerals().stream()
                    .map(p -> p.replace(base, "~")).sorted().toList().toString();
            case OpCode.getACL -> {
                List<String> acl = new ArrayList<>();
                for (ACL a : r.as(new GetACLResponse()).getAcl()) {
                    String id = a.getId().getId();
                    // A digest id shows its user only: the hash is the same on both servers.
                    String shown = id.contains(":") ? id.substring(0, id.indexOf(':')) : id;
                    acl.add(a.getPerms() + ":" + a.getId().getScheme() + ":" + shown);
                }
                yield acl.toString();
            }
            case OpCode.create -> created(r.as(new CreateResponse()).getPath());
            case OpCode.create2, OpCode.createContainer, OpCode.createTTL -> created(r.as(new Create2Response()).getPath());
            default -> "";
        };
    }

    /** The node a create made: its name and its kind, as its ephemeral owner tells. */
    private String created(String path) throws IOException {
        Stat stat;
        try {
            stat = admin().exists(path, false);
        } catch (Exception e) {
            throw new IOException(e);
        }
        long owner = stat == null ? -1 : stat.getEphemeralOwner();
        String kind = stat == null ? "gone" : owner == 0 ? "persistent" : owner == Long.MIN_VALUE ? "container"
                : (owner >>> 56) == 0xff ? "ttl" : "ephemeral";
        return path.replace(base, "~") + " " + kind;
    }

    // ---- building requests ----

    private static final List<ACL> NOBODY = List.of(new ACL(Perms.ALL, new Id("world", "nobody")));
    private static final List<ACL> AUTH = List.of(new ACL(Perms.ALL, new Id("auth", "")));

    /** A mutable list: the Java client asks it whether it contains null, which List.of cannot answer. */
    private static List<ACL> acl(int perms) {
        return new ArrayList<>(List.of(new ACL(perms, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
    }

    private static Probe create(String path, List<ACL> acl, int flags) throws IOException {
        return probe(OpCode.create, new CreateRequest(path, X, acl, flags));
    }

    private static Probe delete(String path, int version) throws IOException {
        return probe(OpCode.delete, new DeleteRequest(path, version));
    }

    private static Probe setData(String path, int version) throws IOException {
        return probe(OpCode.setData, new SetDataRequest(path, X, version));
    }

    private static Probe setAcl(String path, List<ACL> acl, int version) throws IOException {
        return probe(OpCode.setACL, new SetACLRequest(path, acl, version));
    }

    private static Probe deleteContainer(String path) throws IOException {
        return probe(OpCode.deleteContainer, new org.apache.zookeeper.DeleteContainerRequest(path));
    }

    private static Probe whoAmI() throws IOException {
        return probe(OpCode.whoAmI, null);
    }

    private static byte[] check(String path, int version) throws IOException {
        return op(OpCode.check, new CheckVersionRequest(path, version));
    }

    private static byte[] createOp(String path) throws IOException {
        return op(OpCode.create, new CreateRequest(path, X, OPEN, 0));
    }

    private static byte[] deleteOp(String path, int version) throws IOException {
        return op(OpCode.delete, new DeleteRequest(path, version));
    }

    private static byte[] setDataOp(String path, int version) throws IOException {
        return op(OpCode.setData, new SetDataRequest(path, X, version));
    }

    private static byte[] getDataOp(String path) throws IOException {
        return op(OpCode.getData, new GetDataRequest(path, false));
    }
}
