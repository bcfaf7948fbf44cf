package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import dev.paddock.compat.harness.ProcedureWriter;
import dev.paddock.compat.harness.TestCertificates;
import dev.paddock.compat.harness.TestCertificates.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS between members, configured as an operator configures ZooKeeper 3.9.5 ({@code sslQuorum},
 * {@code ssl.quorum.keyStore.*}/{@code trustStore.*} with the store types taken from the file names,
 * {@code portUnification}), each procedure run against child JVMs of ZooKeeper and of Paddock with the same
 * zoo.cfg lines and the same expectations:
 * <ul>
 *   <li>three members form an ensemble over TLS; a member whose certificate another CA signed is refused by the
 *       others (TLS handshakes fail both ways) and stays out while they serve; given a certificate they trust it
 *       joins and catches up;</li>
 *   <li>with {@code portUnification} members that dial TLS and one that still dials plaintext serve together, and
 *       that one then goes TLS-only;</li>
 *   <li>ZooKeeper's documented rolling upgrade from plaintext to TLS (portUnification everywhere, then sslQuorum,
 *       then portUnification off, one member restarted at a time) keeps the ensemble taking writes throughout,
 *       and every acknowledged write is on every member at the end.</li>
 * </ul>
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS) // child JVMs doing cold TLS handshakes on a shared machine
class QuorumTlsProceduresTest {
    /** How long a refused member is watched: dozens of its connection attempts and election rounds. */
    private static final Duration STAYS_OUT = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    private TestCertificates certs;
    private Identity ca;
    private Path trust;

    private void certificates(Path where) throws Exception {
        java.nio.file.Files.createDirectories(where);
        certs = new TestCertificates(where);
        ca = certs.authority("Paddock Quorum CA");
        trust = certs.trustStore("quorum-ca.pem", ca.certificate());
    }

    /** The quorum TLS lines of a member with this key store (a PEM key store's key is encrypted). */
    private List<String> tls(Path keyStore, boolean sslQuorum, boolean portUnification) {
        List<String> lines = new ArrayList<>();
        if (sslQuorum) {
            lines.add("sslQuorum=true");
        }
        if (portUnification) {
            lines.add("portUnification=true");
        }
        lines.add("ssl.quorum.keyStore.location=" + keyStore);
        lines.add("ssl.quorum.keyStore.password=" + TestCertificates.PASSWORD);
        lines.add("ssl.quorum.trustStore.location=" + trust);
        lines.add("ssl.quorum.trustStore.password=" + TestCertificates.PASSWORD);
        return lines;
    }

    private static List<String> with(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(List.of("maxSessionTimeout=30000"));
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    private Path keyStore(String name) throws Exception {
        Identity member = certs.leaf("CN=" + name.substring(0, name.indexOf('.')), ca);
        return name.endsWith(".pem") ? certs.encryptedPemKeyStore(name, member) : certs.keyStore(name, member);
    }

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void anEnsembleFormsOverTlsAndAMemberWithAnotherCasCertificateStaysOut(boolean paddock) throws Exception {
        certificates(dir.resolve("certs"));
        Path[] keys = {null, keyStore("member1.p12"), keyStore("member2.jks"), keyStore("member3.pem")};
        Identity otherCa = certs.authority("Some Other CA");
        Path stranger = certs.keyStore("stranger3.p12", certs.leaf("CN=member3", otherCa));
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            List<String> servers = m.voters(1, 2, 3);
            m.startStatic(1, with(servers, tls(keys[1], true, false)));
            m.startStatic(2, with(servers, tls(keys[2], true, false)));
            Await.until("a leader among members 1 and 2", Duration.ofSeconds(180),
                    () -> m.mode(1).equals("leader") || m.mode(2).equals("leader"));
            // The stranger starts once the two serve (ZooKeeper's election is slowed for many seconds by a member
            // whose handshakes fail, so it comes last here); they must go on serving.
            m.startStatic(3, with(servers, tls(stranger, true, false)));
            try (ZooKeeper zk = client(m, 1, 2)) {
                zk.create("/over-tls", "written".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            assertRead(m, 1, "/over-tls");
            assertRead(m, 2, "/over-tls");
            // Up (its client port answers) but refused by the others: it never serves.
            Await.until("member 3 up and not serving", Duration.ofSeconds(60),
                    () -> m.fourLetterWordOf(3, "srvr").contains("not currently serving"));
            Await.holdsFor("the member with another CA's certificate stays out", STAYS_OUT,
                    () -> m.fourLetterWordOf(3, "srvr").contains("not currently serving"));
            m.stop(3);
            m.writeConfig(3, with(servers, tls(keys[3], true, false)));
            m.restart(3);
            awaitServing(m, 3);
            assertRead(m, 3, "/over-tls");
            try (ZooKeeper zk = client(m, 3)) {
                zk.create("/via-3", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            assertRead(m, 1, "/via-3");
            assertRead(m, 2, "/via-3");
        }
    }

    /**
     * The middle of the upgrade and its end in one restart: two members dial TLS and take both, one still dials
     * plaintext (port unification everywhere); they form an ensemble. Then that member goes TLS-only.
     */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void portUnificationLetsPlaintextAndTlsMembersServeTogether(boolean paddock) throws Exception {
        certificates(dir.resolve("certs"));
        Path[] keys = {null, keyStore("member1.p12"), keyStore("member2.jks"), keyStore("member3.p12")};
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            List<String> servers = m.voters(1, 2, 3);
            m.startStatic(1, with(servers, tls(keys[1], true, true)));
            m.startStatic(2, with(servers, tls(keys[2], true, true)));
            m.startStatic(3, with(servers, tls(keys[3], false, true)));
            for (int id = 1; id <= 3; id++) {
                awaitServing(m, id);
            }
            try (ZooKeeper zk = client(m, 3)) {
                zk.create("/mixed", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            for (int id = 1; id <= 3; id++) {
                assertRead(m, id, "/mixed");
            }
            m.stop(3);
            m.writeConfig(3, with(servers, tls(keys[3], true, false)));
            m.restart(3);
            awaitServing(m, 3);
            try (ZooKeeper zk = client(m, 3)) {
                zk.create("/tls-only", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            for (int id = 1; id <= 3; id++) {
                assertRead(m, id, "/tls-only");
            }
        }
    }

    /**
     * ZooKeeper's whole documented procedure with a writer throughout (six restarts per server, several minutes on
     * a loaded machine): run with {@code -Dpaddock.longTests=true}.
     */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    @EnabledIfSystemProperty(named = "paddock.longTests", matches = "true")
    void aRollingUpgradeFromPlaintextToTlsKeepsTakingWrites(boolean paddock) throws Exception {
        certificates(dir.resolve("certs"));
        Path[] keys = {null, keyStore("member1.p12"), keyStore("member2.jks"), keyStore("member3.p12")};
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            List<String> servers = m.voters(1, 2, 3);
            for (int id = 1; id <= 3; id++) {
                m.startStatic(id, with(servers, tls(keys[id], false, true)));
            }
            for (int id = 1; id <= 3; id++) {
                awaitServing(m, id);
            }
            try (ProcedureWriter writer = new ProcedureWriter(m.connectString(1, 2, 3))) {
                writer.awaitProgress();
                boolean[][] steps = {{true, true}, {true, false}}; // {sslQuorum, portUnification}
                for (boolean[] step : steps) {
                    for (int id = 1; id <= 3; id++) {
                        m.stop(id);
                        m.writeConfig(id, with(servers, tls(keys[id], step[0], step[1])));
                        m.restart(id);
                        awaitServing(m, id);
                        writer.awaitProgress();
                    }
                }
                writer.stop();
                writer.assertAcknowledgedWritesOn(m, 1, 2, 3);
                writer.assertSessionKeptOn(m, 1, 2, 3);
            }
        }
    }

    /**
     * Waits for member {@code id} to serve. Longer than MemberProcesses' minute: on a loaded machine cold JVMs
     * take many seconds for their first TLS handshakes, and there are a dozen before an ensemble is established.
     */
    private static void awaitServing(MemberProcesses m, int id) {
        Await.until("member " + id + " serving", Duration.ofSeconds(180), () -> m.mode(id).matches("leader|follower"));
    }

    private static ZooKeeper client(MemberProcesses m, int... ids) {
        ZooKeeper zk;
        try {
            zk = new ZooKeeper(m.connectString(ids), 15_000, e -> { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Await.until("connected to " + m.connectString(ids), Duration.ofSeconds(30), () -> zk.getState().isConnected());
        return zk;
    }

    /** The node as member {@code id} has it after a sync. */
    private static void assertRead(MemberProcesses m, int id, String path) throws Exception {
        try (ZooKeeper zk = client(m, id)) {
            java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
            zk.sync("/", (rc, p, ctx) -> synced.countDown(), null);
            assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(zk.exists(path, false)).as(path + " on member " + id).isNotNull();
        }
    }
}
