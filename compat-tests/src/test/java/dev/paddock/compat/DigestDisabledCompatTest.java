package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zookeeper.digest.enabled=false}: the digest history is still kept, every 128th zxid, but each value is
 * 0 ({@code hash} prints "zxid: 0" lines). ZooKeeper reads the property once per JVM (a static initializer),
 * so its side runs as a child JVM of its own ({@code ZooKeeperServerMain}); Paddock's runs in process.
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
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dzookeeper.4lw.commands.whitelist=*",
                "-Dzookeeper.admin.enableServer=false", "-Dzookeeper.digest.enabled=false",
                "org.apache.zookeeper.server.ZooKeeperServerMain", String.valueOf(port),
                Files.createDirectories(dir.resolve("data")).toString()));
        File log = dir.resolve("zookeeper.log").toFile();
        Process zk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            int p = port;
            Await.until("ZooKeeper serves", WAIT, () -> FourLetterWords.send(p, "srvr").contains("Mode:"));
            everyDigestIsZero(port);
        } finally {
            zk.destroy();
            if (!zk.waitFor(10, TimeUnit.SECONDS)) {
                zk.destroyForcibly();
            }
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
