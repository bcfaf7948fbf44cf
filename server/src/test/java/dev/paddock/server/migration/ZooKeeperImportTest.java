package dev.paddock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replace the binary, keep the data directory: a real ZooKeeper 3.9.5 server (child JVM) runs a mixed
 * workload with a small snapCount (so it snapshots and rolls its log many times mid-load), with its
 * snapshots plain, gzip or snappy; it is killed with clients still holding sessions; Paddock starts on the
 * same zoo.cfg and must serve the same tree, node by node (path, data, ACL, every Stat field), keep the
 * sessions (a client reconnecting by itself, another reattaching with the id and password ZooKeeper gave it)
 * and their ephemerals, continue in a later epoch, and leave ZooKeeper's files as they were.
 */
class ZooKeeperImportTest {
    @TempDir
    Path dir;
    /** Clients and client JVMs to stop whatever happens, so a failing case leaves no process behind. */
    private final java.util.List<AutoCloseable> cleanup = new java.util.ArrayList<>();
    /** A client that stays connected while ZooKeeper is replaced. */
    private ZooKeeper stayer;
    /** A client JVM holding a session and ephemerals, killed with ZooKeeper. */
    private RealZooKeeper.Holder survivor;

    @org.junit.jupiter.api.AfterEach
    void stopClients() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @ParameterizedTest(name = "ZooKeeper 3.9.5, snapshots compressed with \"{0}\"")
    @ValueSource(strings = {"", "gz", "snappy"})
    void paddockServesTheTreeAndSessionsZooKeeperLeft(String compression) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("zookeeper.snapshot.compression.method", compression);
        swapAndCompare(RealZooKeeper.testClassPath(), props, true, true);
        if (!compression.isEmpty()) {
            assertThat(filesIn(dir.resolve("data/version-2"))).anyMatch(f -> f.endsWith("." + compression));
        }
    }

    /**
     * Older releases, each in a child JVM on its own jars (copied into target/zookeeper-servers by the build)
     * plus the logging and metrics jars of the test class path. 3.4 has neither containers nor TTL nodes,
     * writes no digests and no closeSession paths; 3.5 writes no digests either; 3.6 to 3.8 write digests
     * but no last-zxid section in snapshots.
     */
    @ParameterizedTest(name = "ZooKeeper {0}")
    @ValueSource(strings = {"3.8.6", "3.7.2", "3.6.4", "3.5.10", "3.4.14"})
    void olderZooKeeperReleases(String version) throws Exception {
        Path jars = Path.of("target", "zookeeper-servers", version);
        assertThat(jars).as("copied by the build (mvn generate-test-resources)").isDirectory();
        java.util.List<String> cp = new java.util.ArrayList<>();
        try (Stream<Path> s = Files.list(jars)) {
            s.forEach(p -> cp.add(p.toAbsolutePath().toString()));
        }
        for (String entry : RealZooKeeper.testClassPath().split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("slf4j-") || name.startsWith("metrics-core") || name.startsWith("commons-io")
                    || name.startsWith("snappy-java")
                    || entry.contains("test-classes")) {
                cp.add(entry);
            }
        }
        boolean digests = !version.startsWith("3.4") && !version.startsWith("3.5");
        swapAndCompare(String.join(java.io.File.pathSeparator, cp), new LinkedHashMap<>(), !version.equals("3.4.14"),
                digests);
    }

    /**
     * @param extended whether the release has containers and TTL nodes (3.5+)
     * @param digests  whether it logs tree digests (3.6+), which the import then checks its tree against
     */
    private void swapAndCompare(String zkClassPath, Map<String, String> props, boolean extended, boolean digests)
            throws Exception {
        Map<String, String> before = zooKeeperRunsAndStops(zkClassPath, props, extended);
        assertThat(filesIn(dir.resolve("data/version-2"))).as("ZooKeeper wrote several snapshots and logs")
                .filteredOn(f -> f.startsWith("snapshot.")).hasSizeGreaterThan(3);
        Map<String, String> zkFiles = digests(dir.resolve("data/version-2"));
        // Paddock right away: since 3.9 a client that reaches no server within its session timeout gives up
        // (ZOOKEEPER-4508), so the swap has to be quicker than that, as an operator's would be.
        try (PaddockServer paddock = PaddockServer.start(ServerConfig.load(dir.resolve("zoo.cfg")))) {
            paddockServesWhatZooKeeperServed("127.0.0.1:" + paddock.clientPort(), before, extended);
        }
        assertThat(digests(dir.resolve("data/version-2"))).as("ZooKeeper's files are untouched").isEqualTo(zkFiles);
        // The same import on a copy of ZooKeeper's files, for its report: the restored tree against the digest
        // ZooKeeper logged with its last transaction.
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        ImportCorruptionTest.copyTree(dir.resolve("data/version-2"), copy.resolve("version-2"));
        ImportReport check = ZooKeeperImport.importInto(copy, copy, true);
        if (digests) {
            assertThat(check.digestCheck()).startsWith("matches ZooKeeper's digest");
        }
        assertThat(check.problems()).isEmpty();
    }

    /** ZooKeeper under the workload, then killed with two sessions open; returns the tree it served. */
    private Map<String, String> zooKeeperRunsAndStops(String zkClassPath, Map<String, String> props, boolean extended)
            throws Exception {
        Map<String, String> cfg = zooCfg(ServerTestSupport.freePort(), dir.resolve("data"));
        props.put("zookeeper.extendedTypesEnabled", "true");
        props.put("zookeeper.snapCount", "40");
        props.put("znode.container.checkIntervalMs", "200");
        String cp = RealZooKeeper.testClassPath();
        Map<String, String> before;
        try (RealZooKeeper zk = RealZooKeeper.start(dir, cfg, props, zkClassPath,
                "org.apache.zookeeper.server.ZooKeeperServerMain")) {
            ZooKeeper writer = RealZooKeeper.client(zk.connectString(), 30_000);
            MixedWorkload.run(writer, zk.connectString(), extended, cp);
            stayer = RealZooKeeper.client(zk.connectString(), 60_000);
            cleanup.add(stayer);
            stayer.create("/app/stayer-eph", "mine".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            survivor = RealZooKeeper.Holder.start(zk.connectString(), 30_000, cp, "/app/survivor-1",
                    "/app/survivor-2");
            cleanup.add(survivor);
            writer.close();
            ZooKeeper reader = RealZooKeeper.client(zk.connectString(), 30_000);
            reader.addAuthInfo("digest", MixedWorkload.USER.getBytes(StandardCharsets.UTF_8));
            before = TreeDump.of(reader);
            reader.close();
            zk.kill();
        }
        survivor.close();
        return before;
    }

    private void paddockServesWhatZooKeeperServed(String connect, Map<String, String> before, boolean extended)
            throws Exception {
        // Sessions first: the dead client's session has its timeout from Paddock's start to be taken back.
        // One whose process died reattaches with the id and password ZooKeeper gave it.
        ZooKeeper reattached = reattach(connect, survivor.sessionId, survivor.password);
        cleanup.add(reattached);
        assertThat(reattached.getSessionId()).isEqualTo(survivor.sessionId);
        assertThat(reattached.getEphemerals("/app")).containsExactlyInAnyOrder("/app/survivor-1", "/app/survivor-2");
        // The client that stayed connected through the swap reconnects by itself and keeps its session.
        MixedWorkload.await(() -> stayer.getState() == ZooKeeper.States.CONNECTED
                && stayer.exists("/app/stayer-eph", false) != null);
        assertThat(stayer.exists("/app/stayer-eph", false).getEphemeralOwner()).isEqualTo(stayer.getSessionId());

        ZooKeeper reader = RealZooKeeper.client(connect, 30_000);
        cleanup.add(reader);
        reader.addAuthInfo("digest", MixedWorkload.USER.getBytes(StandardCharsets.UTF_8));
        Map<String, String> after = TreeDump.of(reader);
        Map<String, String> diff = differences(before, after);
        if (!extended) {
            // ZooKeeper 3.4 has no /zookeeper/config; Paddock always has it (as every release since 3.5),
            // which is the one difference, and it shows in /zookeeper's child count.
            assertThat(after).containsKey("/zookeeper/config");
            diff.remove("/zookeeper/config");
            diff.remove("/zookeeper");
            after.remove("/zookeeper/config");
        }
        assertThat(diff).as("nodes that differ (ZooKeeper, then Paddock)").isEmpty();
        assertThat(after).hasSameSizeAs(before);

        Stat created = new Stat();
        reattached.create("/app/after-import", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        assertThat(created.getCzxid() >>> 32).as("a later epoch than ZooKeeper's").isGreaterThan(maxZxid(before) >>> 32);
    }

    /** Path to "zookeeper: ... / paddock: ..." for every node that differs or exists on one side only. */
    static Map<String, String> differences(Map<String, String> zk, Map<String, String> paddock) {
        Map<String, String> diff = new TreeMap<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(zk.keySet());
        paths.addAll(paddock.keySet());
        for (String p : paths) {
            String a = zk.get(p);
            String b = paddock.get(p);
            if (!java.util.Objects.equals(a, b)) {
                diff.put(p, "zookeeper: " + a + " / paddock: " + b);
            }
        }
        return diff;
    }

    static Map<String, String> zooCfg(int port, Path dataDir) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "500");
        cfg.put("clientPort", Integer.toString(port));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("dataDir", dataDir.toString());
        cfg.put("extendedTypesEnabled", "true");
        cfg.put("4lw.commands.whitelist", "*");
        cfg.put("maxSessionTimeout", "60000");
        return cfg;
    }

    private static ZooKeeper reattach(String connect, long id, byte[] password) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, id, password);
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("reattached").isTrue();
        return zk;
    }

    private static long maxZxid(Map<String, String> dump) {
        long max = 0;
        for (String line : dump.values()) {
            for (String key : new String[] {"czxid=0x", "mzxid=0x", "pzxid=0x"}) {
                int i = line.indexOf(key) + key.length();
                max = Math.max(max, Long.parseUnsignedLong(line.substring(i, line.indexOf(',', i)), 16));
            }
        }
        return max;
    }

    static java.util.List<String> filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Map<String, String> digests(Path d) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }
}
