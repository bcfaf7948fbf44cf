package dev.paddock.server.status;

import static dev.paddock.server.ServerTestSupport.awaitMode;
import static dev.paddock.server.ServerTestSupport.closeAll;
import static dev.paddock.server.ServerTestSupport.freePort;
import static dev.paddock.server.ServerTestSupport.memberConfig;
import static dev.paddock.server.ServerTestSupport.serverLines;
import static dev.paddock.server.ServerTestSupport.startAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/paddock status --ensemble against a real three-member ensemble: one member stopped, then all up. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EnsembleStatusToolTest {
    @TempDir
    Path dir;

    private record Outcome(int exit, String out) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = EnsembleStatusTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStoppedMemberMakesItDegradedUntilItIsBack() throws Exception {
        int[] clientPorts = {0, freePort(), freePort(), freePort()};
        List<String> lines = serverLines(clientPorts);
        List<ServerConfig> configs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            configs.add(memberConfig(dir.resolve("s" + id), id, lines, Map.of()));
        }
        String zooCfg = dir.resolve("s1").resolve("zoo.cfg").toString();
        PaddockServer[] servers = startAll(configs);
        try {
            for (int id = 1; id <= 3; id++) {
                awaitMode(clientPorts[id], "leader|follower");
            }
            servers[2].close();
            servers[2] = null;
            // If member 3 led, the others elect a new leader first.
            awaitMode(clientPorts[1], "leader|follower");
            awaitMode(clientPorts[2], "leader|follower");
            Outcome degraded = run("--timeout-ms", "5000", zooCfg);
            assertThat(degraded.exit()).as(degraded.out()).isEqualTo(EnsembleStatusTool.DEGRADED);
            assertThat(degraded.out()).endsWith("degraded: member 3 unreachable\n")
                    .contains("127.0.0.1:" + clientPorts[3]).contains("leader").contains("follower");
            assertThat(degraded.out().lines().filter(l -> l.matches("^[123] .*"))).hasSize(3);

            servers[2] = PaddockServer.start(configs.get(2));
            awaitMode(clientPorts[3], "leader|follower");
            Outcome healthy = awaitHealthy(zooCfg);
            assertThat(healthy.out()).endsWith("healthy\n");
            Outcome json = run("--json", zooCfg);
            assertThat(json.exit()).isZero();
            assertThat(json.out()).contains("\"verdict\" : \"healthy\"").contains("\"role\" : \"leader\"");
        } finally {
            closeAll(servers);
        }
    }

    /** Healthy once every member has caught up (a restarted member syncs first); bounded, no timing asserted. */
    private static Outcome awaitHealthy(String zooCfg) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Outcome o = run(zooCfg);
        while (o.exit() != EnsembleStatusTool.HEALTHY && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            o = run(zooCfg);
        }
        assertThat(o.exit()).as(o.out()).isEqualTo(EnsembleStatusTool.HEALTHY);
        return o;
    }

    @Test
    void fallsBackToTheAdminServerWhenSrvrIsNotWhitelisted() throws Exception {
        int adminPort = freePort();
        ServerConfig cfg = ServerTestSupport.config(dir, Map.of("dataDir", dir.resolve("data").toString(),
                "clientPort", "0", "clientPortAddress", "127.0.0.1", "admin.enableServer", "true",
                "admin.serverAddress", "127.0.0.1", "admin.serverPort", Integer.toString(adminPort)));
        try (PaddockServer server = PaddockServer.start(cfg);
             ServerSocket refusing = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // A client port that answers as a member whose whitelist leaves srvr out (ZooKeeper's wording).
            Thread answerer = new Thread(() -> answerNotWhitelisted(refusing));
            answerer.setDaemon(true);
            answerer.start();
            MemberTarget target = new MemberTarget(1, "127.0.0.1", refusing.getLocalPort(), adminPort, false);
            MemberReport report = new MemberProbe(5000).probe(target);
            assertThat(report.source()).isEqualTo("admin");
            assertThat(report.role()).isEqualTo("standalone");
            assertThat(report.zxid()).isNotNegative();
            assertThat(report.connections()).isGreaterThanOrEqualTo(0);
        }
    }

    private static void answerNotWhitelisted(ServerSocket socket) {
        try (Socket s = socket.accept()) {
            s.getInputStream().readNBytes(4);
            OutputStream out = s.getOutputStream();
            out.write("srvr is not executed because it is not in the whitelist.\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the test's assertions say what went wrong
        }
    }

    @Test
    void badArgumentsAndMissingFilesAreUsageErrors() {
        assertThat(run("--max-lag").exit()).isEqualTo(EnsembleStatusTool.USAGE);
        assertThat(run("--frobnicate").exit()).isEqualTo(EnsembleStatusTool.USAGE);
        assertThat(run("/nonexistent/zoo.cfg").exit()).isEqualTo(EnsembleStatusTool.USAGE);
    }
}
