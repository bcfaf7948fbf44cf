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
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An ensemble's statistics, ZooKeeper 3.9.5 and Paddock as child JVMs (three voters and an observer, one
 * ensemble per server to keep the suite short):
 * <ul>
 *   <li>the leader's AdminServer {@code observers}: one synced observer, listed with ZooKeeper's learner handler
 *       fields in its order, its forwarded writes counted as requests, messages counted both ways, the last zxid
 *       sent at least the last write's; {@code observer_connection_stat_reset} zeroes the requests and starts
 *       the message counts again;</li>
 *   <li>a role change: ZooKeeper builds a new server object for every role it takes, so a follower that sees
 *       its leader go and takes up a new role starts its packet counts (srvr's Received, mntr's
 *       zk_packets_received and zk_packets_sent) again, while the process's metrics (zk_bytes_received_count)
 *       carry on.</li>
 * </ul>
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // child JVMs and an election
class EnsembleStatisticsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int WRITES = 5;
    private static final int REQUESTS = 60;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void observersAndARoleChange(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 4)) {
            int[] admin = {0, freePort(), freePort(), freePort(), freePort()};
            for (int id = 1; id <= 4; id++) {
                List<String> lines = new ArrayList<>(m.voters(1, 2, 3));
                lines.add(m.line(4, "observer"));
                if (id == 4) {
                    lines.add("peerType=observer");
                }
                lines.addAll(List.of("admin.enableServer=true", "admin.serverAddress=127.0.0.1",
                        "admin.serverPort=" + admin[id]));
                m.startStatic(id, lines);
            }
            int leader = m.leader(1, 2, 3);
            m.awaitMode(4, "observer");
            theLeaderListsItsObserver(m, "http://127.0.0.1:" + admin[leader] + "/commands/");
            int follower = leader == 1 ? 2 : 1;
            m.awaitMode(follower, "follower");
            aNewRoleStartsThePacketCountsAgain(m, leader, follower);
        }
    }

    private static void theLeaderListsItsObserver(MemberProcesses m, String base) throws Exception {
        long lastWrite;
        try (ZooKeeper zk = new ZooKeeper(m.connectString(4), 30_000, e -> { })) {
            Await.until("connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
            for (int i = 0; i < WRITES; i++) {
                zk.create("/obs-" + i, new byte[1], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            lastWrite = zk.exists("/obs-" + (WRITES - 1), false).getMzxid();
        }
        JsonNode answer = get(base + "observers");
        assertThat(answer.path("synced_observers").asInt()).isEqualTo(1);
        JsonNode observer = answer.path("observers").get(0);
        List<String> fields = new ArrayList<>();
        observer.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("remote_socket_address", "sid", "established", "queued_packets",
                "queued_packets_size", "packets_received", "packets_sent", "requests", "last_zxid");
        assertThat(observer.path("sid").asLong()).isEqualTo(4);
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

    private static void aNewRoleStartsThePacketCountsAgain(MemberProcesses m, int leader, int follower)
            throws Exception {
        try (ZooKeeper zk = new ZooKeeper(m.connectString(follower), 30_000, e -> { })) {
            Await.until("connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
            for (int i = 0; i < REQUESTS; i++) {
                zk.exists("/", false);
            }
        }
        long received = monitor(m, follower, "zk_packets_received");
        long bytes = monitor(m, follower, "zk_bytes_received_count");
        assertThat(received).isGreaterThanOrEqualTo(REQUESTS);
        // Each four-letter word counts as a received packet, so srvr, asked after mntr, shows more.
        assertThat(srvr(m, follower, "Received")).isGreaterThan(received);
        m.stop(leader);
        // A write through the follower succeeds only once the two voters left have a new leader, so the follower
        // has taken up its new role by then (srvr may still show the old one for a while). A handful of packets.
        try (ZooKeeper zk = new ZooKeeper(m.connectString(follower), 30_000, e -> { })) {
            Await.until("a write through member " + follower, Duration.ofSeconds(60), () -> {
                try {
                    zk.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    return true;
                } catch (KeeperException.ConnectionLossException e) {
                    return false;
                } catch (KeeperException.NodeExistsException e) {
                    return true; // an earlier try went through, its answer lost
                }
            });
        }
        assertThat(monitor(m, follower, "zk_packets_received")).isLessThan(REQUESTS);
        assertThat(monitor(m, follower, "zk_packets_sent")).isLessThan(REQUESTS);
        assertThat(srvr(m, follower, "Received")).isLessThan(REQUESTS);
        assertThat(monitor(m, follower, "zk_bytes_received_count")).isGreaterThanOrEqualTo(bytes);
    }

    private static long monitor(MemberProcesses m, int id, String key) {
        for (String line : m.fourLetterWordOf(id, "mntr").split("\n")) {
            String[] kv = line.split("\t");
            if (kv[0].equals(key)) {
                return Long.parseLong(kv[1].strip());
            }
        }
        throw new AssertionError("mntr of member " + id + " has no " + key);
    }

    private static long srvr(MemberProcesses m, int id, String field) {
        for (String line : m.fourLetterWordOf(id, "srvr").split("\n")) {
            if (line.startsWith(field + ": ")) {
                return Long.parseLong(line.substring(field.length() + 2).strip());
            }
        }
        throw new AssertionError("srvr of member " + id + " has no " + field);
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
