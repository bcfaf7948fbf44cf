package dev.paddock.server.storage;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.startAll;
import static dev.paddock.server.ServerTestSupport.config;
import static dev.paddock.server.ServerTestSupport.connect;
import static dev.paddock.server.ServerTestSupport.copyTree;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.serverLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.tree.TreeDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data directories written by the Paddock before one storage engine served every mode (commit 46d260e,
 * fixtures in src/test/resources/upgrade, made by starting that build and writing through the real client)
 * start on this build with the same state: a standalone one (format-1 segments and a snapshot) with the
 * same {@link TreeDigest}, and the three members of an ensemble (replica logs under paddock-1/quorum, now
 * converted) serving every node they held.
 */
class UpgradeTest {
    private static final Path FIXTURES = Path.of("src/test/resources/upgrade");

    @TempDir
    Path dir;

    @Test
    void aStandaloneDataDirectoryOfTheLastReleaseStartsWithTheSameDigest() throws Exception {
        List<String> expected = Files.readAllLines(FIXTURES.resolve("standalone.digest"));
        Path data = dir.resolve("standalone");
        copyTree(FIXTURES.resolve("standalone"), data);
        int port = freePort();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("dataDir", data.toString());
        cfg.put("clientPort", Integer.toString(port));
        cfg.put("clientPortAddress", "127.0.0.1");
        // Started and stopped with no client: nothing new is logged, so the state must be the same bit for bit.
        PaddockServer.start(config(dir, cfg)).close();
        Recovery.Result r = Recovery.recover(data.resolve("paddock-1"), data.resolve("paddock-1"), false, false);
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(expected.get(0));
        assertThat(Long.toHexString(r.lastZxid()) + " " + r.stateMachine().tree().nodeCount())
                .isEqualTo(expected.get(1));
        try (PaddockServer server = PaddockServer.start(config(dir, cfg))) {
            ZooKeeper zk = connect(port);
            assertThat(zk.getChildren("/app", false)).hasSize(499);
            assertThat(new String(zk.getData("/app/n1", false, null), StandardCharsets.UTF_8)).isEqualTo("changed-1");
            assertThat(zk.getData("/app/n14", false, null)).isNull();
            zk.close();
        }
    }

    @Test
    void theMembersOfAnEnsembleOfTheLastReleaseConvertTheirLogsAndServeEveryNode() throws Exception {
        Map<String, String> manifest = new TreeMap<>();
        for (String line : Files.readAllLines(FIXTURES.resolve("ensemble.manifest"))) {
            int eq = line.indexOf('=');
            manifest.put(line.substring(0, eq), line.substring(eq + 1));
        }
        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        List<String> lines = serverLines(clientPorts);
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            Path data = dir.resolve("member" + id);
            copyTree(FIXTURES.resolve("member" + id), data);
            configs.add(memberConfig(data, id, lines, Map.of()));
        }
        PaddockServer[] servers = startAll(configs);
        try {
            for (int id = 1; id <= 3; id++) {
                awaitMode(clientPorts[id], "leader|follower");
            }
            for (int id = 1; id <= 3; id++) {
                assertThat(dir.resolve("member" + id).resolve("paddock-1/quorum.converted/replica.log")).exists();
                ZooKeeper zk = connect(clientPorts[id]);
                zk.sync("/", (rc, path, ctx) -> { }, null);
                Map<String, String> found = new TreeMap<>();
                for (String child : zk.getChildren("/app", false)) {
                    byte[] d = zk.getData("/app/" + child, false, null);
                    found.put(child, d == null ? "<null>" : new String(d, StandardCharsets.UTF_8));
                }
                assertThat(found).as("member %d", id).isEqualTo(manifest);
                zk.close();
            }
        } finally {
            closeAll(servers);
        }
    }
}
