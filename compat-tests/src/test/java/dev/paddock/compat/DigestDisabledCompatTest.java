package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import dev.paddock.compat.harness.ZooKeeperChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zookeeper.digest.enabled=false}: the digest history is still kept, every 128th zxid, but each value is
 * 0 ({@code hash} prints "zxid: 0" lines). ZooKeeper reads the property once per JVM (a static initializer),
 * so its side runs as a child JVM of its own ({@link ZooKeeperChildJvm}); Paddock's runs in process.
 */
class DigestDisabledCompatTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void paddock() throws Exception {
        ServerSettings settings = ServerSettings.defaults().zooCfg("4lw.commands.whitelist", "*")
                .systemProperty("zookeeper.digest.enabled", "false");
        try (ServerUnderTest s = Target.PADDOCK.start(settings)) {
            everyDigestIsZero(s.clientPort());
        }
    }

    @Test
    @Timeout(120)
    void zooKeeper() throws Exception {
        try (ZooKeeperChildJvm zk = ZooKeeperChildJvm.start(dir, Map.of("zookeeper.digest.enabled", "false"))) {
            everyDigestIsZero(zk.clientPort());
        }
    }

    private static void everyDigestIsZero(int port) throws Exception {
        try (ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 30_000, e -> { })) {
            Await.until("connected", WAIT, () -> zk.getState().isConnected());
            zk.create("/d", new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            long zxid = 0;
            // The counter, without the epoch (ZooKeeper's standalone server starts at epoch 0, Paddock's may not).
            for (int i = 0; (zxid & 0xffffffffL) < 2 * 128; i++) {
                zxid = zk.setData("/d", new byte[] {(byte) i}, -1).getMzxid();
            }
        }
        String[] lines = FourLetterWords.send(port, "hash").split("\n");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2).allSatisfy(line -> assertThat(line).matches("[0-9a-f]+: 0"));
        assertThat(Long.parseLong(lines[0].split(":")[0], 16) & 0xffffffffL).isEqualTo(128);
        assertThat(Long.parseLong(lines[1].split(":")[0], 16) & 0xffffffffL).isEqualTo(256);
    }
}
