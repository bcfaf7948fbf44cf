package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Digests;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.GlobalSystemProperties;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

/**
 * ACLs and authentication (the super digest is installed for the whole JVM, see
 * GlobalSystemProperties). Pins:
 * <ul>
 *   <li>the auth scheme (CREATOR_ALL_ACL) expands to one digest entry per digest identity of the
 *       session (ip identities are not used); without one it is InvalidACL; mixed with other
 *       entries, those are kept;</li>
 *   <li>a node that denies READ answers NoAuth to getData, getChildren, getACL AND exists (3.9
 *       checks READ on exists); delete is decided by the PARENT's ACL, so anyone may delete a
 *       world-read-only node under an open parent;</li>
 *   <li>getACL needs READ or ADMIN; without ADMIN the digest hashes are shown as "user:x";</li>
 *   <li>setACL bumps aversion and checks it (BadVersion); invalid ACLs (unknown scheme, world id
 *       other than anyone, malformed ip, digest id without ':', empty list) are InvalidACL;
 *       perms 0 is allowed and locks everyone but super out; ip ACLs accept CIDR;</li>
 *   <li>the super user (digest super:..., set by zookeeper.DigestAuthenticationProvider.superDigest)
 *       bypasses every ACL, even /zookeeper/config's; whoAmI shows it as {super:"", digest:super, ip};</li>
 *   <li>addAuthInfo with an unknown scheme (or "world") kills the session: AuthFailed event,
 *       every later call AuthFailed; addAuthInfo("digest", "nocolon") is accepted as user
 *       "nocolon".</li>
 * </ul>
 */
public abstract class AclScenarios extends CompatTestBase {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    private static Id digest(String user, String password) {
        return new Id("digest", Digests.digestId(user, password));
    }

    @Test
    void ourDigestMatchesZooKeepers() throws Exception {
        assertThat(Digests.digestId("carol", "pw3")).isEqualTo(DigestAuthenticationProvider.generateDigest("carol:pw3"));
        assertThat(GlobalSystemProperties.SUPER_DIGEST)
                .isEqualTo(DigestAuthenticationProvider.generateDigest("super:" + GlobalSystemProperties.SUPER_PASSWORD));
    }

    @Test
    void creatorAllAcl() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/cr";
        assertThat(codeOf(() -> zk.create(p, null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT)))
                .isEqualTo(Code.INVALIDACL);
        assertThat(codeOf(() -> zk.setACL(base, ZooDefs.Ids.CREATOR_ALL_ACL, -1))).isEqualTo(Code.INVALIDACL);
        zk.addAuthInfo("digest", "alice:pw".getBytes());
        zk.create(p, "d".getBytes(), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(zk.getACL(p, new Stat())).containsExactly(new ACL(Perms.ALL, digest("alice", "pw")));
        assertThat(zk.getData(p, false, null)).isEqualTo("d".getBytes());

        zk.addAuthInfo("digest", "bob:pw2".getBytes());
        zk.create(p + "2", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(zk.getACL(p + "2", new Stat())).containsExactlyInAnyOrder(
                new ACL(Perms.ALL, digest("alice", "pw")), new ACL(Perms.ALL, digest("bob", "pw2")));

        zk.create(p + "3", null, Arrays.asList(new ACL(Perms.ALL, new Id("auth", "ignored")),
                new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
        assertThat(zk.getACL(p + "3", new Stat())).containsExactlyInAnyOrder(
                new ACL(Perms.ALL, digest("alice", "pw")), new ACL(Perms.ALL, digest("bob", "pw2")),
                new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
    }

    @Test
    void otherClientsGetNoAuth() throws Exception {
        ZooKeeper owner = connect();
        owner.addAuthInfo("digest", "alice:pw".getBytes());
        String p = base + "/cr";
        owner.create(p, "d".getBytes(), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        owner.create(p + "/kid", null, OPEN, CreateMode.PERSISTENT);

        ZooKeeper other = connect();
        assertThat(codeOf(() -> other.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.getChildren(p, false))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.getACL(p, new Stat()))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.setData(p, null, -1))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.setACL(p, OPEN, -1))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.create(p + "/c", null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.delete(p + "/kid", -1))).isEqualTo(Code.NOAUTH);
        // the child's own ACL is open: reading it needs nothing from the parent
        assertThat(other.exists(p + "/kid", false)).isNotNull();

        other.addAuthInfo("digest", "alice:wrong".getBytes());
        assertThat(codeOf(() -> other.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        other.addAuthInfo("digest", "alice:pw".getBytes());
        assertThat(other.getData(p, false, null)).isEqualTo("d".getBytes());
    }

    @Test
    void deleteIsDecidedByTheParent() throws Exception {
        ZooKeeper owner = connect();
        owner.create(base + "/ro", "r".getBytes(), ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        owner.addAuthInfo("digest", "alice:pw".getBytes());
        owner.create(base + "/locked", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);

        ZooKeeper other = connect();
        assertThat(other.getData(base + "/ro", false, null)).isEqualTo("r".getBytes());
        assertThat(codeOf(() -> other.setData(base + "/ro", null, -1))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.create(base + "/ro/c", null, OPEN, CreateMode.PERSISTENT))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> other.setACL(base + "/ro", OPEN, -1))).isEqualTo(Code.NOAUTH);
        other.delete(base + "/ro", -1);
        other.delete(base + "/locked", -1);
        assertThat(owner.getChildren(base, false)).isEmpty();
    }

    @Test
    void setAclChecksAndBumpsAversion() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/n";
        zk.create(p, null, OPEN, CreateMode.PERSISTENT);
        List<ACL> readAdmin = Arrays.asList(new ACL(Perms.READ | Perms.ADMIN, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        Stat s = zk.setACL(p, readAdmin, 0);
        assertThat(s.getAversion()).isEqualTo(1);
        assertThat(s.getVersion()).isZero();
        assertThat(s.getMzxid()).isEqualTo(s.getCzxid()); // an ACL change is not a data change
        assertThat(codeOf(() -> zk.setACL(p, OPEN, 0))).isEqualTo(Code.BADVERSION);
        Stat got = new Stat();
        assertThat(zk.getACL(p, got)).isEqualTo(readAdmin);
        assertThat(got.getAversion()).isEqualTo(1);
        assertThat(codeOf(() -> zk.setData(p, null, -1))).isEqualTo(Code.NOAUTH);
        // READ but not ADMIN: the ACL check comes before the version check
        zk.setACL(p, ZooDefs.Ids.READ_ACL_UNSAFE, 1);
        assertThat(zk.exists(p, false).getAversion()).isEqualTo(2);
        assertThat(codeOf(() -> zk.setACL(p, OPEN, 2))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> zk.setACL(p, OPEN, 7))).isEqualTo(Code.NOAUTH);
    }

    @Test
    void precomputedDigestAclAndRedactedGetAcl() throws Exception {
        ZooKeeper zk = connect();
        String p = base + "/dg";
        String carol = DigestAuthenticationProvider.generateDigest("carol:pw3");
        zk.create(p, "d".getBytes(), Arrays.asList(new ACL(Perms.READ | Perms.WRITE, new Id("digest", carol))),
                CreateMode.PERSISTENT);
        assertThat(codeOf(() -> zk.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> zk.getACL(p, new Stat()))).isEqualTo(Code.NOAUTH);

        ZooKeeper c = connect();
        c.addAuthInfo("digest", "carol:pw3".getBytes());
        assertThat(c.getData(p, false, null)).isEqualTo("d".getBytes());
        c.setData(p, "e".getBytes(), -1);
        // READ without ADMIN: getACL works but hides the hash
        assertThat(c.getACL(p, new Stat())).containsExactly(new ACL(Perms.READ | Perms.WRITE, new Id("digest", "carol:x")));

        String admin = base + "/adm";
        zk.create(admin, null, Arrays.asList(new ACL(Perms.ALL, new Id("digest", carol))), CreateMode.PERSISTENT);
        assertThat(c.getACL(admin, new Stat())).containsExactly(new ACL(Perms.ALL, new Id("digest", carol)));
    }

    @Test
    void ipAcls() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/ip", "i".getBytes(), Arrays.asList(new ACL(Perms.ALL, new Id("ip", "127.0.0.1"))), CreateMode.PERSISTENT);
        zk.create(base + "/cidr", "c".getBytes(), Arrays.asList(new ACL(Perms.ALL, new Id("ip", "127.0.0.0/8"))), CreateMode.PERSISTENT);
        zk.create(base + "/elsewhere", "e".getBytes(), Arrays.asList(new ACL(Perms.ALL, new Id("ip", "10.1.2.3"))), CreateMode.PERSISTENT);
        ZooKeeper other = connect();
        assertThat(other.getData(base + "/ip", false, null)).isEqualTo("i".getBytes());
        assertThat(other.getData(base + "/cidr", false, null)).isEqualTo("c".getBytes());
        assertThat(codeOf(() -> other.getData(base + "/elsewhere", false, null))).isEqualTo(Code.NOAUTH);
        assertThat(other.getACL(base + "/ip", new Stat())).containsExactly(new ACL(Perms.ALL, new Id("ip", "127.0.0.1")));
    }

    @Test
    void invalidAcls() throws Exception {
        ZooKeeper zk = connect();
        assertThat(codeOf(() -> create(zk, "/a", new ACL(Perms.ALL, new Id("ip", "notanip"))))).isEqualTo(Code.INVALIDACL);
        assertThat(codeOf(() -> create(zk, "/b", new ACL(Perms.ALL, new Id("foo", "bar"))))).isEqualTo(Code.INVALIDACL);
        assertThat(codeOf(() -> create(zk, "/c", new ACL(Perms.ALL, new Id("world", "someone"))))).isEqualTo(Code.INVALIDACL);
        assertThat(codeOf(() -> create(zk, "/d", new ACL(Perms.ALL, new Id("digest", "nocolon"))))).isEqualTo(Code.INVALIDACL);
        assertThat(codeOf(() -> zk.setACL(base, Arrays.asList(new ACL(Perms.ALL, new Id("foo", "bar"))), -1)))
                .isEqualTo(Code.INVALIDACL);
        assertThat(zk.getChildren(base, false)).isEmpty();
        assertThat(zk.exists(base, false).getAversion()).isZero();

        create(zk, "/zero", new ACL(0, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        assertThat(codeOf(() -> zk.getData(base + "/zero", false, null))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> zk.setData(base + "/zero", null, -1))).isEqualTo(Code.NOAUTH);
    }

    @Test
    void superUserBypassesEverything() throws Exception {
        ZooKeeper owner = connect();
        owner.addAuthInfo("digest", "alice:pw".getBytes());
        owner.create(base + "/cr", "c".getBytes(), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        owner.create(base + "/zero", "z".getBytes(), Arrays.asList(new ACL(0, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
        owner.create(base + "/far", "f".getBytes(), Arrays.asList(new ACL(Perms.ALL, new Id("ip", "10.1.2.3"))), CreateMode.PERSISTENT);

        ZooKeeper su = connect();
        su.addAuthInfo("digest", ("super:" + GlobalSystemProperties.SUPER_PASSWORD).getBytes());
        assertThat(su.whoAmI()).containsExactlyInAnyOrder(new ClientInfo("super", ""), new ClientInfo("digest", "super"),
                new ClientInfo("ip", "127.0.0.1"));
        assertThat(su.getData(base + "/cr", false, null)).isEqualTo("c".getBytes());
        assertThat(su.getData(base + "/zero", false, null)).isEqualTo("z".getBytes());
        assertThat(su.getData(base + "/far", false, null)).isEqualTo("f".getBytes());
        assertThat(su.getACL(base + "/cr", new Stat())).containsExactly(new ACL(Perms.ALL, digest("alice", "pw")));
        su.setData(base + "/cr", "s".getBytes(), -1);
        su.create(base + "/cr/child", null, OPEN, CreateMode.PERSISTENT);
        su.setACL(base + "/zero", OPEN, -1);
        assertThat(connect().getData(base + "/zero", false, null)).isEqualTo("z".getBytes());
        assertThat(su.setData("/zookeeper/config", null, -1).getVersion()).isEqualTo(1);
        su.delete(base + "/cr/child", -1);
    }

    @Test
    void unknownAuthSchemeKillsTheSession() throws Exception {
        Events events = new Events();
        ZooKeeper zk = connect(events);
        zk.addAuthInfo("nosuch", "x".getBytes());
        events.awaitState(KeeperState.AuthFailed);
        assertThat(codeOf(() -> zk.exists("/", false))).isEqualTo(Code.AUTHFAILED);

        Events world = new Events();
        ZooKeeper w = connect(world);
        w.addAuthInfo("world", "anyone".getBytes());
        world.awaitState(KeeperState.AuthFailed);
        assertThat(codeOf(() -> w.exists("/", false))).isEqualTo(Code.AUTHFAILED);
    }

    @Test
    void existsChecksReadPermission() throws Exception {
        ZooKeeper owner = connect();
        owner.create(base + "/wo", null, Arrays.asList(new ACL(Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE)),
                CreateMode.PERSISTENT);
        ZooKeeper other = connect();
        assertThat(codeOf(() -> other.exists(base + "/wo", false))).isEqualTo(Code.NOAUTH);
        assertThat(other.exists(base + "/missing", false)).isNull();
    }

    @Test
    void digestCredentialsWithoutColonAreAccepted() throws Exception {
        ZooKeeper zk = connect();
        zk.addAuthInfo("digest", "nocolon".getBytes());
        assertThat(zk.exists("/", false)).isNotNull();
        assertThat(zk.whoAmI()).containsExactlyInAnyOrder(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "nocolon"));
    }

    @Test
    void ipAuthInfoIsAcceptedAndUsesTheRealAddress() throws Exception {
        ZooKeeper zk = connect();
        zk.addAuthInfo("ip", "10.9.9.9".getBytes());
        assertThat(zk.exists("/", false)).isNotNull();
        assertThat(zk.whoAmI()).containsExactly(new ClientInfo("ip", "127.0.0.1"));
    }

    private String create(ZooKeeper zk, String rel, ACL acl) throws org.apache.zookeeper.KeeperException, InterruptedException {
        return zk.create(base + rel, null, Arrays.asList(acl), CreateMode.PERSISTENT);
    }
}
