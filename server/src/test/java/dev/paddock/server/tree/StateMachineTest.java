package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.auth.DigestAuth;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Create2Response;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.PathResponse;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetAclRequest;
import dev.paddock.wire.proto.SetDataRequest;
import dev.paddock.wire.proto.Stat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateMachineTest {
    private static final long SESSION = 0x1234L;
    private static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));

    private final StateMachine sm = new StateMachine(true);
    private long zxid;

    private ApplyResult apply(Request r) {
        return apply(r, IP);
    }

    private ApplyResult apply(Request r, List<Id> ids) {
        zxid++;
        return sm.apply(new Txn(zxid, 1000 + zxid, SESSION, ids, r));
    }

    private static CreateRequest create(String path, byte[] data, CreateMode mode) {
        return new CreateRequest(OpCode.CREATE2, path, data, AclLists.OPEN, mode.flag);
    }

    @Test
    void createFillsStatAndParentCounters() {
        ApplyResult r = apply(create("/a", "x".getBytes(), CreateMode.PERSISTENT));
        assertThat(r.error()).isEqualTo(ErrorCode.OK);
        Stat s = ((Create2Response) r.response()).stat();
        assertThat(s.czxid()).isEqualTo(1);
        assertThat(s.mzxid()).isEqualTo(1);
        assertThat(s.pzxid()).isEqualTo(1);
        assertThat(s.ctime()).isEqualTo(1001);
        assertThat(s.dataLength()).isEqualTo(1);
        Stat root = sm.tree().stat("/");
        // The root's cversion counts the creates under it as ZooKeeper reports it (the built-in /zookeeper
        // child is not counted), so after one create it is 0.
        assertThat(root.cversion()).isEqualTo(0);
        assertThat(root.pzxid()).isEqualTo(1);
        assertThat(root.numChildren()).isEqualTo(2);
    }

    @Test
    void nullDataStaysDistinctFromEmpty() throws KeeperError {
        apply(create("/null", null, CreateMode.PERSISTENT));
        apply(create("/empty", new byte[0], CreateMode.PERSISTENT));
        Reads reads = new Reads(sm.tree());
        assertThat(reads.getData("/null", IP).data()).isNull();
        assertThat(reads.getData("/empty", IP).data()).isEmpty();
    }

    @Test
    void sequentialNamesCountCreatesWhileCversionAlsoCountsDeletes() {
        apply(create("/q", null, CreateMode.PERSISTENT));
        apply(create("/q/a", null, CreateMode.PERSISTENT));
        apply(create("/q/x", null, CreateMode.PERSISTENT));
        apply(new PathVersionRequest(OpCode.DELETE, "/q/x", -1));
        assertThat(sm.tree().stat("/q").cversion()).isEqualTo(3);
        ApplyResult r = apply(create("/q/n-", null, CreateMode.PERSISTENT_SEQUENTIAL));
        assertThat(((Create2Response) r.response()).path()).isEqualTo("/q/n-0000000002");
    }

    @Test
    void errorsMatchZooKeeper() {
        assertThat(apply(create("/missing/child", null, CreateMode.PERSISTENT)).error()).isEqualTo(ErrorCode.NO_NODE);
        apply(create("/a", null, CreateMode.PERSISTENT));
        assertThat(apply(create("/a", null, CreateMode.PERSISTENT)).error()).isEqualTo(ErrorCode.NODE_EXISTS);
        assertThat(apply(create("/a/", null, CreateMode.PERSISTENT)).error()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
        apply(new EmptyRequestWrapper().createSession());
        apply(create("/a/e", null, CreateMode.EPHEMERAL));
        assertThat(apply(create("/a/e/c", null, CreateMode.PERSISTENT)).error())
                .isEqualTo(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
        assertThat(apply(new PathVersionRequest(OpCode.DELETE, "/a", -1)).error()).isEqualTo(ErrorCode.NOT_EMPTY);
        assertThat(apply(new SetDataRequest("/a", null, 7)).error()).isEqualTo(ErrorCode.BAD_VERSION);
        assertThat(apply(new PathVersionRequest(OpCode.DELETE, "/zookeeper", -1)).error())
                .isEqualTo(ErrorCode.BAD_ARGUMENTS);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/b", null, List.of(), 0)).error())
                .isEqualTo(ErrorCode.INVALID_ACL);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/b", null, AclLists.OPEN, 99)).error())
                .isEqualTo(ErrorCode.BAD_ARGUMENTS);
    }

    /** Creates the requesting session through the log, as the server does before any ephemeral. */
    private static final class EmptyRequestWrapper {
        Request createSession() {
            return new CreateSessionRequest(30_000);
        }
    }

    @Test
    void failedMultiChangesNothingAndReportsZooKeepersPerOpResults() {
        apply(create("/m", "v".getBytes(), CreateMode.PERSISTENT));
        Stat before = sm.tree().stat("/m");
        Stat rootBefore = sm.tree().stat("/");
        ApplyResult r = apply(new MultiRequest(OpCode.MULTI, List.of(
                new CreateRequest(OpCode.CREATE, "/m/a", null, AclLists.OPEN, 0),
                new SetDataRequest("/m", "w".getBytes(), -1),
                new PathVersionRequest(OpCode.CHECK, "/m", 5),
                new CreateRequest(OpCode.CREATE, "/m/b", null, AclLists.OPEN, 0))));
        MultiResponse m = (MultiResponse) r.response();
        assertThat(m.results()).extracting(x -> x.err())
                .containsExactly(0, 0, ErrorCode.BAD_VERSION.code, ErrorCode.RUNTIME_INCONSISTENCY.code);
        assertThat(r.changes()).isEmpty();
        assertThat(sm.tree().exists("/m/a")).isFalse();
        assertThat(sm.tree().stat("/m")).isEqualTo(before);
        assertThat(sm.tree().stat("/")).isEqualTo(rootBefore);
    }

    @Test
    void failedMultiRestoresChildrenDeletedAndRecreatedNodes() throws KeeperError {
        apply(create("/p", null, CreateMode.PERSISTENT));
        apply(create("/p/a", "1".getBytes(), CreateMode.PERSISTENT));
        apply(create("/p/b", null, CreateMode.PERSISTENT));
        Stat aBefore = sm.tree().stat("/p/a");
        Stat pBefore = sm.tree().stat("/p");
        ApplyResult r = apply(new MultiRequest(OpCode.MULTI, List.of(
                new PathVersionRequest(OpCode.DELETE, "/p/a", -1),
                new CreateRequest(OpCode.CREATE, "/p/a", "2".getBytes(), AclLists.OPEN, 0),
                new CreateRequest(OpCode.CREATE, "/p/c", null, AclLists.OPEN, 0),
                new PathVersionRequest(OpCode.DELETE, "/p/b", -1),
                new PathVersionRequest(OpCode.CHECK, "/p", 99))));
        assertThat(((MultiResponse) r.response()).results().get(4).err()).isEqualTo(ErrorCode.BAD_VERSION.code);
        assertThat(new Reads(sm.tree()).getChildren("/p", IP)).containsExactlyInAnyOrder("a", "b");
        assertThat(sm.tree().stat("/p/a")).isEqualTo(aBefore);
        assertThat(new Reads(sm.tree()).getData("/p/a", IP).data()).isEqualTo("1".getBytes());
        assertThat(sm.tree().stat("/p")).isEqualTo(pBefore);
        assertThat(sm.tree().exists("/p/c")).isFalse();
    }

    @Test
    void successfulMultiAppliesEveryOp() {
        ApplyResult r = apply(new MultiRequest(OpCode.MULTI, List.of(
                new CreateRequest(OpCode.CREATE, "/n", null, AclLists.OPEN, 0),
                new CreateRequest(OpCode.CREATE2, "/n/c", "d".getBytes(), AclLists.OPEN, 0),
                new SetDataRequest("/n", "x".getBytes(), 0),
                new PathVersionRequest(OpCode.DELETE, "/n/c", 0))));
        MultiResponse m = (MultiResponse) r.response();
        assertThat(m.results()).extracting(x -> x.type()).containsExactly(1, 15, 5, 2);
        assertThat(((PathResponse) m.results().get(0).body()).path()).isEqualTo("/n");
        assertThat(sm.tree().stat("/n").version()).isEqualTo(1);
        assertThat(sm.tree().exists("/n/c")).isFalse();
    }

    @Test
    void closeSessionDeletesItsEphemerals() {
        apply(new CreateSessionRequest(30_000));
        apply(create("/e1", null, CreateMode.EPHEMERAL));
        apply(create("/e2", null, CreateMode.EPHEMERAL_SEQUENTIAL));
        assertThat(sm.tree().ephemerals(SESSION)).hasSize(2);
        ApplyResult r = apply(EmptyRequest.CLOSE_SESSION);
        assertThat(r.changes()).extracting(Change::kind).contains(Change.Kind.DELETED);
        assertThat(sm.tree().ephemerals(SESSION)).isEmpty();
        assertThat(sm.sessions()).doesNotContainKey(SESSION);
        assertThat(apply(create("/e3", null, CreateMode.EPHEMERAL)).error()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    }

    @Test
    void containersAndTtlNodesAreIndexedButShowNoOwner() {
        ApplyResult c = apply(new CreateRequest(OpCode.CREATE_CONTAINER, "/c", null, AclLists.OPEN,
                CreateMode.CONTAINER.flag));
        assertThat(((Create2Response) c.response()).stat().ephemeralOwner()).isZero();
        ApplyResult t = apply(new CreateTtlRequest("/t", null, AclLists.OPEN, CreateMode.PERSISTENT_WITH_TTL.flag, 500));
        assertThat(((Create2Response) t.response()).stat().ephemeralOwner()).isZero();
        assertThat(sm.tree().ttlMs("/t")).isEqualTo(500);
        assertThat(sm.tree().containers()).contains("/c");
        assertThat(sm.tree().ttlNodes()).contains("/t");
    }

    /** As ZooKeeper: the opcode makes containers; the container flag on create makes a persistent node. */
    @Test
    void theOpcodeNotTheFlagMakesAContainer() {
        apply(new CreateSessionRequest(30_000));
        assertThat(apply(new CreateRequest(OpCode.CREATE_CONTAINER, "/c0", null, AclLists.OPEN,
                CreateMode.PERSISTENT.flag)).error()).isEqualTo(ErrorCode.OK);
        assertThat(apply(new CreateRequest(OpCode.CREATE_CONTAINER, "/c1", null, AclLists.OPEN,
                CreateMode.EPHEMERAL.flag)).error()).isEqualTo(ErrorCode.OK);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/p4", null, AclLists.OPEN,
                CreateMode.CONTAINER.flag)).error()).isEqualTo(ErrorCode.OK);
        assertThat(sm.tree().containers()).contains("/c0", "/c1").doesNotContain("/p4");
        assertThat(sm.tree().ephemerals(SESSION)).isEmpty();
    }

    @Test
    void createTtlWithAPlainModeIsBadArgumentsEvenWithoutExtendedTypes() {
        StateMachine plain = new StateMachine(false);
        ApplyResult r = plain.apply(new Txn(1, 1, SESSION, IP,
                new CreateTtlRequest("/none/t", null, AclLists.OPEN, CreateMode.PERSISTENT.flag, 500)));
        assertThat(r.error()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
        ApplyResult noTtl = apply(new CreateTtlRequest("/t", null, AclLists.OPEN, CreateMode.PERSISTENT.flag, -1));
        assertThat(noTtl.error()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void checkValidatesItsPathFirst() {
        ApplyResult r = apply(new MultiRequest(OpCode.MULTI, List.of(new PathVersionRequest(OpCode.CHECK, "/a/", 5))));
        assertThat(((MultiResponse) r.response()).results().get(0).err()).isEqualTo(ErrorCode.BAD_ARGUMENTS.code);
    }

    @Test
    void changesCarryTheAclOfTheNodeTheyAreAbout() {
        List<Acl> readOnly = List.of(new Acl(Acl.READ, new Id("world", "anyone")));
        apply(new CreateRequest(OpCode.CREATE, "/p", null, readOnly, CreateMode.PERSISTENT.flag));
        ApplyResult r = apply(new CreateRequest(OpCode.CREATE, "/p/c", null, AclLists.OPEN, CreateMode.PERSISTENT.flag),
                List.of(new Id("super", "")));
        assertThat(r.changes()).extracting(Change::acl).containsExactly(AclLists.OPEN, readOnly);
    }

    @Test
    void ttlIsUnimplementedWithoutExtendedTypes() {
        StateMachine plain = new StateMachine(false);
        ApplyResult r = plain.apply(new Txn(1, 1, SESSION, IP,
                new CreateTtlRequest("/t", null, AclLists.OPEN, CreateMode.PERSISTENT_WITH_TTL.flag, 500)));
        assertThat(r.error()).isEqualTo(ErrorCode.UNIMPLEMENTED);
    }

    @Test
    void aclsAreEnforcedAndAuthExpandsToTheCallersDigest() {
        Id alice = new Id("digest", DigestAuth.digestOf("alice:secret"));
        List<Id> aliceIds = List.of(IP.get(0), alice);
        ApplyResult r = apply(new CreateRequest(OpCode.CREATE2, "/secret", null,
                List.of(new Acl(Acl.ALL, new Id("auth", ""))), 0), aliceIds);
        assertThat(r.error()).isEqualTo(ErrorCode.OK);
        assertThat(apply(new SetDataRequest("/secret", null, -1)).error()).isEqualTo(ErrorCode.NO_AUTH);
        assertThat(apply(new SetDataRequest("/secret", null, -1), aliceIds).error()).isEqualTo(ErrorCode.OK);
        assertThat(apply(new SetDataRequest("/secret", null, -1), List.of(new Id("super", ""))).error())
                .isEqualTo(ErrorCode.OK);
        assertThat(apply(new SetAclRequest("/secret", AclLists.OPEN, 0), aliceIds).error()).isEqualTo(ErrorCode.OK);
        assertThat(sm.tree().stat("/secret").aversion()).isEqualTo(1);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/x", null, List.of(new Acl(Acl.ALL, new Id("auth", ""))), 0))
                .error()).isEqualTo(ErrorCode.INVALID_ACL);
    }

    @Test
    void theSameAclListFixedForOtherIdentitiesGetsTheirs() {
        // The last fix-up is reused only for the same list and the same identities: "auth" expands to the
        // caller's, so one caller after another must each get their own.
        Id alice = new Id("digest", DigestAuth.digestOf("alice:secret"));
        Id bob = new Id("digest", DigestAuth.digestOf("bob:secret"));
        List<Acl> auth = List.of(new Acl(Acl.ALL, new Id("auth", "")));
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/a1", null, auth, 0), List.of(alice)).error())
                .isEqualTo(ErrorCode.OK);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/a2", null, auth, 0), List.of(alice)).error())
                .isEqualTo(ErrorCode.OK);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/b1", null, auth, 0), List.of(bob)).error())
                .isEqualTo(ErrorCode.OK);
        assertThat(apply(new CreateRequest(OpCode.CREATE, "/x", null, auth, 0), IP).error())
                .isEqualTo(ErrorCode.INVALID_ACL);
        assertThat(sm.tree().aclOf("/a1")).containsExactly(new Acl(Acl.ALL, alice));
        assertThat(sm.tree().aclOf("/a2")).containsExactly(new Acl(Acl.ALL, alice));
        assertThat(sm.tree().aclOf("/b1")).containsExactly(new Acl(Acl.ALL, bob));
        assertThat(sm.tree().exists("/x")).isFalse();
    }

    @Test
    void sameEntriesGiveTheSameStateOnEveryReplica() {
        StateMachine a = new StateMachine(false);
        StateMachine b = new StateMachine(false);
        List<Request> requests = List.of(
                new CreateRequest(OpCode.CREATE, "/r", null, AclLists.OPEN, 0),
                new CreateRequest(OpCode.CREATE, "/r/s-", "1".getBytes(), AclLists.OPEN, CreateMode.PERSISTENT_SEQUENTIAL.flag),
                new SetDataRequest("/r", "2".getBytes(), -1),
                new CreateRequest(OpCode.CREATE, "/r", null, AclLists.OPEN, 0));
        long z = 0;
        for (Request req : requests) {
            z++;
            ApplyResult ra = a.apply(new Txn(z, z, SESSION, IP, req));
            ApplyResult rb = b.apply(new Txn(z, z, SESSION, IP, req));
            assertThat(ra).isEqualTo(rb);
        }
        assertThat(a.tree().stat("/r")).isEqualTo(b.tree().stat("/r"));
    }
}
