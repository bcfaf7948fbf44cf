package dev.paddock.server.mirror;

import dev.paddock.server.migration.RealZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Not a test (not run by the build): how far behind a ZooKeeper 3.9.5 ensemble's leader a mirror runs
 * under a write load. Three participants in child JVMs, one mirror in this JVM, pipelined async setData
 * (at most 500 outstanding) on a client of the ensemble for a number of seconds. Whenever the sampler is
 * free, the next answered write is sampled: if the mirror has already applied it (its INFORM arrived before
 * the client's answer) its lag counts as 0, else the sampler waits for the mirror to apply it (polling every
 * 50 µs) and records how long after the client's answer that was. Prints write throughput, how many samples
 * found the mirror ahead, and the percentiles of the lag, over all samples and over the late ones. Run from the server module after
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}:
 * {@code java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt)
 * dev.paddock.server.mirror.MirrorLagBench [workDir] [seconds]}.
 */
public final class MirrorLagBench {
    private record Acked(long zxid, long nanos) {
    }

    private MirrorLagBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of(args.length > 0 ? args[0]
                : "/tmp/paddock-mirror-bench")), "run");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (ZooKeeperEnsemble zk = ZooKeeperEnsemble.start(work);
             ZooKeeper client = RealZooKeeper.client(zk.connectString(), 30_000)) {
            ZkMirror mirror = ZkMirror.start(new MirrorConfig(ZooKeeperEnsemble.MIRROR_ID, zk.voterQuorumAddresses(),
                    ZooKeeperEnsemble.TICK_MS, 10, 5, true, 0xfffff * 2 + 1024), new MirrorState(true));
            try {
                for (int i = 0; i < 100; i++) {
                    client.create("/bench" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                run(client, mirror, seconds);
            } finally {
                mirror.close();
            }
        }
    }

    private static void run(ZooKeeper client, ZkMirror mirror, int seconds) throws Exception {
        AtomicReference<Acked> pending = new AtomicReference<>();
        AtomicLong writes = new AtomicLong();
        AtomicLong mirrorFirst = new AtomicLong();
        Semaphore window = new Semaphore(500);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Long> lagsMicros = Collections.synchronizedList(new ArrayList<>());
        Thread sampler = new Thread(() -> sample(mirror, pending, end, lagsMicros), "lag-sampler");
        sampler.start();
        AsyncCallback.StatCallback done = (rc, path, ctx, stat) -> {
            window.release();
            if (stat == null) {
                return;
            }
            writes.incrementAndGet();
            long now = System.nanoTime();
            if (pending.get() == null) {
                // One sample at a time: the first answer after the sampler is free again.
                if (mirror.state().lastZxid() >= stat.getMzxid()) {
                    mirrorFirst.incrementAndGet();
                    lagsMicros.add(0L);
                } else {
                    pending.compareAndSet(null, new Acked(stat.getMzxid(), now));
                }
            }
        };
        long start = System.nanoTime();
        int i = 0;
        byte[] data = new byte[100];
        while (System.nanoTime() < end) {
            window.acquire();
            client.setData("/bench" + (i++ % 100), data, -1, done, null);
        }
        window.acquire(500);
        double secs = (System.nanoTime() - start) / 1e9;
        sampler.join();
        List<Long> lags = new ArrayList<>(lagsMicros);
        Collections.sort(lags);
        System.out.printf("writes: %,d in %.1f s (%,.0f/s); mirror at 0x%x; %d samples, %d with the mirror"
                + " ahead of the client%n", writes.get(), secs, writes.get() / secs, mirror.state().lastZxid(),
                lags.size(), mirrorFirst.get());
        if (!lags.isEmpty()) {
            System.out.printf("MIRROR LAG after the client's answer: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    at(lags, 0.5) / 1000.0, at(lags, 0.9) / 1000.0, at(lags, 0.99) / 1000.0,
                    lags.get(lags.size() - 1) / 1000.0);
            List<Long> late = lags.stream().filter(l -> l > 0).toList();
            if (!late.isEmpty()) {
                System.out.printf("late samples (%d): p50 %.2f ms, p90 %.2f ms, max %.2f ms%n", late.size(),
                        at(late, 0.5) / 1000.0, at(late, 0.9) / 1000.0, late.get(late.size() - 1) / 1000.0);
            }
        }
    }

    private static long at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
    }

    /** Waits for the mirror to apply each sampled write, polling every 50 µs, and records how long after its answer. */
    private static void sample(ZkMirror mirror, AtomicReference<Acked> pending, long end, List<Long> lagsMicros) {
        while (System.nanoTime() < end) {
            Acked a = pending.get();
            if (a == null) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                continue;
            }
            while (mirror.state().lastZxid() < a.zxid()) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
            lagsMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - a.nanos()));
            pending.set(null);
        }
    }
}
