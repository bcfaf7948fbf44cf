package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.ServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The AdminServer's restore, as an operator uses it (ZooKeeper's snapshot-and-restore guide): take a snapshot
 * with the snapshot command, change the tree, POST the snapshot to restore, read the old state back with a
 * real client; refused without authentication (401), when disabled (503), and by the rate limit (429) right
 * after a restore. Sessions are the snapshot's: its owner keeps the ephemeral it made before the snapshot,
 * a session made after the snapshot ends. Each server restores what its own snapshot command streamed (ZooKeeper's format there,
 * Paddock's here). After a restart the servers differ on purpose: ZooKeeper's restore swaps its in-memory
 * database only, so its data directory brings back the state from before the restore (its guide says to move
 * the data directory away first); Paddock's restore is durable, so the restored state stays.
 */
abstract class AdminRestoreScenarios extends CompatTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "digest restorer:secret";
    private static final String ROOT = "/restore-demo";
    private static final String ENABLED = "zookeeper.admin.restore.enabled";

    private final int adminPort = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Whether the restored state is what the server serves after a restart. */
    protected abstract boolean restoreSurvivesRestart();

    @Override
    protected ServerSettings settings() {
        String port = Integer.toString(adminPort);
        return ServerSettings.defaults()
                .zooCfg("admin.enableServer", "true")
                .zooCfg("admin.serverAddress", "127.0.0.1")
                .zooCfg("admin.serverPort", port)
                // ZooKeeper copies zoo.cfg's admin keys to these process-wide properties; restored at close.
                .systemProperty("zookeeper.admin.enableServer", "true")
                .systemProperty("zookeeper.admin.serverPort", port)
                .systemProperty("zookeeper.admin.serverAddress", "127.0.0.1");
    }

    @Override
    protected boolean createBaseNode() {
        return false;
    }

    @Test
    void snapshotChangeRestoreReadRestart() throws Exception {
        ZooKeeper zk = connect();
        zk.create(ROOT, "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (String child : List.of("a", "b")) {
            zk.create(ROOT + "/" + child, child.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
        }
        zk.create(ROOT + "/owned", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        HttpResponse<byte[]> snapshot = http.send(request("/snapshot", AUTH).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(snapshot.statusCode()).isEqualTo(200);
        long snapshotZxid = Long.decode(snapshot.headers().firstValue("last_zxid").orElseThrow());
        byte[] taken = snapshot.body();
        assertThat((long) taken.length).isEqualTo(
                Long.parseLong(snapshot.headers().firstValue("snapshot_size").orElseThrow()));

        ZooKeeper late = connect();
        zk.setData(ROOT, "v2".getBytes(StandardCharsets.UTF_8), -1);
        zk.delete(ROOT + "/b", -1);
        zk.create(ROOT + "/c", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(restore(taken, null).statusCode()).as("no Authorization header").isEqualTo(401);
        System.setProperty(ENABLED, "false");
        try {
            HttpResponse<String> disabled = restore(taken, AUTH);
            assertThat(disabled.statusCode()).as("restore disabled").isEqualTo(503);
            assertThat(json(disabled).get("command").asText()).isEqualTo("restore");
        } finally {
            System.clearProperty(ENABLED);
        }
        assertThat(state(zk)).as("refused restores change nothing").isEqualTo(List.of("v2", "[a, c, owned]"));

        HttpResponse<String> restored = restore(taken, AUTH);
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        JsonNode answer = json(restored);
        assertThat(answer.get("command").asText()).isEqualTo("restore");
        assertThat(answer.get("error").isNull()).isTrue();
        assertThat(answer.get("last_zxid").isIntegralNumber()).isTrue();
        assertThat(answer.get("last_zxid").asLong()).isGreaterThanOrEqualTo(snapshotZxid);

        // A session the snapshot does not hold is over. ZooKeeper answers its next request SessionExpired or
        // drops it (the client's request times out); Paddock closes every connection and refuses this session's
        // reconnection as expired. Either way its client ends up told that the session expired.
        try {
            late.exists(ROOT, false);
        } catch (KeeperException expected) {
            // SessionExpired, RequestTimeout or ConnectionLoss, by server and timing; the state below decides
        }
        Await.until("the session created after the snapshot ends", Duration.ofSeconds(30),
                () -> late.getState() == ZooKeeper.States.CLOSED);
        assertThat(restore(taken, AUTH).statusCode()).as("the rate limit: one restore per interval").isEqualTo(429);

        // The restored tree, through a new client; the session that owned the ephemeral is the snapshot's, alive.
        assertThat(state(connect())).isEqualTo(List.of("v1", "[a, b, owned]"));
        Await.until("the owner's session still works", Duration.ofSeconds(30), () -> exists(zk, ROOT + "/owned"));
        connect().create(ROOT + "/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(state(connect())).isEqualTo(List.of("v1", "[a, after, b, owned]"));

        server.restart();
        List<String> afterRestart = state(connect());
        if (restoreSurvivesRestart()) {
            assertThat(afterRestart.get(0)).isEqualTo("v1");
            assertThat(afterRestart.get(1)).startsWith("[a, after, b");
        } else {
            // The pre-restore snapshot and log, replayed; what was written after the restore on top.
            assertThat(afterRestart.get(0)).isEqualTo("v2");
        }
    }

    /** The root's data and its sorted children. */
    private static List<String> state(ZooKeeper zk) throws Exception {
        String data = new String(zk.getData(ROOT, false, null), StandardCharsets.UTF_8);
        List<String> children = new java.util.ArrayList<>(zk.getChildren(ROOT, false));
        children.sort(null);
        return List.of(data, children.toString());
    }

    private static boolean exists(ZooKeeper zk, String path) {
        try {
            return zk.exists(path, false) != null;
        } catch (KeeperException | InterruptedException e) {
            return false;
        }
    }

    private HttpResponse<String> restore(byte[] snapshot, String authorization) throws Exception {
        HttpRequest.Builder b = request("/restore", authorization)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(snapshot));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String command, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/commands"
                + command)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
