package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper's request throttle ({@code zookeeper.request_throttle_max_requests}, here 2): several clients
 * pipelining writes and reads each get every answer, right and in the order they asked, while the throttle
 * waits (mntr's {@code zk_request_throttle_wait_count} above 0); a client that sends requests and hangs up
 * while they wait behind another's has its first waiting request dropped as stale and the rest with its
 * connection ({@code zk_stale_requests_dropped} 1). With {@code zookeeper.throttled_op_wait_time} too, requests
 * that waited longer are answered ThrottledOp and not served ({@code zk_throttled_ops}). ZooKeeper reads these keys once per JVM (static fields), so
 * its side runs as a child JVM of its own ({@code ZooKeeperServerMain}); Paddock's runs in process.
 */
class RequestThrottleCompatTest {
    private static final Map<String, String> THROTTLE = Map.of("zookeeper.request_throttle_max_requests", "2");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 4;
    /** Pairs of create and getData per client. */
    private static final int PAIRS = 60;
    /** Writes the busy client queues ahead of the one that hangs up (under the 1,000 a connection may have). */
    private static final int AHEAD = 500;
    /** Creates one client pipelines with throttled_op_wait_time set. */
    private static final int THROTTLED_PAIRS = 300;

    @TempDir
    Path dir;

    /** With throttled_op_wait_time too: requests that waited longer are answered ThrottledOp, not served. */
    private static final Map<String, String> THROTTLED_OPS = Map.of("zookeeper.request_throttle_max_requests", "2",
            "zookeeper.throttled_op_wait_time", "5");

    interface Scenario {
        void run(int port) throws Exception;
    }

    @Test
    @Timeout(120)
    void paddock() throws Exception {
        onPaddock(THROTTLE, RequestThrottleCompatTest::scenario);
    }

    @Test
    @Timeout(180)
    void zooKeeper() throws Exception {
        onZooKeeper(THROTTLE, RequestThrottleCompatTest::scenario);
    }

    @Test
    @Timeout(120)
    void throttledOpsOnPaddock() throws Exception {
        onPaddock(THROTTLED_OPS, RequestThrottleCompatTest::throttledOpsAreAnsweredSoAndNotServed);
    }

    @Test
    @Timeout(180)
    void throttledOpsOnZooKeeper() throws Exception {
        onZooKeeper(THROTTLED_OPS, RequestThrottleCompatTest::throttledOpsAreAnsweredSoAndNotServed);
    }

    private static void onPaddock(Map<String, String> properties, Scenario scenario) throws Exception {
        ServerSettings settings = ServerSettings.defaults();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            settings = settings.systemProperty(e.getKey(), e.getValue());
        }
        try (ServerUnderTest s = Target.PADDOCK.start(settings)) {
            scenario.run(s.clientPort());
        }
    }

    private void onZooKeeper(Map<String, String> properties, Scenario scenario) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dzookeeper.4lw.commands.whitelist=*",
                "-Dzookeeper.admin.enableServer=false"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("org.apache.zookeeper.server.ZooKeeperServerMain", String.valueOf(port),
                Files.createDirectories(dir.resolve("data")).toString()));
        File log = dir.resolve("zookeeper.log").toFile();
        Process zk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            int p = port;
            Await.until("ZooKeeper serves", WAIT, () -> FourLetterWords.send(p, "srvr").contains("Mode:"));
            scenario.run(port);
        } finally {
            zk.destroy();
            if (!zk.waitFor(10, TimeUnit.SECONDS)) {
                zk.destroyForcibly();
            }
        }
    }

    /**
     * Pipelined creates wait for the throttle longer than 5 ms: some are answered ThrottledOp (-127), in order
     * with the rest, and those nodes do not exist; mntr's throttled_ops counts exactly those answers.
     */
    private static void throttledOpsAreAnsweredSoAndNotServed(int port) throws Exception {
        List<String> throttled = new ArrayList<>();
        List<String> created = new ArrayList<>();
        try (RawClient client = RawClient.session(port, 30_000)) {
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < THROTTLED_PAIRS; i++) {
                sent.add(client.send(ZooDefs.OpCode.create, new CreateRequest("/t" + i, new byte[0],
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.toFlag())));
            }
            client.readTimeout(WAIT);
            for (int i = 0; i < THROTTLED_PAIRS; i++) {
                RawClient.Reply r = client.read();
                assertThat(r.header().getXid()).isEqualTo(sent.get(i));
                assertThat(r.err()).isIn(0, KeeperException.Code.THROTTLEDOP.intValue());
                (r.err() == 0 ? created : throttled).add("/t" + i);
            }
        }
        assertThat(throttled).as("answered ThrottledOp").isNotEmpty();
        assertThat(Long.parseLong(mntr(port, "zk_throttled_ops"))).isEqualTo(throttled.size());
        try (RawClient check = RawClient.session(port, 30_000)) {
            for (String path : throttled) {
                assertThat(existsAnswer(check, path)).as(path).isEqualTo(KeeperException.Code.NONODE.intValue());
            }
            for (String path : created) {
                assertThat(existsAnswer(check, path)).as(path).isZero();
            }
        }
    }

    /** A lone request may still wait 5 ms on a loaded machine: asked again while it is answered ThrottledOp. */
    private static int existsAnswer(RawClient client, String path) throws Exception {
        while (true) {
            int err = client.call(ZooDefs.OpCode.exists, new ExistsRequest(path, false)).err();
            if (err != KeeperException.Code.THROTTLEDOP.intValue()) {
                return err;
            }
        }
    }

    private static void scenario(int port) throws Exception {
        everyPipelinedAnswerArrivesRightAndInOrder(port);
        assertThat(Long.parseLong(mntr(port, "zk_request_throttle_wait_count"))).as("throttle waits").isPositive();
        aClientThatHangsUpWhileItsRequestsWaitHasThemDropped(port);
    }

    private static void everyPipelinedAnswerArrivesRightAndInOrder(int port) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(RawClient.session(port, 30_000));
            }
            // Everything is sent before anything is read: the throttle holds most of it.
            List<List<Integer>> xids = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                List<Integer> sent = new ArrayList<>();
                for (int i = 0; i < PAIRS; i++) {
                    String path = "/c" + c + "-" + i;
                    sent.add(clients.get(c).send(ZooDefs.OpCode.create, new CreateRequest(path,
                            path.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT.toFlag())));
                    sent.add(clients.get(c).send(ZooDefs.OpCode.getData, new GetDataRequest(path, false)));
                }
                xids.add(sent);
            }
            for (int c = 0; c < CLIENTS; c++) {
                RawClient client = clients.get(c);
                client.readTimeout(WAIT);
                for (int i = 0; i < PAIRS; i++) {
                    String path = "/c" + c + "-" + i;
                    RawClient.Reply created = client.read();
                    assertThat(created.header().getXid()).isEqualTo(xids.get(c).get(2 * i));
                    assertThat(created.err()).isZero();
                    assertThat(created.as(new CreateResponse()).getPath()).isEqualTo(path);
                    RawClient.Reply read = client.read();
                    assertThat(read.header().getXid()).isEqualTo(xids.get(c).get(2 * i + 1));
                    assertThat(read.err()).isZero();
                    assertThat(new String(read.as(new GetDataResponse()).getData(), StandardCharsets.UTF_8))
                            .isEqualTo(path);
                }
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    private static void aClientThatHangsUpWhileItsRequestsWaitHasThemDropped(int port) throws Exception {
        long droppedBefore = Long.parseLong(mntr(port, "zk_stale_requests_dropped"));
        // Both sessions first: ZooKeeper's session creation waits in its throttle too.
        try (RawClient busy = RawClient.session(port, 30_000)) {
            RawClient leaving = RawClient.session(port, 30_000);
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < AHEAD; i++) {
                sent.add(busy.send(ZooDefs.OpCode.create, new CreateRequest("/busy-" + i, new byte[0],
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.toFlag())));
            }
            for (int i = 0; i < 100; i++) {
                leaving.send(ZooDefs.OpCode.create, new CreateRequest("/leaving-" + i, new byte[0],
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.toFlag()));
            }
            leaving.close();
            busy.readTimeout(WAIT);
            for (int xid : sent) {
                RawClient.Reply r = busy.read();
                assertThat(r.header().getXid()).isEqualTo(xid);
                assertThat(r.err()).isZero();
            }
        }
        Await.until("the stale request dropped", WAIT,
                () -> Long.parseLong(mntr(port, "zk_stale_requests_dropped")) > droppedBefore);
        assertThat(Long.parseLong(mntr(port, "zk_stale_requests_dropped")) - droppedBefore)
                .as("one drop for the connection, its later requests dropped with it").isEqualTo(1);
    }

    private static String mntr(int port, String key) throws Exception {
        for (String line : FourLetterWords.send(port, "mntr").split("\n")) {
            String[] kv = line.split("\t");
            if (kv[0].equals(key)) {
                return kv[1].strip();
            }
        }
        throw new AssertionError("mntr has no " + key);
    }
}
