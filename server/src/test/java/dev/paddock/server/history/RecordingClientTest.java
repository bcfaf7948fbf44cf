package dev.paddock.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording client against a real (standalone) server: each answer becomes the outcome the model uses. */
class RecordingClientTest {
    @TempDir
    Path dir;

    private PaddockServer server;
    private ZooKeeper zk;

    @AfterEach
    void stop() throws InterruptedException {
        if (zk != null) {
            zk.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersBecomeOutcomesAndTheHistoryChecks() throws Exception {
        Properties p = new Properties();
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", "0");
        p.setProperty("clientPortAddress", "127.0.0.1");
        server = PaddockServer.start(ServerConfig.fromProperties(p));
        zk = ServerTestSupport.connect(server.clientPort());
        History h = new History();
        RecordingClient c = new RecordingClient(zk, h, 7);

        assertThat(c.read("/n")).isEqualTo(Outcome.noNode());
        Outcome created = c.create("/n", "a");
        assertThat(created.code()).isEqualTo(Outcome.Code.OK);
        assertThat(created.czxid()).isPositive();
        assertThat(c.create("/n", "b")).isEqualTo(Outcome.nodeExists());
        assertThat(c.cas("/n", 3, "b")).isEqualTo(Outcome.badVersion());
        assertThat(c.cas("/n", 0, "b")).isEqualTo(Outcome.written(1, created.czxid()));
        assertThat(c.write("/n", "\u00ff\u0000")).isEqualTo(Outcome.written(2, created.czxid()));
        assertThat(c.syncedRead("/n")).isEqualTo(Outcome.read("\u00ff\u0000", 2, created.czxid()));
        assertThat(zk.getData("/n", false, null)).containsExactly(0xff, 0);
        assertThat(c.delete("/n", 1)).isEqualTo(Outcome.badVersion());
        assertThat(c.delete("/n", 2)).isEqualTo(Outcome.deleted());
        assertThat(c.syncedRead("/n")).isEqualTo(Outcome.noNode());

        List<RecordedOp> ops = h.ops();
        assertThat(ops).hasSize(10).allSatisfy(o -> {
            assertThat(o.process()).isEqualTo(7);
            assertThat(o.status()).isEqualTo(RecordedOp.Status.OK);
        });
        new HistoryChecker().check(h).assertOk();

        server.close();
        server = null;
        // With the server gone the client cannot know whether a write happened.
        assertThat(c.write("/n", "c")).isNull();
        assertThat(h.ops().get(10).status()).isEqualTo(RecordedOp.Status.UNKNOWN);
    }
}
