package dev.paddock.server.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Not a test (not run by the build): write throughput with fsync on (8 sessions, 1/16/128 in flight) and
 * restart time with N znodes, Paddock against Apache ZooKeeper 3.9.5, each server in a child JVM with the
 * same flags and its data on the same disk, in the same run. Run from the server module after
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}:
 * {@code java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.paddock.server.bench.StorageBench
 * [workDir] [znodes] [seconds per point]} (ZooKeeper's server also needs metrics-core 4.1.12.1 on the class
 * path). {@code -Dbench.only=throughput|recovery} and {@code -Dbench.kinds=paddock|zookeeper} pick parts.
 */
public final class StorageBench {
    private static final String[] HEAP = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"};

    private StorageBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/paddock-bench");
        int znodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String only = System.getProperty("bench.only", "throughput,recovery");
        for (String kind : System.getProperty("bench.kinds", "paddock,zookeeper").split(",")) {
            if (only.contains("throughput")) {
                Path dir = fresh(work.resolve(kind + "-tput"));
                int port = 22181;
                Process p = start(kind, dir, port);
                try {
                    awaitServing(port);
                    for (int inFlight : new int[] {1, 16, 128}) {
                        double perSec = throughput(port, 8, inFlight, seconds);
                        System.out.printf("RESULT %s throughput sessions=8 inFlight=%d: %.0f writes/s%n", kind,
                                inFlight, perSec);
                    }
                } finally {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
            if (only.contains("recovery")) {
                Path dir = fresh(work.resolve(kind + "-recovery"));
                int port = 22182;
                Process p = start(kind, dir, port);
                try {
                    awaitServing(port);
                    long t0 = System.nanoTime();
                    populate(port, znodes);
                    System.out.printf("RESULT %s populate %d znodes: %.1f s%n", kind, znodes,
                            (System.nanoTime() - t0) / 1e9);
                } finally {
                    p.destroy();
                    p.waitFor(60, TimeUnit.SECONDS);
                }
                System.out.printf("RESULT %s data on disk: %.0f MB%n", kind, sizeOf(dir) / 1e6);
                // First restart: whatever the server left (ZooKeeper: snapshot at start-up + log; Paddock:
                // snapshots every snapCount entries + log). Second restart: after the snapshot both servers
                // take once they have replayed a log at start-up.
                for (String which : new String[] {"first", "second"}) {
                    long t0 = System.nanoTime();
                    p = start(kind, dir, port);
                    try {
                        awaitServing(port);
                        ZooKeeper zk = connect(port);
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        int children = zk.getChildren("/bench/g0", false).size() * 1000;
                        zk.close();
                        System.out.printf("RESULT %s %s restart with %d znodes to first answer: %d ms (about %d"
                                + " nodes back)%n", kind, which, znodes, ms, children);
                        // Let a snapshot taken after recovery finish before stopping.
                        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(20));
                    } finally {
                        p.destroy();
                        p.waitFor(120, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static Process start(String kind, Path dir, int port) throws IOException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n", "tickTime=2000", "dataDir=" + dir.resolve("data"),
                "clientPort=" + port, "clientPortAddress=127.0.0.1", "4lw.commands.whitelist=*",
                "admin.enableServer=false", "maxClientCnxns=0", "forceSync=yes", ""));
        String main = kind.equals("paddock") ? "dev.paddock.server.Main"
                : "org.apache.zookeeper.server.ZooKeeperServerMain";
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(HEAP));
        cmd.add("-Dzookeeper.admin.enableServer=false");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.add(cfg.toString());
        File log = dir.resolve("server.log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    private static void awaitServing(int port) {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write("ruok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                if (new String(in.readAllBytes(), StandardCharsets.UTF_8).equals("imok")) {
                    return;
                }
            } catch (IOException notYet) {
                // not up yet
            }
            LockSupport.parkNanos(5_000_000);
        }
        throw new IllegalStateException("server did not come up");
    }

    private static ZooKeeper connect(int port) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (true) {
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 30_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            if (connected.await(30, TimeUnit.SECONDS)) {
                return zk;
            }
            zk.close();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot connect");
            }
        }
    }

    /** setData of 100 bytes on one node per session, {@code inFlight} outstanding per session. */
    private static double throughput(int port, int sessions, int inFlight, int seconds) throws Exception {
        List<ZooKeeper> zks = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            zks.add(connect(port));
        }
        try {
            return OutstandingLoad.run(zks, "/t", true, inFlight, Math.max(2, seconds / 2), seconds)[0];
        } finally {
            for (ZooKeeper zk : zks) {
                zk.close();
            }
        }
    }

    /** Creates {@code count} znodes of 32 bytes under /bench in multis of 500, 32 multis in flight. */
    private static void populate(int port, int count) throws Exception {
        ZooKeeper zk = connect(port);
        zk.create("/bench", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        int groups = 1000;
        for (int g = 0; g < groups; g++) {
            zk.create("/bench/g" + g, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        Semaphore slots = new Semaphore(32);
        byte[] data = new byte[32];
        int batch = 500;
        for (int start = 0; start < count; start += batch) {
            List<Op> ops = new ArrayList<>(batch);
            for (int i = start; i < Math.min(count, start + batch); i++) {
                ops.add(Op.create("/bench/g" + (i % groups) + "/n" + i, data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT));
            }
            slots.acquire();
            zk.multi(ops, (rc, path, ctx, results) -> {
                if (rc != 0) {
                    System.err.println("multi failed: " + rc);
                }
                slots.release();
            }, null);
        }
        slots.acquire(32);
        zk.close();
    }
}
