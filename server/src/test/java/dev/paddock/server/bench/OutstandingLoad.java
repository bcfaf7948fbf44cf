package dev.paddock.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The load loop of the manual benchmarks: each session keeps {@code inFlight} asynchronous setData (or
 * getData) of 100 bytes outstanding on its own node; after a warm-up, counts completions and latencies.
 */
final class OutstandingLoad {
    private OutstandingLoad() {
    }

    /** Returns {ops/s, p50 ms, p99 ms}; creates {@code pathPrefix + i} for session i when missing. */
    static double[] run(List<ZooKeeper> zks, String pathPrefix, boolean write, int inFlight, long warmupSeconds,
                        int seconds) throws Exception {
        for (int i = 0; i < zks.size(); i++) {
            if (zks.get(i).exists(pathPrefix + i, false) == null) {
                zks.get(i).create(pathPrefix + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Long> latenciesNs = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        byte[] data = new byte[100];
        for (int i = 0; i < zks.size(); i++) {
            ZooKeeper zk = zks.get(i);
            String path = pathPrefix + i;
            Thread t = new Thread(() -> {
                Semaphore slots = new Semaphore(inFlight);
                while (!stop.get()) {
                    try {
                        if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    long start = System.nanoTime();
                    Runnable done = () -> {
                        if (measuring.get()) {
                            latenciesNs.add(System.nanoTime() - start);
                        }
                        slots.release();
                    };
                    if (write) {
                        zk.setData(path, data, -1, (rc, p, ctx, stat) -> done.run(), null);
                    } else {
                        zk.getData(path, false, (rc, p, ctx, d, stat) -> done.run(), null);
                    }
                }
                slots.acquireUninterruptibly(inFlight);
            });
            threads.add(t);
            t.start();
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmupSeconds));
        measuring.set(true);
        long t0 = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
        measuring.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        long[] sorted = latenciesNs.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new double[] {0, 0, 0};
        }
        return new double[] {sorted.length / elapsed, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1e6};
    }
}
