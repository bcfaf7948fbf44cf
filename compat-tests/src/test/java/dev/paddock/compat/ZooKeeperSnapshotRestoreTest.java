package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.GlobalSystemProperties;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

/**
 * Paddock's restore takes ZooKeeper's snapshot too (beyond ZooKeeper, whose restore reads its own format
 * only): a snapshot streamed by ZooKeeper 3.9.5's AdminServer, POSTed to Paddock's restore, is then what
 * Paddock serves, node for node (data, ACL, versions, zxids), and what it serves after a restart.
 */
class ZooKeeperSnapshotRestoreTest {
    static {
        GlobalSystemProperties.install();
    }

    private static final String AUTH = "digest restorer:secret";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aZooKeeperSnapshotRestoredIntoPaddock() throws Exception {
        byte[] snapshot;
        Map<String, String> written;
        int zkAdmin = freePort();
        try (ServerUnderTest zk = Target.ZOOKEEPER.start(settings(zkAdmin)); ZooKeeper client = connect(zk)) {
            client.create("/zk", "top".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            for (int i = 0; i < 20; i++) {
                client.create("/zk/seq-", ("n" + i).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL);
            }
            List<ACL> readOnly = java.util.Arrays.asList(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE),
                    new ACL(ZooDefs.Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("a:b"))));
            client.create("/zk/locked", "x".getBytes(StandardCharsets.UTF_8), readOnly, CreateMode.PERSISTENT);
            client.setData("/zk", "top2".getBytes(StandardCharsets.UTF_8), -1);
            written = tree(client);
            HttpResponse<byte[]> taken = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + zkAdmin + "/commands/snapshot")).header("Authorization", AUTH).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(taken.statusCode()).isEqualTo(200);
            snapshot = taken.body();
        }
        int paddockAdmin = freePort();
        try (ServerUnderTest paddock = Target.PADDOCK.start(settings(paddockAdmin))) {
            HttpResponse<String> restored = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + paddockAdmin + "/commands/restore")).header("Authorization", AUTH)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(snapshot)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
            try (ZooKeeper client = connect(paddock)) {
                assertThat(tree(client)).isEqualTo(written);
            }
            paddock.restart();
            try (ZooKeeper client = connect(paddock)) {
                assertThat(tree(client)).isEqualTo(written);
            }
        }
    }

    /** Every node under /zk: data, ACL and the stat fields a restore keeps. */
    private static Map<String, String> tree(ZooKeeper zk) throws Exception {
        Map<String, String> out = new TreeMap<>();
        List<String> paths = new ArrayList<>(List.of("/zk"));
        while (!paths.isEmpty()) {
            String path = paths.remove(paths.size() - 1);
            Stat stat = new Stat();
            byte[] data = zk.getData(path, false, stat);
            List<ACL> acl = zk.getACL(path, new Stat());
            out.put(path, new String(data, StandardCharsets.UTF_8) + " " + acl + " czxid=" + stat.getCzxid()
                    + " mzxid=" + stat.getMzxid() + " pzxid=" + stat.getPzxid() + " version=" + stat.getVersion()
                    + " cversion=" + stat.getCversion() + " ctime=" + stat.getCtime() + " children="
                    + stat.getNumChildren());
            for (String child : zk.getChildren(path, false)) {
                paths.add(path + "/" + child);
            }
        }
        return out;
    }

    private static ServerSettings settings(int adminPort) {
        String port = Integer.toString(adminPort);
        return ServerSettings.defaults()
                .zooCfg("admin.enableServer", "true")
                .zooCfg("admin.serverAddress", "127.0.0.1")
                .zooCfg("admin.serverPort", port)
                .systemProperty("zookeeper.admin.enableServer", "true")
                .systemProperty("zookeeper.admin.serverPort", port)
                .systemProperty("zookeeper.admin.serverAddress", "127.0.0.1");
    }

    private static ZooKeeper connect(ServerUnderTest server) throws IOException {
        ZooKeeper zk = new ZooKeeper(server.connectString(), 30_000, e -> { });
        Await.until("connected", Duration.ofSeconds(30), () -> zk.getState() == ZooKeeper.States.CONNECTED);
        return zk;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
