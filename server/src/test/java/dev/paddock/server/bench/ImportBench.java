package dev.paddock.server.bench;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.migration.ImportReport;
import dev.paddock.server.migration.RealZooKeeper;
import dev.paddock.server.migration.ZooKeeperImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Not a test (not run by the build): how long importing a ZooKeeper data directory of N znodes (default one
 * million) takes. A real ZooKeeper 3.9.5 (child JVM, default snapCount, so it snapshots while loading) gets
 * N znodes (1,000 parents of up to 1,000 children, 16 bytes of data each) from pipelined async creates and is
 * killed; then this JVM imports its files (restore: newest snapshot plus log replay; then the Paddock
 * snapshot and epoch files) and, separately, starts Paddock on the result. Run from the server module after
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}:
 * {@code java -Xmx3g -cp target/classes:target/test-classes:$(cat /tmp/cp.txt)
 * dev.paddock.server.bench.ImportBench [workDir] [znodes]}. Run again on the same work directory, it imports
 * the same ZooKeeper files again without loading them.
 */
public final class ImportBench {
    private ImportBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp/paddock-import-bench"));
        int znodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path data = work.resolve("data");
        if (Files.isDirectory(data.resolve("version-2"))) {
            // A second run on the same work directory imports the same ZooKeeper files again.
            System.out.println("Reusing the ZooKeeper data in " + data);
            deleteTree(data.resolve("paddock-1"));
            importAndStart(work, data);
            return;
        }
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "2000");
        cfg.put("clientPort", Integer.toString(port));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("dataDir", data.toString());
        cfg.put("4lw.commands.whitelist", "*");
        long loadStart = System.nanoTime();
        try (RealZooKeeper zk = RealZooKeeper.start(work, cfg, Map.of(), RealZooKeeper.testClassPath(),
                "org.apache.zookeeper.server.ZooKeeperServerMain", "-Xmx3g")) {
            load(zk.connectString(), znodes);
            zk.kill();
        }
        System.out.printf("ZooKeeper loaded %,d znodes in %d s%n", znodes,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - loadStart));
        importAndStart(work, data);
    }

    private static void importAndStart(Path work, Path data) throws Exception {
        ImportReport report = ZooKeeperImport.importInto(data, data, false);
        System.out.println(report.describe());
        System.out.printf("IMPORT %,d znodes: %d ms%n", report.nodes(), report.millis());
        Files.writeString(work.resolve("zoo.cfg"), "tickTime=2000\nclientPort=0\nclientPortAddress=127.0.0.1\n"
                + "dataDir=" + data + "\n");
        long start = System.nanoTime();
        try (PaddockServer paddock = PaddockServer.start(ServerConfig.load(work.resolve("zoo.cfg")))) {
            System.out.printf("PADDOCK START on the imported data: %d ms (port %d)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), paddock.clientPort());
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void load(String connect, int znodes) throws Exception {
        ZooKeeper zk = RealZooKeeper.client(connect, 30_000);
        Semaphore inFlight = new Semaphore(2_000);
        AtomicReference<String> failure = new AtomicReference<>();
        byte[] data = new byte[16];
        zk.create("/bench", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        int parents = (znodes + 999) / 1000;
        for (int p = 0; p < parents; p++) {
            zk.create("/bench/p" + p, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (int i = parents + 1; i < znodes; i++) {
            inFlight.acquire();
            zk.create("/bench/p" + (i % parents) + "/n" + i, data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
                        if (rc != 0) {
                            failure.compareAndSet(null, path + ": rc " + rc);
                        }
                        inFlight.release();
                    }, null);
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
        }
        inFlight.acquire(2_000);
        zk.close();
    }
}
