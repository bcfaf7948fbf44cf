package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestingServerTest {
    @Test
    void servesTheRealClientAndKeepsDataAndPortAcrossRestart() throws Exception {
        File dir;
        try (TestingServer server = new TestingServer()) {
            dir = server.getTempDirectory();
            int port = server.getPort();
            assertThat(port).isPositive();
            assertThat(server.getConnectString()).isEqualTo("127.0.0.1:" + port);
            try (ZooKeeper zk = Clients.connect(server.getConnectString())) {
                zk.create("/kept", "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
            server.restart();
            assertThat(server.getPort()).isEqualTo(port);
            try (ZooKeeper zk = Clients.connect(server.getConnectString())) {
                assertThat(new String(zk.getData("/kept", false, null), StandardCharsets.UTF_8)).isEqualTo("v1");
            }
            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(FourLetterWord.ask(port, "ruok")).isEmpty();
            assertThat(dir).exists();
            server.start();
            assertThat(FourLetterWord.ask(port, "ruok")).isEqualTo("imok");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aGivenDataDirectoryIsKeptAndReopened(@TempDir Path tmp) throws Exception {
        File data = tmp.resolve("data").toFile();
        try (TestingServer server = new TestingServer(0, data)) {
            try (ZooKeeper zk = Clients.connect(server.getConnectString())) {
                zk.create("/persisted", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        assertThat(data).isDirectory();
        try (TestingServer again = new TestingServer(0, data);
             ZooKeeper zk = Clients.connect(again.getConnectString())) {
            assertThat(zk.exists("/persisted", false)).isNotNull();
        }
    }

    @Test
    void aGivenPortIsUsedAndANotStartedServerWaits() throws Exception {
        int port = FreePorts.pick(1)[0];
        try (TestingServer server = new TestingServer(port, false)) {
            assertThat(server.isRunning()).isFalse();
            assertThat(FourLetterWord.ask(port, "ruok")).isEmpty();
            server.start();
            assertThat(FourLetterWord.mode(port)).isEqualTo("standalone");
        }
        try (TestingServer unstarted = new TestingServer(false)) {
            assertThatThrownBy(unstarted::getConnectString).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void extraZooCfgKeysReachTheServer() throws Exception {
        try (TestingServer server = new TestingServer(0, null, true,
                java.util.Map.of("maxSessionTimeout", "7000", "4lw.commands.whitelist", "srvr,conf"))) {
            String conf = FourLetterWord.ask(server.getPort(), "conf");
            assertThat(conf).contains("maxSessionTimeout=7000");
            assertThat(FourLetterWord.ask(server.getPort(), "ruok")).contains("not in the whitelist");
        }
    }

    @Test
    void closeDeletesOnlyWhatItCreated(@TempDir Path tmp) throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        new TestingServer(0, mine.toFile()).close();
        assertThat(mine).isDirectory();
    }
}
