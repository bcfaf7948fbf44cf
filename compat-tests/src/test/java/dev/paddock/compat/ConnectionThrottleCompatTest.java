package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import dev.paddock.compat.harness.ZooKeeperChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper's connection throttle ({@code zookeeper.connection_throttle_*}): with a bucket of two tokens that
 * refills once an hour, two handshakes pass, the third connection is closed without an answer and counted
 * in mntr's {@code zk_connection_rejected}, and the sessions already made are served on. ZooKeeper reads
 * these keys once per JVM (a static initializer), so its side runs as a child JVM of its own
 * ({@code ZooKeeperServerMain}); Paddock's runs in process.
 */
class ConnectionThrottleCompatTest {
    private static final Map<String, String> THROTTLE = Map.of(
            "zookeeper.connection_throttle_tokens", "2",
            "zookeeper.connection_throttle_fill_time", "3600000");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void paddock() throws Exception {
        ServerSettings settings = ServerSettings.defaults();
        for (Map.Entry<String, String> e : THROTTLE.entrySet()) {
            settings = settings.systemProperty(e.getKey(), e.getValue());
        }
        try (ServerUnderTest s = Target.PADDOCK.start(settings)) {
            theThirdHandshakeIsRefused(s.clientPort());
        }
    }

    @Test
    @Timeout(120)
    void zooKeeper() throws Exception {
        try (ZooKeeperChildJvm zk = ZooKeeperChildJvm.start(dir, THROTTLE)) {
            theThirdHandshakeIsRefused(zk.clientPort());
        }
    }

    private static void theThirdHandshakeIsRefused(int port) throws Exception {
        try (RawClient first = RawClient.session(port, 30_000);
             RawClient second = RawClient.session(port, 30_000);
             RawClient third = RawClient.open(port)) {
            third.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false)));
            assertThat(third.closedByServer(WAIT)).as("closed without an answer").isTrue();
            assertThat(mntr(port, "zk_connection_rejected")).isEqualTo("1");
            assertThat(first.call(ZooDefs.OpCode.exists, new ExistsRequest("/", false)).err()).isZero();
            assertThat(second.call(ZooDefs.OpCode.exists, new ExistsRequest("/", false)).err()).isZero();
        }
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
