package dev.paddock.server.admin.http;

import static dev.paddock.server.ServerTestSupport.config;
import static dev.paddock.server.ServerTestSupport.connect;
import static dev.paddock.server.ServerTestSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.storage.LogFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paddock's restore beyond what the compat scenario (AdminRestoreScenarios, both servers) can compare: a
 * snapshot larger than the AdminServer's 1 MiB request limit, the restored state as the base of the log (a
 * snapshot file at the answered zxid, no older segment left, later writes after it), restores one after
 * another, a restart, bodies that are not snapshots and bodies beyond {@code paddock.admin.restore.maxBytes}.
 * The rate limit is off here ({@code zookeeper.admin.rateLimiterIntervalInMS=0}).
 */
class AdminRestoreTest {
    private static final String AUTH = "digest operator:pw";
    private static final Pattern LAST_ZXID = Pattern.compile("\"last_zxid\" : (\\d+)");

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private int adminPort;

    @BeforeEach
    void noRateLimit() {
        System.setProperty("zookeeper.admin.rateLimiterIntervalInMS", "0");
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("zookeeper.admin.rateLimiterIntervalInMS");
        System.clearProperty("paddock.admin.restore.maxBytes");
    }

    private ServerConfig standalone() throws Exception {
        adminPort = freePort();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "200");
        cfg.put("dataDir", dir.resolve("data").toString());
        cfg.put("clientPort", Integer.toString(freePort()));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("admin.enableServer", "true");
        cfg.put("admin.serverAddress", "127.0.0.1");
        cfg.put("admin.serverPort", Integer.toString(adminPort));
        return config(dir, cfg);
    }

    @Test
    void aLargeSnapshotBecomesTheBaseOfTheLogAndSurvivesARestart() throws Exception {
        ServerConfig config = standalone();
        final byte[] snapshot;
        long firstZxid;
        try (PaddockServer server = PaddockServer.start(config); ZooKeeper zk = connect(server.clientPort())) {
            zk.create("/big", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 200; i++) {
                zk.create("/big/n" + i, data(i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            HttpResponse<byte[]> taken = http.send(request("snapshot").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(taken.statusCode()).isEqualTo(200);
            snapshot = taken.body();
            assertThat(snapshot.length).as("larger than any other admin request may be").isGreaterThan(1 << 20);
            zk.create("/gone", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.delete("/big/n0", -1);

            firstZxid = restoreOk(snapshot);
            assertThat(Files.exists(config.dataDir().resolve(LogFormat.SUBDIR).resolve(LogFormat.snapshotName(firstZxid))))
                    .as("the restored state's snapshot").isTrue();
            assertThat(segmentsStartingAtOrBelow(config, firstZxid)).as("no older log to replay").isEmpty();
            // A snapshot of the restored state before any write has the reset's zxid and name: taken again, fine.
            HttpResponse<byte[]> again = http.send(request("snapshot").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("last_zxid")).hasValue("0x" + Long.toHexString(firstZxid));
            try (ZooKeeper fresh = connect(server.clientPort())) {
                assertThat(fresh.getChildren("/big", false)).hasSize(200);
                assertThat(fresh.exists("/gone", false)).isNull();
                Stat stat = new Stat();
                fresh.create("/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
                assertThat(stat.getCzxid()).as("writes follow the restored state").isGreaterThan(firstZxid);
            }
            // Again, at once (no rate limit here), sent chunked after "Expect: 100-continue" as curl sends a
            // large file: each restore takes a newer zxid.
            HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/commands/rest")).expectContinue(true)
                    .header("Authorization", AUTH)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(snapshot)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            long second = lastZxid(chunked);
            assertThat(second).isGreaterThan(firstZxid);
            String mntr = monitor();
            assertThat(metric(mntr, "cnt_restore_time")).as("restores timed").isEqualTo(2);
            assertThat(metric(mntr, "restore_error_count")).isZero();
            assertThat(metric(mntr, "snapshot_error_count")).isZero();
            try (ZooKeeper fresh = connect(server.clientPort())) {
                assertThat(fresh.exists("/after", false)).as("the second restore replaced the first's writes").isNull();
                fresh.create("/kept", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        try (PaddockServer server = PaddockServer.start(config); ZooKeeper zk = connect(server.clientPort())) {
            assertThat(zk.getChildren("/big", false)).hasSize(200);
            assertThat(zk.getData("/big/n7", false, null)).isEqualTo(data(7));
            assertThat(zk.exists("/gone", false)).isNull();
            assertThat(zk.exists("/after", false)).isNull();
            assertThat(zk.exists("/kept", false)).as("written after the restore, logged after its base").isNotNull();
        }
    }

    @Test
    void bodiesThatAreNotSnapshotsChangeNothing() throws Exception {
        System.setProperty("paddock.admin.restore.maxBytes", "4096");
        try (PaddockServer server = PaddockServer.start(standalone()); ZooKeeper zk = connect(server.clientPort())) {
            zk.create("/stays", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (byte[] body : List.of("Invalid snapshot data".getBytes(), new byte[0], new byte[100])) {
                HttpResponse<String> r = restore(body, AUTH);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
                assertThat(r.body()).contains("\"command\" : \"restore\"", "not a snapshot Paddock can restore");
            }
            HttpResponse<String> tooLarge = restore(new byte[5000], AUTH);
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            // The refused upload freed its place: the next one is read (and refused for what it is).
            assertThat(restore(new byte[10], AUTH).statusCode()).isEqualTo(500);
            assertThat(restore(new byte[10], "digest someone").statusCode()).as("not authenticated").isEqualTo(401);
            assertThat(zk.exists("/stays", false)).isNotNull();
            // ZooKeeper's mntr counts each restore that fails (500); the refusals before reading do not count.
            String mntr = monitor();
            assertThat(metric(mntr, "restore_error_count")).isEqualTo(4);
            assertThat(metric(mntr, "cnt_restore_time")).isZero();
            assertThat(Files.exists(snapDir().resolve(dev.paddock.server.admin.RestoreCommand.UPLOAD_NAME)))
                    .as("no upload left behind").isFalse();
        }
    }

    /** 8 KiB of random bytes, other for each node: snapshots are deflated, and this one must stay above 1 MiB. */
    private static byte[] data(int node) {
        byte[] data = new byte[8 * 1024];
        new java.util.Random(node).nextBytes(data);
        return data;
    }

    private Path snapDir() {
        return dir.resolve("data").resolve(LogFormat.SUBDIR);
    }

    private long restoreOk(byte[] snapshot) throws Exception {
        return lastZxid(restore(snapshot, AUTH));
    }

    private static long lastZxid(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"command\" : \"restore\"", "\"error\" : null");
        Matcher m = LAST_ZXID.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static List<Path> segmentsStartingAtOrBelow(ServerConfig config, long zxid) throws Exception {
        return LogFormat.list(config.dataLogDir().resolve(LogFormat.SUBDIR), LogFormat.LOG_PREFIX).stream()
                .filter(p -> LogFormat.zxidOf(p, LogFormat.LOG_PREFIX) <= zxid).toList();
    }

    private HttpResponse<String> restore(byte[] body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/commands/restore"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The AdminServer's monitor command (mntr as JSON). */
    private String monitor() throws Exception {
        HttpResponse<String> r = http.send(request("monitor").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static long metric(String monitorJson, String name) {
        Matcher m = Pattern.compile("\"" + name + "\" : (\\d+)").matcher(monitorJson);
        assertThat(m.find()).as(name + " in " + monitorJson).isTrue();
        return Long.parseLong(m.group(1));
    }

    private HttpRequest.Builder request(String command) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/commands/" + command))
                .header("Authorization", AUTH);
    }
}
