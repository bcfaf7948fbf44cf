package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.CompatTestBase;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * multi (transactions), multiRead, sync, getEphemerals, getAllChildrenNumber and whoAmI. Pins:
 * <ul>
 *   <li>a successful multi is ONE txn: every node it creates has the same czxid, equal to the
 *       mzxid of its setData targets; results are CreateResult (type create, no Stat, for
 *       Op.create of persistent/sequential/ephemeral), SetDataResult(Stat), CheckResult,
 *       DeleteResult, each op seeing the effects of the ops before it;</li>
 *   <li>a failed multi throws the FIRST failing op's code and applies nothing; getResults() has
 *       ErrorResult(0) for every op before it, the failing op's code, and ErrorResult(-2,
 *       RuntimeInconsistency) for every op after it; the async form reports rc = that code;
 *       Op.check needs READ permission (NoAuth otherwise, even if the node is world-writable);</li>
 *   <li>an empty multi succeeds with no results;</li>
 *   <li>a read multi never throws for per-op failures: each op gets its own GetChildrenResult,
 *       GetDataResult (null data stays null) or ErrorResult (NoNode -101, NoAuth -102);</li>
 *   <li>sync succeeds for any path, existing or not; getEphemerals lists only the caller's
 *       ephemerals, filtered by string prefix ("/" = all); getAllChildrenNumber counts all
 *       descendants (not the node), NoNode for a missing node;</li>
 *   <li>whoAmI lists the connection's identities as a SET (order not meaningful): ip 127.0.0.1,
 *       plus one digest entry per addAuthInfo.</li>
 * </ul>
 */
public abstract class MultiAndMiscScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    private static List<Integer> errors(List<OpResult> results) {
        return results.stream().map(r -> ((OpResult.ErrorResult) r).getErr()).toList();
    }

    @Test
    void successfulMultiIsOneTransaction() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/x", "x".getBytes(), OPEN, CreateMode.PERSISTENT);
        List<OpResult> r = zk.multi(List.of(
                Op.create(base + "/a", null, OPEN, CreateMode.PERSISTENT),
                Op.create(base + "/s", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.create(base + "/e", null, OPEN, CreateMode.EPHEMERAL),
                Op.setData(base + "/x", "y".getBytes(), 0),
                Op.check(base + "/x", 1),
                Op.create(base + "/a/child", "c".getBytes(), OPEN, CreateMode.PERSISTENT),
                Op.delete(base + "/a/child", 0)));
        assertThat(r).hasSize(7);
        assertThat(r.get(0)).isEqualTo(new OpResult.CreateResult(base + "/a"));
        assertThat(((OpResult.CreateResult) r.get(0)).getStat()).isNull();
        assertThat(r.get(0).getType()).isEqualTo(OpCode.create);
        assertThat(((OpResult.CreateResult) r.get(1)).getPath()).isEqualTo(base + "/s0000000002");
        assertThat(((OpResult.CreateResult) r.get(2)).getPath()).isEqualTo(base + "/e");
        OpResult.SetDataResult set = (OpResult.SetDataResult) r.get(3);
        assertThat(set.getStat().getVersion()).isEqualTo(1);
        assertThat(r.get(4)).isInstanceOf(OpResult.CheckResult.class);
        assertThat(r.get(4).getType()).isEqualTo(OpCode.check);
        assertThat(r.get(5)).isEqualTo(new OpResult.CreateResult(base + "/a/child"));
        assertThat(r.get(6)).isInstanceOf(OpResult.DeleteResult.class);
        assertThat(r.get(6).getType()).isEqualTo(OpCode.delete);

        long zxid = set.getStat().getMzxid();
        assertThat(zk.exists(base + "/a", false).getCzxid()).isEqualTo(zxid);
        assertThat(zk.exists(base + "/s0000000002", false).getCzxid()).isEqualTo(zxid);
        Stat e = zk.exists(base + "/e", false);
        assertThat(e.getCzxid()).isEqualTo(zxid);
        assertThat(e.getEphemeralOwner()).isEqualTo(zk.getSessionId());
        Stat a = zk.exists(base + "/a", false);
        assertThat(a.getPzxid()).isEqualTo(zxid);
        assertThat(a.getCversion()).isEqualTo(2);
        assertThat(a.getNumChildren()).isZero();
        assertThat(zk.exists(base, false).getPzxid()).isEqualTo(zxid);
    }

    @Test
    void failureInTheMiddleAppliesNothing() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/x", "x".getBytes(), OPEN, CreateMode.PERSISTENT);
        Stat before = zk.exists(base, false);
        try {
            zk.multi(List.of(
                    Op.create(base + "/b", null, OPEN, CreateMode.PERSISTENT),
                    Op.setData(base + "/x", "changed".getBytes(), 0),
                    Op.delete(base + "/missing", -1),
                    Op.create(base + "/x", null, OPEN, CreateMode.PERSISTENT),
                    Op.check(base + "/x", 0)));
            throw new AssertionError("multi succeeded");
        } catch (KeeperException e) {
            assertThat(e.code()).isEqualTo(Code.NONODE);
            assertThat(e.getResults()).allMatch(res -> res instanceof OpResult.ErrorResult);
            assertThat(e.getResults()).allMatch(res -> res.getType() == OpCode.error);
            assertThat(errors(e.getResults())).containsExactly(0, 0, -101, -2, -2);
        }
        assertThat(zk.exists(base + "/b", false)).isNull();
        assertThat(zk.getData(base + "/x", false, null)).isEqualTo("x".getBytes());
        assertThat(zk.exists(base, false)).isEqualTo(before);
    }

    @Test
    void failureCodesOfFirstAndDependentOps() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/x", null, OPEN, CreateMode.PERSISTENT);
        KeeperException first = multiFailure(zk, List.of(
                Op.check(base + "/missing", -1),
                Op.create(base + "/b", null, OPEN, CreateMode.PERSISTENT)));
        assertThat(first.code()).isEqualTo(Code.NONODE);
        assertThat(errors(first.getResults())).containsExactly(-101, -2);

        KeeperException version = multiFailure(zk, List.of(
                Op.create(base + "/b", null, OPEN, CreateMode.PERSISTENT),
                Op.check(base + "/x", 7)));
        assertThat(version.code()).isEqualTo(Code.BADVERSION);
        assertThat(errors(version.getResults())).containsExactly(0, -103);

        KeeperException dependent = multiFailure(zk, List.of(
                Op.create(base + "/d", null, OPEN, CreateMode.PERSISTENT),
                Op.create(base + "/d/e", null, OPEN, CreateMode.PERSISTENT),
                Op.create(base + "/d", null, OPEN, CreateMode.PERSISTENT)));
        assertThat(dependent.code()).isEqualTo(Code.NODEEXISTS);
        assertThat(errors(dependent.getResults())).containsExactly(0, 0, -110);

        KeeperException ephemeral = multiFailure(zk, List.of(
                Op.create(base + "/eph", null, OPEN, CreateMode.EPHEMERAL),
                Op.create(base + "/eph/c", null, OPEN, CreateMode.PERSISTENT)));
        assertThat(ephemeral.code()).isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
        assertThat(errors(ephemeral.getResults())).containsExactly(0, -108);

        KeeperException notEmpty = multiFailure(zk, List.of(
                Op.create(base + "/x/c", null, OPEN, CreateMode.PERSISTENT),
                Op.delete(base + "/x", -1)));
        assertThat(notEmpty.code()).isEqualTo(Code.NOTEMPTY);
        assertThat(errors(notEmpty.getResults())).containsExactly(0, -111);

        zk.create(base + "/wo", null, Arrays.asList(new ACL(ZooDefs.Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE)),
                CreateMode.PERSISTENT);
        KeeperException noAuth = multiFailure(zk, List.of(
                Op.create(base + "/b", null, OPEN, CreateMode.PERSISTENT),
                Op.setData(base + "/wo", "w".getBytes(), -1),
                Op.check(base + "/wo", -1)));
        assertThat(noAuth.code()).isEqualTo(Code.NOAUTH);
        assertThat(errors(noAuth.getResults())).containsExactly(0, 0, -102);

        assertThat(zk.getChildren(base, false)).containsExactlyInAnyOrder("x", "wo");
        assertThat(zk.getChildren(base + "/x", false)).isEmpty();

        // dependent ops that all succeed leave nothing behind
        List<OpResult> ok = zk.multi(List.of(
                Op.create(base + "/d", null, OPEN, CreateMode.PERSISTENT),
                Op.create(base + "/d/e", null, OPEN, CreateMode.PERSISTENT),
                Op.delete(base + "/d/e", -1),
                Op.delete(base + "/d", -1)));
        assertThat(ok).hasSize(4);
        assertThat(zk.exists(base + "/d", false)).isNull();
    }

    @Test
    void asyncMultiFailureReportsTheFailingCode() throws Exception {
        ZooKeeper zk = connect();
        CompletableFuture<Object[]> f = new CompletableFuture<>();
        zk.multi(List.of(
                Op.create(base + "/b", null, OPEN, CreateMode.PERSISTENT),
                Op.delete(base + "/missing", -1)),
                (rc, path, ctx, results) -> f.complete(new Object[] {rc, results}), null);
        Object[] got = f.get(10, TimeUnit.SECONDS);
        assertThat(got[0]).isEqualTo(Code.NONODE.intValue());
        @SuppressWarnings("unchecked")
        List<OpResult> results = (List<OpResult>) got[1];
        assertThat(errors(results)).containsExactly(0, -101);
    }

    @Test
    void emptyMulti() throws Exception {
        assertThat(connect().multi(List.of())).isEmpty();
    }

    @Test
    void readMultiHasPerOpResults() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/x", "data".getBytes(), OPEN, CreateMode.PERSISTENT);
        zk.setData(base + "/x", "data".getBytes(), -1);
        zk.create(base + "/n", null, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/x/c", null, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/secret", "s".getBytes(), Arrays.asList(new ACL(ZooDefs.Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE)),
                CreateMode.PERSISTENT);
        List<OpResult> r = zk.multi(List.of(
                Op.getChildren(base),
                Op.getData(base + "/x"),
                Op.getData(base + "/missing"),
                Op.getChildren(base + "/missing"),
                Op.getData(base + "/n"),
                Op.getData(base + "/secret"),
                Op.getChildren(base + "/secret"),
                Op.getChildren(base + "/x")));
        assertThat(r).hasSize(8);
        assertThat(((OpResult.GetChildrenResult) r.get(0)).getChildren()).containsExactlyInAnyOrder("x", "n", "secret");
        OpResult.GetDataResult x = (OpResult.GetDataResult) r.get(1);
        assertThat(x.getData()).isEqualTo("data".getBytes());
        assertThat(x.getStat()).isEqualTo(zk.exists(base + "/x", false));
        assertThat(((OpResult.ErrorResult) r.get(2)).getErr()).isEqualTo(-101);
        assertThat(((OpResult.ErrorResult) r.get(3)).getErr()).isEqualTo(-101);
        assertThat(((OpResult.GetDataResult) r.get(4)).getData()).isNull();
        assertThat(((OpResult.ErrorResult) r.get(5)).getErr()).isEqualTo(-102);
        assertThat(((OpResult.ErrorResult) r.get(6)).getErr()).isEqualTo(-102);
        assertThat(((OpResult.GetChildrenResult) r.get(7)).getChildren()).containsExactly("c");
        assertThatThrownBy(() -> zk.multi(List.of(Op.getChildren(base), Op.delete(base + "/x", -1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void syncSucceedsForAnyPath() throws Exception {
        ZooKeeper zk = connect();
        zk.sync(base);
        zk.sync(base + "/does/not/exist");
        CompletableFuture<Object[]> f = new CompletableFuture<>();
        zk.sync(base + "/nope", (rc, path, ctx) -> f.complete(new Object[] {rc, path}), null);
        Object[] got = f.get(10, TimeUnit.SECONDS);
        assertThat(got[0]).isEqualTo(0);
        assertThat(got[1]).isEqualTo(base + "/nope");
    }

    @Test
    void getEphemeralsWithAndWithoutPrefix() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper other = connect();
        zk.create(base + "/a", null, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/a/e1", null, OPEN, CreateMode.EPHEMERAL);
        zk.create(base + "/a/e2", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL);
        zk.create(base + "/b", null, OPEN, CreateMode.EPHEMERAL);
        other.create(base + "/a/theirs", null, OPEN, CreateMode.EPHEMERAL);

        assertThat(zk.getEphemerals()).containsExactlyInAnyOrder(base + "/a/e1", base + "/a/e20000000001", base + "/b");
        assertThat(zk.getEphemerals("/")).containsExactlyInAnyOrder(base + "/a/e1", base + "/a/e20000000001", base + "/b");
        assertThat(zk.getEphemerals(base + "/a")).containsExactlyInAnyOrder(base + "/a/e1", base + "/a/e20000000001");
        assertThat(zk.getEphemerals(base + "/a/e")).containsExactlyInAnyOrder(base + "/a/e1", base + "/a/e20000000001");
        // a plain string prefix, not a path prefix
        assertThat(zk.getEphemerals(base + "/b")).containsExactly(base + "/b");
        assertThat(zk.getEphemerals(base + "/c")).isEmpty();
        assertThat(other.getEphemerals()).containsExactly(base + "/a/theirs");
        assertThatThrownBy(() -> zk.getEphemerals(base + "/a/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getAllChildrenNumberCountsDescendants() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/a", null, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/a/b", null, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/a/b/c", null, OPEN, CreateMode.PERSISTENT);
        zk.create(base + "/d", null, OPEN, CreateMode.EPHEMERAL);
        assertThat(zk.getAllChildrenNumber(base)).isEqualTo(4);
        assertThat(zk.getAllChildrenNumber(base + "/a")).isEqualTo(2);
        assertThat(zk.getAllChildrenNumber(base + "/a/b/c")).isZero();
        assertThat(zk.getAllChildrenNumber("/zookeeper")).isEqualTo(2);
        assertThat(codeOf(() -> zk.getAllChildrenNumber(base + "/missing"))).isEqualTo(Code.NONODE);
    }

    @Test
    void whoAmI() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.whoAmI()).containsExactly(new ClientInfo("ip", "127.0.0.1"));
        zk.addAuthInfo("digest", "alice:pw".getBytes());
        assertThat(zk.whoAmI()).containsExactlyInAnyOrder(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "alice"));
        zk.addAuthInfo("digest", "bob:pw2".getBytes());
        zk.addAuthInfo("digest", "alice:pw".getBytes()); // the same identity again is not repeated
        assertThat(zk.whoAmI()).containsExactlyInAnyOrder(new ClientInfo("ip", "127.0.0.1"),
                new ClientInfo("digest", "alice"), new ClientInfo("digest", "bob"));
    }

    private static KeeperException multiFailure(ZooKeeper zk, List<Op> ops) throws InterruptedException {
        try {
            zk.multi(ops);
        } catch (KeeperException e) {
            return e;
        }
        throw new AssertionError("multi succeeded: " + ops);
    }
}
