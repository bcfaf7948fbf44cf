package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.Jaas;
import dev.paddock.compat.harness.Kdc;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * SASL with Kerberos (GSSAPI) on the client port, configured as ZooKeeper's documentation shows: a KDC
 * (Apache Kerby, in process), a JAAS "Server" section logging the service principal
 * {@code zookeeper/localhost} in from its keytab with Krb5LoginModule, the SASL authentication provider,
 * and clients logging in from their own keytabs. Pins the identity a Kerberos client gets (the principal,
 * with host and realm kept or removed by {@code zookeeper.kerberos.removeHostFromPrincipal} /
 * {@code removeRealmFromPrincipal}), that sasl ACLs on it hold against everyone else, and that a
 * {@code zookeeper.superUser} given as that identity bypasses ACLs.
 */
public abstract class KerberosScenarios extends CompatTestBase {
    private static final String SERVICE = "zookeeper/localhost";

    private Kdc kdc;
    private Jaas jaas;

    @Override
    protected ServerSettings settings() {
        try {
            kdc = Kdc.start();
            kdc.principal(SERVICE);
            kdc.principal("alice");
            kdc.principal("bob");
            kdc.principal("svc/localhost");
            jaas = Jaas.of(kdc.jaasSection("Server", SERVICE), kdc.jaasSection("Client_alice", "alice"),
                    kdc.jaasSection("Client_bob", "bob"), kdc.jaasSection("Client_svc", "svc/localhost"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jaas.saslServer(ServerSettings.defaults());
    }

    @AfterAll
    void stopKdc() throws IOException {
        if (kdc != null) {
            kdc.close();
        }
    }

    private ZooKeeper kerberosClient(ServerUnderTest s, String section) throws Exception {
        ZKClientConfig cc = new ZKClientConfig();
        cc.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
        cc.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section);
        cc.setProperty(ZKClientConfig.ZK_SASL_CLIENT_USERNAME, "zookeeper");
        cc.setProperty(ZKClientConfig.ZOOKEEPER_SERVER_PRINCIPAL, SERVICE + "@" + Kdc.REALM);
        Events events = new Events();
        ZooKeeper zk = track(new ZooKeeper(s.connectString(), SESSION_TIMEOUT_MS, events, cc));
        events.awaitState(KeeperState.SaslAuthenticated);
        return zk;
    }

    @Test
    void kerberosClientHoldsItsPrincipal() throws Exception {
        ZooKeeper alice = kerberosClient(server, "Client_alice");
        String aliceId = "alice@" + Kdc.REALM;
        assertThat(alice.whoAmI()).contains(new ClientInfo("sasl", aliceId));
        String p = base + "/alice-only";
        alice.create(p, "a".getBytes(), new ArrayList<>(List.of(new ACL(Perms.ALL, new Id("sasl", aliceId)))), CreateMode.PERSISTENT);
        assertThat(alice.getData(p, false, null)).isEqualTo("a".getBytes());
        alice.create(p + "2", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertThat(alice.getACL(p + "2", new Stat())).containsExactly(new ACL(Perms.ALL, new Id("sasl", aliceId)));

        ZooKeeper bob = kerberosClient(server, "Client_bob");
        assertThat(codeOf(() -> bob.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        ZooKeeper anonymous = connect();
        assertThat(codeOf(() -> anonymous.setData(p, null, -1))).isEqualTo(Code.NOAUTH);
    }

    @Test
    void serviceHostPrincipalKeepsHostAndRealmByDefault() throws Exception {
        ZooKeeper svc = kerberosClient(server, "Client_svc");
        assertThat(svc.whoAmI()).contains(new ClientInfo("sasl", "svc/localhost@" + Kdc.REALM));
    }

    @Test
    void hostAndRealmRemovedAndSuperUser() throws Exception {
        try (ServerUnderTest s = target().start(jaas.saslServer(ServerSettings.defaults())
                .systemProperty("zookeeper.kerberos.removeHostFromPrincipal", "true")
                .systemProperty("zookeeper.kerberos.removeRealmFromPrincipal", "true")
                .systemProperty("zookeeper.superUser", "svc"))) {
            ZooKeeper alice = kerberosClient(s, "Client_alice");
            assertThat(alice.whoAmI()).contains(new ClientInfo("sasl", "alice"));
            alice.create("/kerberos-private", "x".getBytes(), new ArrayList<>(List.of(new ACL(Perms.ALL, new Id("sasl", "alice")))),
                    CreateMode.PERSISTENT);
            ZooKeeper bob = kerberosClient(s, "Client_bob");
            assertThat(codeOf(() -> bob.getData("/kerberos-private", false, null))).isEqualTo(Code.NOAUTH);
            ZooKeeper svc = kerberosClient(s, "Client_svc");
            assertThat(svc.whoAmI()).contains(new ClientInfo("sasl", "svc"));
            assertThat(svc.getData("/kerberos-private", false, null)).as("the super user reads").isEqualTo("x".getBytes());
        }
    }
}
