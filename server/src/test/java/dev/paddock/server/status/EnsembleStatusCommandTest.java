package dev.paddock.server.status;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.connect;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.serverLines;
import static dev.paddock.server.ServerTestSupport.startAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.admin.LearnerLag;
import dev.paddock.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AdminServer's ensemble_status and the leader's learner metrics on a three-member ensemble: every member
 * reported, the leader's learners synced with their lag going to 0 once writes stop; with a follower stopped,
 * the verdict names it and the leader has one learner left.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EnsembleStatusCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theLeaderReportsEveryMemberAndItsLearners() throws Exception {
        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        int[] adminPorts = {0, freePort(), freePort(), freePort()};
        int[] metricsPorts = {0, freePort(), freePort(), freePort()};
        List<String> lines = serverLines(clientPorts);
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            configs.add(memberConfig(dir.resolve("s" + id), id, lines, Map.of("admin.enableServer", "true",
                    "admin.serverAddress", "127.0.0.1", "admin.serverPort", Integer.toString(adminPorts[id]),
                    "metricsProvider.className", "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
                    "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", Integer.toString(metricsPorts[id]),
                    "metricsProvider.exportJvmInfo", "false")));
        }
        PaddockServer[] servers = startAll(configs);
        try {
            int leader = 0;
            for (int id = 1; id <= 3; id++) {
                awaitMode(clientPorts[id], "leader|follower");
                if (FourLetterWordProbe.send(clientPorts[id], "srvr").contains("Mode: leader")) {
                    leader = id;
                }
            }
            try (ZooKeeper zk = connect(clientPorts[leader])) {
                for (int i = 0; i < 20; i++) {
                    zk.create("/status-" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            }
            String admin = "http://127.0.0.1:" + adminPorts[leader] + "/commands/";
            String status = awaitLearnersCaughtUp(admin + "ensemble_status");
            assertThat(status).contains("\"healthy\" : true").contains("\"verdict\" : \"healthy\"")
                    .contains("\"role\" : \"leader\"").contains("\"command\" : \"ensemble_status\"");
            assertThat(count(status, "\"address\" :")).isEqualTo(3);
            assertThat(count(status, "\"synced\" : true")).isEqualTo(2);
            assertThat(get(admin.substring(0, admin.length() - 1))).doesNotContain("ensemble_status");

            String metrics = get("http://127.0.0.1:" + metricsPorts[leader] + "/metrics");
            for (int id = 1; id <= 3; id++) {
                String sample = "paddock_learner_lag{observer=\"false\",server_id=\"" + id + "\"} 0.0";
                if (id == leader) {
                    assertThat(metrics).doesNotContain("server_id=\"" + id + "\"");
                } else {
                    assertThat(metrics).contains(sample);
                }
            }
            int follower = leader == 1 ? 2 : 1;
            String followerMetrics = get("http://127.0.0.1:" + metricsPorts[follower] + "/metrics");
            assertThat(followerMetrics).contains("znode_count").doesNotContain("paddock_learner_lag");

            servers[follower - 1].close();
            servers[follower - 1] = null;
            String degraded = get(admin + "ensemble_status");
            assertThat(degraded).contains("\"healthy\" : false")
                    .contains("\"verdict\" : \"degraded: member " + follower + " unreachable\"");
            // The leader drops the stopped learner once its link breaks or it stays silent for syncLimit ticks.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count(degraded, "\"synced\" :") != 1) {
                assertThat(System.nanoTime()).as("one learner left: " + degraded).isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                degraded = get(admin + "ensemble_status");
            }
        } finally {
            closeAll(servers);
        }
    }

    /** Polls until both learners acknowledged everything (bounded; no timing is asserted). */
    private static String awaitLearnersCaughtUp(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = get(url);
        Pattern learnerLag = Pattern.compile("\"acked_zxid\" : \"0x[0-9a-f]+\",\\s*\"lag\" : 0");
        while (count(body, learnerLag) < 2) {
            assertThat(System.nanoTime()).as("learners caught up: " + body).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            body = get(url);
        }
        return body;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static int count(String text, String literal) {
        return count(text, Pattern.compile(Pattern.quote(literal)));
    }

    private static int count(String text, Pattern p) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void learnerLagCountsZxidsOfTheLeadersEpoch() {
        long epoch3 = 3L << 32;
        assertThat(LearnerLag.of(2, false, true, epoch3 + 5, epoch3 + 9).lag()).isEqualTo(4);
        assertThat(LearnerLag.of(2, false, true, (2L << 32) + 500, epoch3 + 9).lag()).isEqualTo(9);
        assertThat(LearnerLag.of(2, false, false, -1, epoch3 + 9).lag()).isEqualTo(-1);
        assertThat(LearnerLag.of(2, false, true, epoch3 + 9, epoch3 + 9).lag()).isZero();
    }
}
