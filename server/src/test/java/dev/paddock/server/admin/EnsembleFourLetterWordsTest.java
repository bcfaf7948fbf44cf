package dev.paddock.server.admin;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.serverLines;
import static dev.paddock.server.ServerTestSupport.startAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The words whose answer depends on the role, on a three-member ensemble, as ZooKeeper 3.9.5's members
 * answer them (its output was taken from three QuorumPeerMain processes with the same kind of zoo.cfg;
 * its mntr keys are in mntr-keys.txt, which the standalone compat scenarios check against ZooKeeper):
 * <ul>
 *   <li>mntr: the leader's and the followers' keys in ZooKeeper's order, zk_peer_state
 *       "leading - broadcast" / "following - broadcast", zk_quorum_size;</li>
 *   <li>conf: after the standalone keys, initLimit, syncLimit, electionAlg=3, electionPort, quorumPort,
 *       peerType=0, "membership: " and the server lines, ending "version=0" without a newline;</li>
 *   <li>srvr on the leader ends with "Proposal sizes last/min/max: ..."; dump on a follower shows
 *       "Global Sessions(n):", on the leader the expiry queue.</li>
 * </ul>
 */
class EnsembleFourLetterWordsTest {
    @TempDir
    Path dir;

    @Test
    void roleDependentWords() throws Exception {
        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        List<String> lines = serverLines(clientPorts);
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            configs.add(memberConfig(dir.resolve("s" + id), id, lines, Map.of("4lw.commands.whitelist", "*")));
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
            assertThat(leader).isPositive();
            int follower = leader == 1 ? 2 : 1;
            checkMonitor(clientPorts[leader], "leader", "leading - broadcast");
            // The leader counts its learners as ZooKeeper counts its learner handlers (alerting scripts watch
            // zk_synced_followers): both followers, once synced.
            int leaderPort = clientPorts[leader];
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!FourLetterWordProbe.send(leaderPort, "mntr").contains("zk_synced_followers\t2\n")
                    && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            }
            assertThat(FourLetterWordProbe.send(leaderPort, "mntr")).contains("zk_learners\t2\n")
                    .contains("zk_synced_followers\t2\n").contains("zk_synced_observers\t0\n");
            checkMonitor(clientPorts[follower], "follower", "following - broadcast");
            checkConf(clientPorts[leader], leader, lines);
            assertThat(FourLetterWordProbe.send(clientPorts[leader], "srvr"))
                    .endsWith("Mode: leader\nNode count: 5\nProposal sizes last/min/max: -1/-1/-1\n");
            assertThat(FourLetterWordProbe.send(clientPorts[follower], "srvr")).endsWith("Mode: follower\nNode count: 5\n");
            assertThat(FourLetterWordProbe.send(clientPorts[follower], "dump"))
                    .startsWith("SessionTracker dump:\nGlobal Sessions(0):\nephemeral nodes dump:\n");
            assertThat(FourLetterWordProbe.send(clientPorts[leader], "dump"))
                    .startsWith("SessionTracker dump:\nSession Sets (0)/(0):\nephemeral nodes dump:\n");
        } finally {
            closeAll(servers);
        }
    }

    private static void checkMonitor(int port, String role, String peerState) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : FourLetterWordProbe.send(port, "mntr").split("\n")) {
            assertThat(line).matches("zk_\\S+\t.*");
            values.put(line.substring(3, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
        }
        assertThat(List.copyOf(values.keySet())).isEqualTo(expectedKeys(role));
        assertThat(values).containsEntry("server_state", role).containsEntry("peer_state", peerState)
                .containsEntry("quorum_size", "3");
    }

    private static List<String> expectedKeys(String role) {
        MonitorKeys keys = MonitorKeys.load();
        List<String> expected = new ArrayList<>(keys.values(role));
        for (MonitorKeys.Metric m : keys.metrics()) {
            if (m.kind() == MonitorKeys.Kind.COUNTER) {
                expected.add(m.name());
                continue;
            }
            for (String prefix : List.of("avg_", "min_", "max_", "cnt_", "sum_")) {
                expected.add(prefix + m.name());
            }
            if (m.kind() == MonitorKeys.Kind.PERCENTILES) {
                for (String prefix : List.of("p50_", "p95_", "p99_", "p999_")) {
                    expected.add(prefix + m.name());
                }
            }
        }
        return expected;
    }

    /** The server lines are "server.N=127.0.0.1:quorum:election;127.0.0.1:client", as ServerTestSupport writes. */
    private static void checkConf(int port, int id, List<String> serverLines) {
        String conf = FourLetterWordProbe.send(port, "conf");
        String mine = serverLines.get(id - 1);
        String[] ports = mine.substring(mine.indexOf('=') + 1, mine.indexOf(';')).split(":");
        StringBuilder quorum = new StringBuilder("serverId=" + id + "\ninitLimit=50\nsyncLimit=20\nelectionAlg=3\n"
                + "electionPort=" + ports[2] + "\nquorumPort=" + ports[1] + "\npeerType=0\nmembership: \n");
        for (String line : serverLines) {
            int semicolon = line.indexOf(';');
            quorum.append(line, 0, semicolon).append(":participant").append(line.substring(semicolon)).append('\n');
        }
        quorum.append("version=0");
        assertThat(conf).startsWith("clientPort=" + port + "\nsecureClientPort=-1\ndataDir=")
                .contains("\nclientPortListenBacklog=-1\n").endsWith(quorum.toString());
    }
}
