package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.storage.LogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standalone server restarted in place keeps its data, its sequence counters and its sessions. */
class DurableServerTest {
    @TempDir
    Path dir;

    private ServerConfig config(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("tickTime", "200");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("dataLogDir", dir.resolve("log").toString());
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("4lw.commands.whitelist", "*");
        p.setProperty("snapCount", "40");
        p.setProperty("preAllocSize", "16");
        p.setProperty("maxSessionTimeout", "30000");
        return ServerConfig.fromProperties(p);
    }

    private static ZooKeeper connect(int port) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        return zk;
    }

    static String fourLetterWord(int port, String word) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void awaitState(ZooKeeper zk, boolean connected) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (zk.getState().isConnected() != connected) {
            assertThat(System.nanoTime()).as("client connected=%s in time", connected).isLessThan(deadline);
            LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void restartKeepsDataCountersSessionsAndEphemerals() throws Exception {
        PaddockServer server = PaddockServer.start(config(0));
        int port = server.clientPort();
        ZooKeeper zk = connect(port);
        long session = zk.getSessionId();
        zk.create("/a", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/seq", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < 3; i++) {
            zk.create("/seq/n-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        }
        zk.delete("/seq/n-0000000002", -1);
        zk.create("/e", "eph".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.multi(List.of(Op.create("/m", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/a", "y".getBytes(), 0)));
        for (int i = 0; i < 100; i++) { // enough to trigger snapshots (snapCount 40) and new segments
            zk.setData("/m", Integer.toString(i).getBytes(), -1);
        }
        Stat before = zk.exists("/seq", false);
        server.close();
        awaitState(zk, false);

        // Same port: the client reconnects on its own with its session.
        server = PaddockServer.start(config(port));
        try {
            awaitState(zk, true);
            assertThat(zk.getData("/a", false, null)).isEqualTo("y".getBytes());
            assertThat(zk.getData("/m", false, null)).isEqualTo("99".getBytes());
            Stat e = zk.exists("/e", false);
            assertThat(e).isNotNull();
            assertThat(e.getEphemeralOwner()).isEqualTo(session);
            assertThat(zk.exists("/seq", false)).isEqualTo(before);
            assertThat(zk.create("/seq/n-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL)).isEqualTo("/seq/n-0000000003");
            assertThat(zk.getSessionId()).isEqualTo(session);

            // The snapshot taken after recovery may still be running: then snap says so.
            long deadline = System.nanoTime() + 10_000_000_000L;
            String answer = fourLetterWord(port, "snap");
            while (!answer.contains("Snapshot of zxid 0x")) {
                assertThat(answer).contains("already being written");
                assertThat(System.nanoTime()).as("snap accepted").isLessThan(deadline);
                LockSupport.parkNanos(5_000_000);
                answer = fourLetterWord(port, "snap");
            }
            Path snapDir = dir.resolve("data").resolve(LogFormat.SUBDIR);
            String last = Long.toHexString(zk.exists("/seq", false).getPzxid());
            while (!Files.exists(snapDir.resolve("snapshot." + last))) {
                assertThat(System.nanoTime()).as("snapshot written").isLessThan(deadline);
                LockSupport.parkNanos(5_000_000);
            }
            assertThat(Files.list(dir.resolve("log").resolve(LogFormat.SUBDIR)).count()).isGreaterThan(1);
        } finally {
            server.close();
        }
        awaitState(zk, false);

        // Closing the session removes its ephemeral durably.
        server = PaddockServer.start(config(port));
        try {
            awaitState(zk, true);
            zk.close();
            ZooKeeper other = connect(port);
            assertThat(other.exists("/e", false)).isNull();
            assertThat(other.getChildren("/seq", false)).containsExactlyInAnyOrder("n-0000000000", "n-0000000001",
                    "n-0000000003");
            other.close();
        } finally {
            server.close();
        }
        server = PaddockServer.start(config(port));
        try {
            ZooKeeper other = connect(port);
            assertThat(other.exists("/e", false)).isNull();
            assertThat(other.getData("/m", false, null)).isEqualTo("99".getBytes());
            other.close();
        } finally {
            server.close();
        }
    }
}
