package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.TestCertificates;
import dev.paddock.compat.harness.TestCertificates.Identity;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.proto.ConnectRequest;
import org.junit.jupiter.api.Test;

/**
 * TLS on the client port, configured as an operator configures ZooKeeper 3.9.5: {@code secureClientPort},
 * {@code serverCnxnFactory}, the {@code zookeeper.ssl.*} stores (types from the file names: PKCS12 key
 * store and PEM trust store here, JKS in one scenario), {@code ssl.clientAuth}, {@code client.portUnification},
 * {@code ssl.enabledProtocols}; certificates made by the test. Pins:
 * <ul>
 *   <li>the Java client with zookeeper.client.secure and ClientCnxnSocketNetty works over TLS and is known
 *       as x509:&lt;subject DN&gt; (whoAmI, x509 ACLs, which a plaintext client cannot pass);</li>
 *   <li>a client certificate from another CA, an expired one, or none (clientAuth need) gets no session, and
 *       nothing else is affected; with clientAuth want a client without a certificate is served without an
 *       x509 identity;</li>
 *   <li>with client.portUnification the client port takes TLS and plaintext clients (the server's key
 *       store a PEM file with an encrypted key here);</li>
 *   <li>a server key store replaced on disk is used for new connections at once, open ones stay;</li>
 *   <li>client certificates' host names are not checked by default; ssl.clientHostnameVerification refuses every
 *       one in ZooKeeper's default fips-mode and checks them against loopback without it;</li>
 *   <li>ssl.enabledProtocols=TLSv1.2 refuses a client that speaks only TLSv1.3; ssl.ciphersuites refuses a
 *       client that offers only other suites.</li>
 * </ul>
 */
public abstract class TlsScenarios extends CompatTestBase {
    /** Alice's subject as X500Principal.getName() writes it (BouncyCastle keeps the RDNs as given). */
    private static String aliceDn;
    private static final String NETTY_FACTORY = "org.apache.zookeeper.server.NettyServerCnxnFactory";

    private TestCertificates certs;
    private Identity ca;
    private Path serverKeys;
    private Path caTrust;
    private Path aliceKeys;
    private int securePort;

    @Override
    protected ServerSettings settings() {
        try {
            certs = new TestCertificates(Files.createTempDirectory("security-tls"));
            ca = certs.authority("Paddock Test CA");
            serverKeys = certs.keyStore("server.p12", certs.leaf("CN=server", ca));
            caTrust = certs.trustStore("ca.pem", ca.certificate());
            Identity a = certs.leaf("CN=alice,O=Paddock", ca);
            aliceDn = a.certificate().getSubjectX500Principal().getName();
            aliceKeys = certs.keyStore("alice.p12", a);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        securePort = freePort();
        return tls(ServerSettings.defaults(), serverKeys, caTrust).zooCfg("secureClientPort", Integer.toString(securePort));
    }

    private static ServerSettings tls(ServerSettings s, Path keys, Path trust) {
        return s.systemProperty("zookeeper.serverCnxnFactory", NETTY_FACTORY)
                .systemProperty("zookeeper.authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider")
                .systemProperty("zookeeper.ssl.keyStore.location", keys.toString())
                .systemProperty("zookeeper.ssl.keyStore.password", TestCertificates.PASSWORD)
                .systemProperty("zookeeper.ssl.trustStore.location", trust.toString())
                .systemProperty("zookeeper.ssl.trustStore.password", TestCertificates.PASSWORD);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Java client over TLS to the port, with a key store (or none) and the test CA as trust. */
    private ZooKeeper tlsClient(int port, Path keyStore) throws Exception {
        ZKClientConfig cc = new ZKClientConfig();
        cc.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        cc.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        // The client config starts from the system properties, which hold the server's key store here.
        cc.setProperty("zookeeper.ssl.keyStore.location", keyStore == null ? "" : keyStore.toString());
        cc.setProperty("zookeeper.ssl.keyStore.password", TestCertificates.PASSWORD);
        cc.setProperty("zookeeper.ssl.trustStore.location", caTrust.toString());
        cc.setProperty("zookeeper.ssl.trustStore.password", TestCertificates.PASSWORD);
        Events events = new Events();
        ZooKeeper zk = track(new ZooKeeper("127.0.0.1:" + port, SESSION_TIMEOUT_MS, events, cc));
        events.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected);
        return zk;
    }

    @Test
    void javaClientOverTlsIsKnownByItsCertificate() throws Exception {
        ZooKeeper alice = tlsClient(securePort, aliceKeys);
        assertThat(alice.whoAmI()).contains(new ClientInfo("x509", aliceDn));
        String p = base + "/alice";
        alice.create(p, "a".getBytes(), Arrays.asList(new ACL(Perms.ALL, new Id("x509", aliceDn))), CreateMode.PERSISTENT);
        assertThat(alice.getData(p, false, null)).isEqualTo("a".getBytes());
        ZooKeeper plain = connect();
        assertThat(codeOf(() -> plain.getData(p, false, null))).isEqualTo(Code.NOAUTH);
        assertThat(codeOf(() -> plain.create(base + "/bad", null,
                Arrays.asList(new ACL(Perms.ALL, new Id("x509", "not a DN"))), CreateMode.PERSISTENT)))
                .isEqualTo(Code.INVALIDACL);
    }

    @Test
    void refusedCertificatesCostNothingElse() throws Exception {
        ZooKeeper alice = tlsClient(securePort, aliceKeys);
        Identity otherCa = certs.authority("Other CA");
        Path wrongCa = certs.keyStore("mallory.p12", certs.leaf("CN=mallory", otherCa));
        Path expired = certs.keyStore("expired.pem", certs.leaf("CN=expired", ca,
                Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))));
        assertThat(served(securePort, wrongCa, "TLSv1.3")).as("a certificate from another CA").isFalse();
        assertThat(served(securePort, expired, "TLSv1.3")).as("an expired certificate").isFalse();
        assertThat(served(securePort, null, "TLSv1.3")).as("no certificate, clientAuth need").isFalse();
        assertThat(served(securePort, aliceKeys, "TLSv1.3")).as("alice").isTrue();
        alice.create(base + "/still", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(alice.exists(base + "/still", false)).isNotNull();
    }

    @Test
    void wantClientAuthWithJksStores() throws Exception {
        Path keys = certs.keyStore("server.jks", certs.leaf("CN=server", ca));
        Path trust = certs.trustStore("trust.jks", ca.certificate());
        int port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), keys, trust)
                .systemProperty("zookeeper.ssl.clientAuth", "want")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            ZooKeeper anonymous = tlsClient(port, null);
            assertThat(anonymous.whoAmI()).extracting(ClientInfo::getAuthScheme).doesNotContain("x509");
            ZooKeeper alice = tlsClient(port, aliceKeys);
            assertThat(alice.whoAmI()).contains(new ClientInfo("x509", aliceDn));
        }
    }

    @Test
    void portUnificationTakesBothOnTheClientPort() throws Exception {
        // With a key store password ZooKeeper reads a PEM key as encrypted with it.
        Path pemKeys = certs.encryptedPemKeyStore("server.pem", certs.leaf("CN=server", ca));
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), pemKeys, caTrust)
                .systemProperty("zookeeper.client.portUnification", "true"))) {
            ZooKeeper alice = tlsClient(s.clientPort(), aliceKeys);
            assertThat(alice.whoAmI()).contains(new ClientInfo("x509", aliceDn));
            ZooKeeper plain = connect(s.connectString(), SESSION_TIMEOUT_MS, new Events());
            plain.create("/both", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(alice.exists("/both", false)).isNotNull();
        }
    }

    @Test
    void enabledProtocolsAreHonoured() throws Exception {
        int port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), serverKeys, caTrust)
                .systemProperty("zookeeper.ssl.enabledProtocols", "TLSv1.2")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            assertThat(served(port, aliceKeys, "TLSv1.3")).as("TLSv1.3 only").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.2")).as("TLSv1.2").isTrue();
        }
    }

    @Test
    void cipherSuitesAreHonoured() throws Exception {
        int port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), serverKeys, caTrust)
                .systemProperty("zookeeper.ssl.ciphersuites", "TLS_AES_128_GCM_SHA256")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            assertThat(served(port, aliceKeys, "TLSv1.3", "TLS_AES_256_GCM_SHA384")).as("another suite").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.3", "TLS_AES_128_GCM_SHA256")).as("the suite").isTrue();
        }
    }

    /**
     * {@code ssl.sslProvider=OPENSSL}: BoringSSL (netty-tcnative) does the TLS on the client port; the clients see
     * the same server: certificate identities, refusals, protocol and suite limits (given by their JDK names).
     */
    @Test
    void openSslProviderServesTheSameClients() throws Exception {
        int port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), serverKeys, caTrust)
                .systemProperty("zookeeper.ssl.sslProvider", "OPENSSL")
                .systemProperty("zookeeper.ssl.enabledProtocols", "TLSv1.2")
                .systemProperty("zookeeper.ssl.ciphersuites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
                        + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            ZooKeeper alice = tlsClient(port, aliceKeys);
            assertThat(alice.whoAmI()).contains(new ClientInfo("x509", aliceDn));
            alice.create("/openssl", "o".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(alice.getData("/openssl", false, null)).isEqualTo("o".getBytes());
            Identity otherCa = certs.authority("Other CA");
            Path wrongCa = certs.keyStore("mallory-openssl.p12", certs.leaf("CN=mallory", otherCa));
            assertThat(served(port, wrongCa, "TLSv1.2")).as("a certificate from another CA").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.3")).as("TLSv1.3 only").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"))
                    .as("another suite").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.2")).as("alice, TLSv1.2").isTrue();
        }
    }

    /**
     * Certificate reload: new connections get the key store's file as it is now (ZooKeeper's Netty factory builds
     * a context per connection), so a server certificate replaced on disk (atomically, as tools rotate them) is
     * presented to the next client without a restart, while an open session keeps its connection.
     */
    @Test
    void aReplacedServerCertificateServesNewConnectionsAndOpenOnesStay() throws Exception {
        Path keys = certs.keyStore("rotating.p12", certs.leaf("CN=server", ca));
        int port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), keys, caTrust)
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            ZooKeeper alice = tlsClient(port, aliceKeys);
            long session = alice.getSessionId();
            Identity rotatedCa = certs.authority("Rotated CA");
            Path rotatedTrust = certs.trustStore("rotated-ca.pem", rotatedCa.certificate());
            Path next = certs.keyStore("rotated.p12", certs.leaf("CN=server", rotatedCa));
            Files.move(next, keys, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertThat(served(port, aliceKeys, "TLSv1.3", null, rotatedTrust)).as("trusting the new CA").isTrue();
            assertThat(served(port, aliceKeys, "TLSv1.3", null, caTrust)).as("trusting only the old CA").isFalse();
            alice.create("/after-rotation", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(alice.getSessionId()).isEqualTo(session);
            assertThat(alice.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
        }
    }

    /** ZooKeeper's client port does not check client certificates against the client's host by default. */
    @Test
    void aClientCertificateNeedNotNameTheClientsHostByDefault() throws Exception {
        Path noHost = certs.keyStore("nohost.p12", certs.leafWithoutHosts("CN=nohost", ca));
        assertThat(served(securePort, noHost, "TLSv1.3")).isTrue();
    }

    /**
     * {@code ssl.clientHostnameVerification=true} as ZooKeeper 3.9.5 applies it on the client port: in its default
     * {@code zookeeper.fips-mode} the JDK's endpoint identification runs on an engine that has no peer host, so
     * every client certificate is refused, even one naming 127.0.0.1; with {@code fips-mode=false} its own check
     * compares the certificate with the loopback address (the engine still has no peer host), which alice's names
     * and one naming no host does not; {@code ssl.hostnameVerification=false} turns the check off.
     */
    @Test
    void clientHostnameVerificationAsZooKeeperAppliesIt() throws Exception {
        Path noHost = certs.keyStore("nohost.p12", certs.leafWithoutHosts("CN=nohost", ca));
        int port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), serverKeys, caTrust)
                .systemProperty("zookeeper.ssl.clientHostnameVerification", "true")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            assertThat(served(port, noHost, "TLSv1.3")).as("fips-mode: a certificate naming no host").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.3")).as("fips-mode: alice's, naming 127.0.0.1").isFalse();
        }
        port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), serverKeys, caTrust)
                .systemProperty("zookeeper.ssl.clientHostnameVerification", "true")
                .systemProperty("zookeeper.fips-mode", "false")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            assertThat(served(port, noHost, "TLSv1.3")).as("a certificate naming no host").isFalse();
            assertThat(served(port, aliceKeys, "TLSv1.3")).as("alice's, naming 127.0.0.1").isTrue();
        }
        port = freePort();
        try (ServerUnderTest s = target().start(tls(ServerSettings.defaults(), serverKeys, caTrust)
                .systemProperty("zookeeper.ssl.clientHostnameVerification", "true")
                .systemProperty("zookeeper.ssl.hostnameVerification", "false")
                .zooCfg("secureClientPort", Integer.toString(port)))) {
            assertThat(served(port, noHost, "TLSv1.3")).as("no host checks at all").isTrue();
        }
    }

    /** Whether a raw TLS client with these keys and protocol gets a session (a ConnectResponse). */
    private boolean served(int port, Path keyStore, String protocol) throws Exception {
        return served(port, keyStore, protocol, null);
    }

    private boolean served(int port, Path keyStore, String protocol, String cipherSuite) throws Exception {
        return served(port, keyStore, protocol, cipherSuite, caTrust);
    }

    private boolean served(int port, Path keyStore, String protocol, String cipherSuite, Path trust)
            throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), keyStore.toString().endsWith(".pem") ? new char[0] : TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trust));
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            if (cipherSuite != null) {
                socket.setEnabledCipherSuites(new String[] {cipherSuite});
            }
            socket.startHandshake();
            byte[] connect = RawClient.serialize(null, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false));
            socket.getOutputStream().write(ByteBuffer.allocate(4 + connect.length).putInt(connect.length).put(connect).array());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            int len = new DataInputStream(in).readInt();
            return len > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The test's stores as the JDK reads them (PEM through a PKCS12 copy made here). */
    private KeyStore load(Path store) throws Exception {
        if (store.toString().endsWith(".pem")) {
            return pemAsKeyStore(Files.readString(store));
        }
        KeyStore ks = KeyStore.getInstance(store.toString().endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return ks;
    }

    private static KeyStore pemAsKeyStore(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----").matcher(pem);
        java.security.PrivateKey key = null;
        List<java.security.cert.Certificate> chain = new java.util.ArrayList<>();
        while (m.find()) {
            byte[] der = java.util.Base64.getMimeDecoder().decode(m.group(2));
            if (m.group(1).equals("PRIVATE KEY")) {
                key = java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
            } else {
                chain.add(java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(der)));
            }
        }
        if (key != null) {
            ks.setKeyEntry("key", key, new char[0], chain.toArray(new java.security.cert.Certificate[0]));
        } else {
            for (int i = 0; i < chain.size(); i++) {
                ks.setCertificateEntry("c" + i, chain.get(i));
            }
        }
        return ks;
    }
}
