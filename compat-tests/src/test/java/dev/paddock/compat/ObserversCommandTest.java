package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AdminServer's {@code observers} and {@code observer_connection_stat_reset} on the leader of two voters and
 * an observer, ZooKeeper 3.9.5 and Paddock as child JVMs: one synced observer, listed with ZooKeeper's learner
 * handler fields in its order, its forwarded writes counted as requests, messages counted both ways, the last
 * zxid sent at least the last write's; the reset zeroes the requests and starts the message counts again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // child JVMs
class ObserversCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int WRITES = 5;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void theLeaderListsItsObserverWithZooKeepersFields(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            int[] admin = {0, freePort(), freePort(), freePort()};
            for (int id = 1; id <= 3; id++) {
                List<String> lines = new ArrayList<>(List.of(m.line(1, "participant"), m.line(2, "participant"),
                        m.line(3, "observer")));
                if (id == 3) {
                    lines.add("peerType=observer");
                }
                lines.addAll(List.of("admin.enableServer=true", "admin.serverAddress=127.0.0.1",
                        "admin.serverPort=" + admin[id]));
                m.startStatic(id, lines);
            }
            int leader = m.leader(1, 2);
            m.awaitMode(3, "observer");
            long lastWrite = 0;
            try (ZooKeeper zk = new ZooKeeper(m.connectString(3), 30_000, e -> { })) {
                Await.until("connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
                for (int i = 0; i < WRITES; i++) {
                    zk.create("/obs-" + i, new byte[1], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                lastWrite = zk.exists("/obs-" + (WRITES - 1), false).getMzxid();
            }
            String base = "http://127.0.0.1:" + admin[leader] + "/commands/";
            JsonNode answer = get(base + "observers");
            assertThat(answer.path("synced_observers").asInt()).isEqualTo(1);
            JsonNode observer = answer.path("observers").get(0);
            List<String> fields = new ArrayList<>();
            observer.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("remote_socket_address", "sid", "established", "queued_packets",
                    "queued_packets_size", "packets_received", "packets_sent", "requests", "last_zxid");
            assertThat(observer.path("sid").asLong()).isEqualTo(3);
            assertThat(observer.path("remote_socket_address").asText()).startsWith("/127.0.0.1:");
            assertThat(observer.path("established").asLong()).isPositive();
            assertThat(observer.path("requests").asLong()).isGreaterThanOrEqualTo(WRITES);
            long received = observer.path("packets_received").asLong();
            assertThat(received).isGreaterThanOrEqualTo(WRITES);
            assertThat(observer.path("packets_sent").asLong()).isGreaterThanOrEqualTo(WRITES);
            assertThat(observer.path("last_zxid").asLong()).isGreaterThanOrEqualTo(lastWrite);

            assertThat(get(base + "observer_connection_stat_reset").path("error").isNull()).isTrue();
            JsonNode reset = get(base + "observers").path("observers").get(0);
            assertThat(reset.path("requests").asLong()).isZero();
            assertThat(reset.path("packets_received").asLong()).isLessThan(received);
            assertThat(reset.path("established").asLong()).isEqualTo(observer.path("established").asLong());
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
