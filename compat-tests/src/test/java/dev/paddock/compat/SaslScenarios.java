package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.Jaas;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.apache.zookeeper.proto.SetSASLResponse;
import org.junit.jupiter.api.Test;

/**
 * SASL DIGEST-MD5 on the client port, configured as an operator configures ZooKeeper: a JAAS file with a
 * "Server" section of {@code user_<name>} passwords ({@code java.security.auth.login.config}) and
 * {@code zookeeper.authProvider.1=...SASLAuthenticationProvider}. Pins:
 * <ul>
 *   <li>a client that logs in gets the identity sasl:&lt;user&gt; (whoAmI shows it), sasl ACLs protect
 *       nodes from everyone else, CREATOR_ALL_ACL expands to it, the sasl super user bypasses ACLs;</li>
 *   <li>the exchange on the wire: every answer to opcode 102 has zxid 0; a wrong password is answered
 *       AuthFailed with an empty SaslResponse body (token length -1), then the connection closes while the
 *       session lives on (the client can come back with its id and password); with
 *       zookeeper.allowSaslFailedClients the failure is answered OK and the connection stays;</li>
 *   <li>sessionRequireClientSASLAuth and enforce.auth.*: a connection without an identity of an enforced
 *       scheme gets SessionClosedRequireSaslAuth (zxid 0, no body) for its first request and is closed; a
 *       failed exchange is answered SessionClosedRequireSaslAuth too;</li>
 *   <li>sasl ACL ids must read as Kerberos principals.</li>
 * </ul>
 */
public abstract class SaslScenarios extends CompatTestBase {
    private static final String PROTOCOL = "zookeeper";
    private static final String SERVER_NAME = "zk-sasl-md5";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private Jaas jaas;

    @Override
    protected ServerSettings settings() {
        try {
            jaas = Jaas.write(Map.of("bob", "bob-secret", "carol", "carol-secret"),
                    Map.of("bob", "bob:bob-secret", "carol", "carol:carol-secret", "mallory", "bob:wrong"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jaas.saslServer(ServerSettings.defaults());
    }

    /** A Java client that logs in with the JAAS client section of {@code who}. */
    private ZooKeeper saslClient(String connectString, String who, Events events) throws IOException {
        ZKClientConfig cc = new ZKClientConfig();
        cc.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
        cc.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, Jaas.clientSection(who));
        // The 3.9 client refuses DIGEST-MD5 in FIPS mode, its default.
        cc.setProperty("zookeeper.fips-mode", "false");
        return track(new ZooKeeper(connectString, SESSION_TIMEOUT_MS, events, cc));
    }

    private ZooKeeper authenticated(String who) throws Exception {
        Events events = new Events();
        ZooKeeper zk = saslClient(server.connectString(), who, events);
        events.awaitState(KeeperState.SaslAuthenticated);
        return zk;
    }

    private static SaslClient digestMd5(String user, String password) throws SaslException {
        return Sasl.createSaslClient(new String[] {"DIGEST-MD5"}, null, PROTOCOL, SERVER_NAME, null, callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback nc) {
                    nc.setName(user);
                } else if (c instanceof PasswordCallback pc) {
                    pc.setPassword(password.toCharArray());
                } else if (c instanceof RealmCallback rc) {
                    rc.setText(rc.getDefaultText());
                }
            }
        });
    }

    private static RawClient.Reply sasl(RawClient c, byte[] token) throws IOException {
        return c.call(OpCode.sasl, new GetSASLRequest(token));
    }

    private static byte[] tokenOf(RawClient.Reply r) throws IOException {
        return r.as(new SetSASLResponse()).getToken();
    }

    @Test
    void loggedInClientHoldsItsSaslIdentity() throws Exception {
        ZooKeeper bob = authenticated("bob");
        assertThat(bob.whoAmI()).contains(new ClientInfo("sasl", "bob"));
        String p = base + "/bob-only";
        bob.create(p, "b".getBytes(), Arrays.asList(new ACL(Perms.ALL, new Id("sasl", "bob"))), CreateMode.PERSISTENT);
        assertThat(bob.getData(p, false, null)).isEqualTo("b".getBytes());

        ZooKeeper anonymous = connect();
        assertThat(codeOf(() -> anonymous.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        ZooKeeper carol = authenticated("carol");
        assertThat(codeOf(() -> carol.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> carol.setData(p, null, -1))).isEqualTo(Code.NOAUTH);

        bob.create(p + "2", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(bob.getACL(p + "2", new Stat())).containsExactly(new ACL(Perms.ALL, new Id("sasl", "bob")));
    }

    @Test
    void saslAclIdsMustBePrincipals() throws Exception {
        ZooKeeper zk = connect();
        for (String id : List.of("alice", "alice@EXAMPLE.COM", "zk/host.example.com@EXAMPLE.COM", "")) {
            String p = base + "/ok-" + Math.abs(id.hashCode());
            zk.create(p, null, Arrays.asList(new ACL(Perms.ALL, new Id("sasl", id)),
                    new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
            assertThat(zk.getACL(p, new Stat())).contains(new ACL(Perms.ALL, new Id("sasl", id)));
        }
        for (String id : List.of("a@b@c", "a/b/c@R", "a/b")) {
            assertThat(codeOf(() -> zk.create(base + "/bad", null, Arrays.asList(new ACL(Perms.ALL, new Id("sasl", id))),
                    CreateMode.PERSISTENT))).as(id).isEqualTo(id.equals("a/b") ? null : Code.INVALIDACL);
        }
    }

    @Test
    void exchangeOnTheWire() throws Exception {
        try (RawClient c = RawClient.session(server.clientPort(), 10_000)) {
            SaslClient client = digestMd5("bob", "bob-secret");
            RawClient.Reply challenge = sasl(c, new byte[0]);
            assertThat(challenge.err()).isZero();
            assertThat(challenge.header().getZxid()).isZero();
            RawClient.Reply done = sasl(c, client.evaluateChallenge(tokenOf(challenge)));
            assertThat(done.err()).isZero();
            assertThat(done.header().getZxid()).isZero();
            client.evaluateChallenge(tokenOf(done));
            assertThat(client.isComplete()).isTrue();
            RawClient.Reply data = c.call(OpCode.getData, new GetDataRequest(base, false));
            assertThat(data.err()).isZero();
        }
    }

    @Test
    void wrongPasswordIsAuthFailedAndClosesTheConnectionNotTheSession() throws Exception {
        ConnectResponse session;
        try (RawClient c = RawClient.open(server.clientPort())) {
            session = c.handshake(10_000);
            SaslClient client = digestMd5("bob", "wrong");
            RawClient.Reply challenge = sasl(c, new byte[0]);
            RawClient.Reply refused = sasl(c, client.evaluateChallenge(tokenOf(challenge)));
            assertThat(refused.err()).isEqualTo(Code.AUTHFAILED.intValue());
            assertThat(refused.header().getZxid()).isZero();
            assertThat(refused.body()).containsExactly(0xff, 0xff, 0xff, 0xff);
            assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
        }
        try (RawClient again = RawClient.open(server.clientPort())) {
            again.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, 10_000, session.getSessionId(),
                    session.getPasswd(), false)));
            assertThat(again.readConnectResponse().getTimeOut()).as("the session survives").isPositive();
        }
        Events events = new Events();
        saslClient(server.connectString(), "mallory", events);
        events.awaitState(KeeperState.AuthFailed);
    }

    @Test
    void allowSaslFailedClientsKeepsTheConnection() throws Exception {
        try (ServerUnderTest s = target().start(jaas.saslServer(ServerSettings.defaults())
                .systemProperty("zookeeper.allowSaslFailedClients", "true"));
             RawClient c = RawClient.session(s.clientPort(), 10_000)) {
            SaslClient client = digestMd5("bob", "wrong");
            RawClient.Reply challenge = sasl(c, new byte[0]);
            RawClient.Reply kept = sasl(c, client.evaluateChallenge(tokenOf(challenge)));
            assertThat(kept.err()).isZero();
            assertThat(tokenOf(kept)).isNull();
            assertThat(c.call(OpCode.exists, new GetDataRequest("/", false)).err()).isZero();
        }
    }

    @Test
    void sessionRequireClientSaslAuth() throws Exception {
        try (ServerUnderTest s = target().start(jaas.saslServer(ServerSettings.defaults())
                .systemProperty("zookeeper.sessionRequireClientSASLAuth", "true"))) {
            try (RawClient c = RawClient.session(s.clientPort(), 10_000)) {
                RawClient.Reply refused = c.call(OpCode.exists, new GetDataRequest("/", false));
                assertThat(refused.err()).isEqualTo(Code.SESSIONCLOSEDREQUIRESASLAUTH.intValue());
                assertThat(refused.header().getZxid()).isZero();
                assertThat(refused.body()).isEmpty();
                assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
            }
            try (RawClient c = RawClient.session(s.clientPort(), 10_000)) {
                SaslClient client = digestMd5("carol", "wrong");
                RawClient.Reply refused = sasl(c, client.evaluateChallenge(tokenOf(sasl(c, new byte[0]))));
                assertThat(refused.err()).isEqualTo(Code.SESSIONCLOSEDREQUIRESASLAUTH.intValue());
                assertThat(refused.body()).containsExactly(0xff, 0xff, 0xff, 0xff);
                assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
            }
            Events events = new Events();
            ZooKeeper carol = saslClient(s.connectString(), "carol", events);
            events.awaitState(KeeperState.SaslAuthenticated);
            carol.create("/carol", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(carol.exists("/carol", false)).isNotNull();
        }
    }

    @Test
    void enforcedDigestScheme() throws Exception {
        try (ServerUnderTest s = target().start(jaas.saslServer(ServerSettings.defaults())
                .systemProperty("zookeeper.enforce.auth.enabled", "true")
                .systemProperty("zookeeper.enforce.auth.schemes", "digest"))) {
            try (RawClient c = RawClient.session(s.clientPort(), 10_000)) {
                assertThat(c.call(OpCode.exists, new GetDataRequest("/", false)).err())
                        .isEqualTo(Code.SESSIONCLOSEDREQUIRESASLAUTH.intValue());
                assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
            }
            ZooKeeper zk = connect(s.connectString(), SESSION_TIMEOUT_MS, new Events());
            zk.addAuthInfo("digest", "dan:pw".getBytes());
            assertThat(zk.exists("/", false)).isNotNull();
        }
    }

    @Test
    void saslSuperUserBypassesAcls() throws Exception {
        try (ServerUnderTest s = target().start(jaas.saslServer(ServerSettings.defaults())
                .systemProperty("zookeeper.superUser", "carol"))) {
            ZooKeeper owner = connect(s.connectString(), SESSION_TIMEOUT_MS, new Events());
            owner.addAuthInfo("digest", "erin:pw".getBytes());
            owner.create("/erin", "e".getBytes(), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            Events events = new Events();
            ZooKeeper carol = saslClient(s.connectString(), "carol", events);
            events.awaitState(KeeperState.SaslAuthenticated);
            assertThat(carol.getData("/erin", false, null)).isEqualTo("e".getBytes());
            assertThat(carol.whoAmI()).contains(new ClientInfo("sasl", "carol"));
        }
    }
}
