package dev.paddock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.SnapshotFile;
import dev.paddock.server.tree.Reads;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.wire.proto.Id;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.StatsTrack;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ZooKeeper 3.9.5 data directory holding quotas imports with the usage ZooKeeper served. ZooKeeper logs no
 * transaction for its stats nodes (it changes them as it applies each create, delete and setData), so an import
 * that only replayed the log would keep the usage of the snapshot; the imported state counts every quota afresh,
 * as ZooKeeper's setupQuota does when it loads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuotaImportTest {
    @TempDir
    Path dir;

    @Test
    void importedQuotaStatsAreTheOnesZooKeeperServed() throws Exception {
        Path data = dir.resolve("data");
        int port = ServerTestSupport.freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("zookeeper.snapCount", "40"); // snapshots mid-load: the log after the newest one holds changes
        Map<String, String> served = new LinkedHashMap<>();
        try (RealZooKeeper zk = RealZooKeeper.start(dir, ZooKeeperImportTest.zooCfg(port, data), props,
                RealZooKeeper.testClassPath(), "org.apache.zookeeper.server.ZooKeeperServerMain")) {
            ZooKeeper c = RealZooKeeper.client(zk.connectString(), 30_000);
            c.create("/q", "root".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            c.create("/r", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            StatsTrack limit = new StatsTrack();
            limit.setCount(1000);
            limit.setByteHardLimit(100_000);
            setQuota(c, "/q", limit);
            setQuota(c, "/r/s", limit); // on a path that is created later
            for (int i = 0; i < 97; i++) {
                c.create("/q/n" + i, ("value " + i).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
                if (i % 3 == 0) {
                    c.setData("/q/n" + i, new byte[i], -1);
                }
                if (i % 7 == 6) {
                    c.delete("/q/n" + (i - 3), -1);
                }
            }
            c.create("/r/s", new byte[9], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            c.create("/r/s/t", new byte[4], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (String path : List.of("/zookeeper/quota/q/zookeeper_stats", "/zookeeper/quota/r/s/zookeeper_stats",
                    "/zookeeper/quota/q/zookeeper_limits")) {
                served.put(path, new String(c.getData(path, false, null), StandardCharsets.UTF_8));
            }
            c.close();
            zk.kill();
        }
        assertThat(served.get("/zookeeper/quota/r/s/zookeeper_stats")).isEqualTo("count=2,bytes=13");

        ZooKeeperImport.importInto(ZkDataDir.of(data, data), data, true);
        StateMachine imported = importedState(data);
        Reads reads = new Reads(imported.tree());
        List<Id> anyone = List.of(new Id("ip", "127.0.0.1"));
        for (Map.Entry<String, String> e : served.entrySet()) {
            assertThat(new String(reads.getData(e.getKey(), anyone).data(), StandardCharsets.UTF_8))
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** The nodes the shell's setquota writes for a new quota (the shell's classes need commons-cli). */
    private static void setQuota(ZooKeeper c, String path, StatsTrack limit) throws Exception {
        String quota = "/zookeeper/quota";
        for (String part : path.substring(1).split("/")) {
            quota += "/" + part;
            if (c.exists(quota, false) == null) {
                c.create(quota, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        c.create(quota + "/zookeeper_limits", limit.getStatsBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        c.create(quota + "/zookeeper_stats", "count=0,bytes=0".getBytes(StandardCharsets.UTF_8),
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    private static StateMachine importedState(Path dataDir) throws Exception {
        try (Stream<Path> s = Files.list(dataDir.resolve(LogFormat.SUBDIR))) {
            Path snap = s.filter(p -> p.getFileName().toString().startsWith("snapshot.")).findFirst().orElseThrow();
            return SnapshotFile.read(snap, true).stateMachine();
        }
    }
}
