package dev.paddock.server.mirror;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.migration.RealZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Not a test (not run by the build): writes through a Paddock mirror against writes through a ZooKeeper
 * follower of the same ZooKeeper 3.9.5 ensemble (three participants in child JVMs, the mirror server in this
 * JVM). For each: the median and p99 of 500 synchronous setData of 100 bytes, then pipelined async setData
 * (at most 500 outstanding) for a number of seconds. Run from the server module after
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}:
 * {@code java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt)
 * dev.paddock.server.mirror.MirrorWriteBench [workDir] [seconds]}.
 */
public final class MirrorWriteBench {
    private MirrorWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of(args.length > 0 ? args[0]
                : "/tmp/paddock-mirror-bench")), "run");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (ZooKeeperEnsemble zk = ZooKeeperEnsemble.start(work)) {
            Path home = work.resolve("mirror");
            Files.createDirectories(home.resolve("data"));
            Files.writeString(home.resolve("data/myid"), Integer.toString(ZooKeeperEnsemble.MIRROR_ID));
            Map<String, String> cfg = new LinkedHashMap<>(zk.baseConfig(home));
            cfg.put("clientPort", Integer.toString(ServerTestSupport.freePort()));
            cfg.put("peerType", "observer");
            cfg.put(MirrorConfig.PROTOCOL_KEY, "zookeeper");
            try (PaddockServer mirror = PaddockServer.start(ServerTestSupport.config(home, cfg))) {
                ServerTestSupport.awaitMode(mirror.clientPort(), "observer");
                int leader = zk.leader();
                int follower = zk.members.keySet().stream().filter(id -> id != leader).findFirst().orElseThrow();
                try (ZooKeeper c = RealZooKeeper.client("127.0.0.1:" + zk.clientPorts.get(follower), 30_000)) {
                    c.create("/bench", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                for (int round = 0; round < 2; round++) {
                    run("ZooKeeper follower", "127.0.0.1:" + zk.clientPorts.get(follower), seconds);
                    run("Paddock mirror", "127.0.0.1:" + mirror.clientPort(), seconds);
                }
            }
        }
    }

    private static void run(String name, String connect, int seconds) throws Exception {
        try (ZooKeeper c = RealZooKeeper.client(connect, 30_000)) {
            long[] nanos = new long[500];
            for (int i = 0; i < nanos.length; i++) {
                long t = System.nanoTime();
                c.setData("/bench", new byte[100], -1);
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            Semaphore window = new Semaphore(500);
            AtomicLong done = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                window.acquire();
                c.setData("/bench", new byte[100], -1, (rc, path, ctx, stat) -> {
                    done.incrementAndGet();
                    window.release();
                }, null);
            }
            window.acquire(500);
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-18s sync setData median %.2f ms p99 %.2f ms; pipelined %d writes, %.0f/s%n", name,
                    nanos[250] / 1e6, nanos[495] / 1e6, done.get(), done.get() / elapsed);
        }
    }
}
