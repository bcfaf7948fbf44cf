package dev.paddock.server.ensemble;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.startAll;
import static dev.paddock.server.ServerTestSupport.config;
import static dev.paddock.server.ServerTestSupport.connect;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.serverLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper's way to grow from one server to three: stop the standalone server, give its zoo.cfg three
 * {@code server.N} lines and its dataDir a {@code myid}, start it with two empty members. The data stays:
 * the grown server leads (it has the newest history) and the others catch up, by DIFF when its log still
 * starts at zxid 0, by SNAP when snapshots have compacted it (small snapCount).
 */
class GrowInPlaceTest {
    private static final int NODES = 500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "snapCount {0}")
    @ValueSource(ints = {100_000, 60})
    void aStandaloneServerGrownToThreeMembersKeepsEveryNode(int snapCount) throws Exception {
        growAndCheck(snapCount, 0);
    }

    /**
     * The two empty members start first and could form a quorum on their own: they wait for the voter they
     * have not heard (Election's empty-history wait), so the server holding the data still leads.
     */
    @org.junit.jupiter.api.Test
    void theEmptyMembersWaitForTheServerThatHoldsTheData() throws Exception {
        growAndCheck(100_000, 1_000);
    }

    private void growAndCheck(int snapCount, long dataHolderDelayMs) throws Exception {
        Path first = dir.resolve("s1");
        Files.createDirectories(first);
        int standalonePort = freePort();
        Map<String, String> standalone = new LinkedHashMap<>();
        standalone.put("tickTime", "100");
        standalone.put("dataDir", first.toString());
        standalone.put("clientPort", Integer.toString(standalonePort));
        standalone.put("clientPortAddress", "127.0.0.1");
        standalone.put("snapCount", Integer.toString(snapCount));
        try (PaddockServer server = PaddockServer.start(config(first, standalone))) {
            ZooKeeper zk = connect(standalonePort);
            zk.create("/grow", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            CountDownLatch created = new CountDownLatch(NODES);
            AsyncCallback.StringCallback done = (rc, path, ctx, name) -> created.countDown();
            for (int i = 0; i < NODES; i++) {
                zk.create("/grow/n" + i, ("v" + i).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT, done, null);
            }
            assertThat(created.await(60, TimeUnit.SECONDS)).isTrue();
            zk.close();
        }

        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        List<String> lines = serverLines(clientPorts);
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            configs.add(memberConfig(dir.resolve("s" + id), id, lines, Map.of("snapCount", Integer.toString(snapCount))));
        }
        PaddockServer[] servers = new PaddockServer[3];
        if (dataHolderDelayMs > 0) {
            PaddockServer[] empty = startAll(configs.subList(1, 3));
            Thread.sleep(dataHolderDelayMs);
            servers = new PaddockServer[] {startAll(configs.subList(0, 1))[0], empty[0], empty[1]};
        } else {
            servers = startAll(configs);
        }
        try {
            for (int id = 1; id <= 3; id++) {
                awaitMode(clientPorts[id], "leader|follower");
            }
            assertThat(dev.paddock.server.FourLetterWordProbe.send(clientPorts[1], "srvr")).contains("Mode: leader");
            for (int id = 1; id <= 3; id++) {
                ZooKeeper zk = connect(clientPorts[id]);
                CountDownLatch synced = new CountDownLatch(1);
                zk.sync("/", (rc, path, ctx) -> synced.countDown(), null);
                assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(zk.getChildren("/grow", false)).as("member %d", id).hasSize(NODES);
                for (int i = 0; i < NODES; i++) {
                    assertThat(new String(zk.getData("/grow/n" + i, false, null), StandardCharsets.UTF_8))
                            .isEqualTo("v" + i);
                }
                zk.close();
            }
        } finally {
            closeAll(servers);
        }
    }
}
