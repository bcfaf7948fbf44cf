package dev.paddock.server.quorum.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum SASL (DIGEST-MD5) between in-process members, configured with ZooKeeper's keys and JAAS sections: the
 * handshake is Paddock's own (its members speak Paddock's protocol), the outcomes are ZooKeeper's. A learner
 * with a wrong password, or one that does not authenticate while the others require it, stays out while the
 * others serve; the rolling upgrade ZooKeeper documents (enableSasl everywhere, then learnerRequireSasl, then
 * serverRequireSasl, one member restarted at a time) keeps the ensemble serving at every step.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QuorumSaslTest {
    private static final String DIGEST = "org.apache.zookeeper.server.auth.DigestLoginModule";
    /** How long a member that must stay out is watched: many election rounds and join attempts at tickTime 100. */
    private static final long STAYS_OUT_MS = 3_000;

    @TempDir
    Path dir;

    private Configuration previous;
    private final int[] clientPorts = new int[4];
    private List<String> lines;
    private final PaddockServer[] servers = new PaddockServer[4];
    private final List<ZooKeeper> clients = new ArrayList<>();

    @BeforeEach
    void jaas() {
        previous = Configuration.getConfiguration();
        Map<String, AppConfigurationEntry[]> sections = Map.of(
                "QuorumServer", section(Map.of("user_learner", "s3cret")),
                "QuorumLearner", section(Map.of("username", "learner", "password", "s3cret")),
                "QuorumLearnerWrong", section(Map.of("username", "learner", "password", "wrong")));
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return sections.get(name);
            }
        });
        for (int id = 1; id <= 3; id++) {
            clientPorts[id] = ServerTestSupport.freePort();
        }
        lines = ServerTestSupport.serverLines(clientPorts);
    }

    private static AppConfigurationEntry[] section(Map<String, String> options) {
        return new AppConfigurationEntry[] {new AppConfigurationEntry(DIGEST,
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ZooKeeper zk : clients) {
            zk.close();
        }
        ServerTestSupport.closeAll(servers);
        Configuration.setConfiguration(previous);
    }

    /** zoo.cfg keys of a SASL stage: 0 none, 1 enableSasl, 2 and learnerRequireSasl, 3 and serverRequireSasl. */
    private static Map<String, String> stage(int stage) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (stage >= 1) {
            keys.put("quorum.auth.enableSasl", "true");
        }
        if (stage >= 2) {
            keys.put("quorum.auth.learnerRequireSasl", "true");
        }
        if (stage >= 3) {
            keys.put("quorum.auth.serverRequireSasl", "true");
        }
        return keys;
    }

    private ServerConfig config(int id, Map<String, String> keys) throws Exception {
        return ServerTestSupport.memberConfig(dir.resolve("m" + id), id, lines, keys);
    }

    private void startAll(Map<Integer, Map<String, String>> keys) throws Exception {
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            configs.add(config(id, keys.get(id)));
        }
        PaddockServer[] started = ServerTestSupport.startAll(configs);
        System.arraycopy(started, 0, servers, 1, 3);
    }

    private void restart(int id, Map<String, String> keys) throws Exception {
        servers[id].close();
        servers[id] = null;
        servers[id] = PaddockServer.start(config(id, keys));
    }

    private boolean serving(int id) {
        return FourLetterWordProbe.send(clientPorts[id], "srvr").matches("(?s).*Mode: (leader|follower)\\n.*");
    }

    /** A write through member {@code via}, then read back after sync on each of {@code on}. */
    private void writeAndReadOn(String path, int via, int... on) throws Exception {
        for (int id : on) {
            ServerTestSupport.awaitMode(clientPorts[id], "leader|follower");
        }
        ZooKeeper writer = client(via);
        writer.create(path, path.getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int id : on) {
            ZooKeeper reader = client(id);
            java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
            reader.sync("/", (rc, p, ctx) -> synced.countDown(), null);
            assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(reader.getData(path, false, null)).as("read on member " + id).isEqualTo(path.getBytes());
        }
    }

    private ZooKeeper client(int id) throws Exception {
        ZooKeeper zk = ServerTestSupport.connect(clientPorts[id]);
        clients.add(zk);
        return zk;
    }

    /** Watches member {@code id} for a while: it must never serve (it is refused by the others). */
    private void assertStaysOut(int id) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STAYS_OUT_MS);
        while (System.nanoTime() < until) {
            assertThat(serving(id)).as("member " + id + " serving").isFalse();
            LockSupport.parkNanos(100_000_000);
        }
    }

    @Test
    void membersThatRequireSaslFormAnEnsemble() throws Exception {
        startAll(Map.of(1, stage(3), 2, stage(3), 3, stage(3)));
        writeAndReadOn("/sasl", 1, 1, 2, 3);
    }

    @Test
    void aLearnerWithAWrongPasswordStaysOutAndTheOthersServe() throws Exception {
        Map<String, String> wrong = new LinkedHashMap<>(stage(3));
        wrong.put("quorum.auth.learner.saslLoginContext", "QuorumLearnerWrong");
        startAll(Map.of(1, stage(3), 2, stage(3), 3, wrong));
        writeAndReadOn("/two", 1, 1, 2);
        assertStaysOut(3);
        // The same member with the right credentials joins and catches up.
        restart(3, stage(3));
        writeAndReadOn("/three", 2, 1, 2, 3);
        assertThat(client(3).getData("/two", false, null)).isEqualTo("/two".getBytes());
    }

    @Test
    void aLearnerThatDoesNotAuthenticateIsRefusedWhereServersRequireIt() throws Exception {
        startAll(Map.of(1, stage(3), 2, stage(3), 3, stage(1)));
        writeAndReadOn("/two", 2, 1, 2);
        assertStaysOut(3);
    }

    @Test
    void theRollingUpgradeKeepsServing() throws Exception {
        startAll(Map.of(1, stage(0), 2, stage(0), 3, stage(0)));
        writeAndReadOn("/s0", 1, 1, 2, 3);
        for (int stage = 1; stage <= 3; stage++) {
            for (int id = 1; id <= 3; id++) {
                restart(id, stage(stage));
                int via = id % 3 + 1;
                writeAndReadOn("/s" + stage + "m" + id, via, 1, 2, 3);
            }
        }
    }

    @Test
    void missingSectionsAndInconsistentKeysStopTheStart() throws Exception {
        Map<String, String> missing = new LinkedHashMap<>(stage(1));
        missing.put("quorum.auth.server.saslLoginContext", "NoSuchSection");
        assertThatThrownBy(() -> PaddockServer.start(config(1, missing))).isInstanceOf(IOException.class)
                .hasMessageContaining("'NoSuchSection' could not be found");
        assertThatThrownBy(() -> PaddockServer.start(config(1, Map.of("quorum.auth.serverRequireSasl", "true"))))
                .hasMessageContaining("quorum.auth.enableSasl is disabled, so cannot enable "
                        + "quorum.auth.serverRequireSasl");
        assertThatThrownBy(() -> PaddockServer.start(config(1, Map.of("quorum.auth.enableSasl", "true",
                "quorum.auth.serverRequireSasl", "true"))))
                .hasMessageContaining("quorum.auth.learnerRequireSasl is disabled");
        assertThatThrownBy(() -> PaddockServer.start(config(1, Map.of("quorum.auth.enableSasl", "yes"))))
                .hasMessageContaining("Invalid option yes for quorum.auth.enableSasl. Choose 'true' or 'false.'");
    }
}
