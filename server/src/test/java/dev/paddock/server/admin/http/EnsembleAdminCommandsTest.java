package dev.paddock.server.admin.http;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.serverLines;
import static dev.paddock.server.ServerTestSupport.startAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AdminServer's quorum commands on a three-member ensemble (the compat test can only compare a
 * standalone server with ZooKeeper's embedded one): leader, zabstate and voting_view with the fields of
 * ZooKeeper 3.9.5's LeaderCommand, ZabStateCommand and VotingViewCommand, consistent across the members.
 */
class EnsembleAdminCommandsTest {
    @TempDir
    Path dir;

    @Test
    void quorumCommands() throws Exception {
        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        int[] adminPorts = {0, freePort(), freePort(), freePort()};
        List<String> lines = serverLines(clientPorts);
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            configs.add(memberConfig(dir.resolve("s" + id), id, lines, Map.of("admin.enableServer", "true",
                    "admin.serverAddress", "127.0.0.1", "admin.serverPort", Integer.toString(adminPorts[id]))));
        }
        PaddockServer[] servers = startAll(configs);
        try {
            HttpClient http = HttpClient.newHttpClient();
            int leaders = 0;
            String leaderId = null;
            for (int id = 1; id <= 3; id++) {
                awaitMode(clientPorts[id], "leader|follower");
                String leader = get(http, adminPorts[id], "leader");
                assertThat(leader).contains("\"leader_ip\" : \"127.0.0.1\"", "\"command\" : \"leader\"",
                        "\"error\" : null");
                String thisLeaderId = leader.replaceAll("(?s).*\"leader_id\" : (\\d+).*", "$1");
                assertThat(leaderId == null || leaderId.equals(thisLeaderId)).as("one leader").isTrue();
                leaderId = thisLeaderId;
                boolean isLeader = leader.contains("\"is_leader\" : true");
                leaders += isLeader ? 1 : 0;
                assertThat(isLeader).isEqualTo(thisLeaderId.equals(Integer.toString(id)));

                String zab = get(http, adminPorts[id], "zabstate");
                assertThat(zab).contains("\"myid\" : " + id, "\"voting\" : true", "\"zabstate\" : \"broadcast\"",
                        "\"is_leader\" : " + isLeader, "\"client_address\" : \"127.0.0.1:" + clientPorts[id] + "\"")
                        .containsPattern("\"last_zxid\" : \"0x[0-9a-f]+\"")
                        .containsPattern("\"zab_epoch\" : \\d+").containsPattern("\"zab_counter\" : \\d+")
                        .containsPattern("\"quorum_address\" : \"127\\.0\\.0\\.1:\\d+\"");

                String view = get(http, adminPorts[id], "voting_view");
                for (int peer = 1; peer <= 3; peer++) {
                    assertThat(view).contains("\"" + peer + "\" : {",
                            "\"client_address\" : \"127.0.0.1:" + clientPorts[peer] + "\"");
                }
                assertThat(view.split("\"learner_type\" : \"participant\"", -1)).hasSize(4);
            }
            assertThat(leaders).isEqualTo(1);
            restoreIsRefusedInAnEnsemble(http, adminPorts[Integer.parseInt(leaderId)]);
        } finally {
            closeAll(servers);
        }
    }

    /**
     * A member without a quorum does not serve: commands that need a serving server say so (200, as in
     * ZooKeeper), the others answer; zabstate says election.
     */
    @Test
    void aMemberThatDoesNotServe() throws Exception {
        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        int adminPort = freePort();
        ServerConfig config = memberConfig(dir.resolve("alone"), 1, serverLines(clientPorts), Map.of(
                "admin.enableServer", "true", "admin.serverAddress", "127.0.0.1",
                "admin.serverPort", Integer.toString(adminPort)));
        try (PaddockServer alone = PaddockServer.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String command : List.of("ruok", "server_stats", "leader", "snapshot")) {
                assertThat(get(http, adminPort, command)).contains(
                        "\"error\" : \"This ZooKeeper instance is not currently serving requests\"");
            }
            assertThat(get(http, adminPort, "environment"))
                    .contains("\"zookeeper.version\" : \"3.9.5-", "\"error\" : null");
            assertThat(get(http, adminPort, "zabstate")).contains("\"zabstate\" : \"election\"", "\"error\" : null");
        }
    }

    /**
     * ZooKeeper restores one member at a time; in Paddock every member's state is the replicated log's, so
     * restore (even of the leader's own snapshot) is refused with the 500 ZooKeeper gives a failed restore.
     */
    private static void restoreIsRefusedInAnEnsemble(HttpClient http, int adminPort) throws Exception {
        String base = "http://127.0.0.1:" + adminPort + "/commands/";
        HttpResponse<byte[]> snapshot = http.send(HttpRequest.newBuilder(URI.create(base + "snapshot"))
                .header("Authorization", "digest op:pw").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(snapshot.statusCode()).isEqualTo(200);
        HttpResponse<String> restore = http.send(HttpRequest.newBuilder(URI.create(base + "restore"))
                .header("Authorization", "digest op:pw")
                .POST(HttpRequest.BodyPublishers.ofByteArray(snapshot.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(restore.statusCode()).isEqualTo(500);
        assertThat(restore.body()).contains("\"command\" : \"restore\"", "standalone server only");
    }

    private static String get(HttpClient http, int port, String command) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/commands/" + command)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
