package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Closed-loop load with the asynchronous client: N sessions, each keeping W requests in flight; every
 * completion issues the next request. Reads are getData, writes setData, on keys picked at random.
 */
final class LoadGenerator implements AutoCloseable {
    static final String ROOT = "/load";

    /** What one load point measured. */
    record Point(double opsPerSec, double p50Ms, double p99Ms, double p999Ms, double meanMs, long errors,
                 double cpuMicrosPerOp) {
    }

    private final List<ZooKeeper> sessions = new ArrayList<>();
    private final int keys;

    LoadGenerator(String connect, int sessionCount, int keys) throws Exception {
        this(List.of(connect), sessionCount, keys);
    }

    /** Session i connects to {@code connects.get(i % size)}: an ensemble's sessions spread over its members. */
    LoadGenerator(List<String> connects, int sessionCount, int keys) throws Exception {
        this.keys = keys;
        try {
            for (int i = 0; i < sessionCount; i++) {
                sessions.add(Clients.connect(connects.get(i % connects.size()), 30_000));
            }
            Clients.ensure(sessions.get(0), ROOT, new byte[0]);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    static String key(int i) {
        return ROOT + "/k" + i;
    }

    /** Creates the keys if needed and sets them all to {@code payloadBytes} bytes. */
    void prepare(int payloadBytes) throws Exception {
        prepare(sessions.get(0), keys, payloadBytes);
    }

    /** Creates keys 0 to {@code keys - 1} under {@link #ROOT} if needed and sets them all to {@code payloadBytes} bytes. */
    static void prepare(ZooKeeper zk, int keys, int payloadBytes) throws Exception {
        byte[] data = new byte[payloadBytes];
        Semaphore window = new Semaphore(500);
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(keys);
        for (int i = 0; i < keys; i++) {
            window.acquire();
            final String path = key(i);
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, p, ctx, name) -> {
                if (rc == KeeperException.Code.NODEEXISTS.intValue()) {
                    zk.setData(path, data, -1, (rc2, p2, ctx2, stat) -> {
                        if (rc2 != 0) {
                            failures.incrementAndGet();
                        }
                        window.release();
                        done.countDown();
                    }, null);
                    return;
                }
                if (rc != 0) {
                    failures.incrementAndGet();
                }
                window.release();
                done.countDown();
            }, null);
        }
        if (!done.await(300, TimeUnit.SECONDS) || failures.get() > 0) {
            throw new IllegalStateException("preparing load keys failed: " + failures.get() + " errors");
        }
    }

    /** @param serverCpuNanos the server's CPU time so far (read at the window's start and end) */
    Point run(double readFraction, int payloadBytes, int inFlightPerSession, int warmupMs, int measureMs,
              LongSupplier serverCpuNanos) throws InterruptedException {
        byte[] data = new byte[payloadBytes];
        long start = System.nanoTime();
        long measureStart = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
        long measureEnd = measureStart + TimeUnit.MILLISECONDS.toNanos(measureMs);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        for (ZooKeeper zk : sessions) {
            workers.add(new Worker(zk, readFraction, data, measureStart, measureEnd, inFlight, errors));
        }
        for (int w = 0; w < inFlightPerSession; w++) {
            for (Worker worker : workers) {
                inFlight.incrementAndGet();
                worker.issue();
            }
        }
        sleepUntil(measureStart);
        long cpuBefore = serverCpuNanos.getAsLong();
        sleepUntil(measureEnd);
        long cpuAfter = serverCpuNanos.getAsLong();
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (inFlight.get() > 0) {
            if (System.nanoTime() > drainDeadline) {
                throw new IllegalStateException(inFlight.get() + " requests still in flight 60 s after the run");
            }
            Thread.sleep(1);
        }
        Latencies all = new Latencies();
        long completed = 0;
        for (Worker worker : workers) {
            all.addAll(worker.latencies);
            completed += worker.completedInWindow;
        }
        all.sorted();
        double seconds = measureMs / 1000.0;
        return new Point(completed / seconds, all.percentileNanos(50) / 1e6, all.percentileNanos(99) / 1e6,
                all.percentileNanos(99.9) / 1e6, all.meanNanos() / 1e6, errors.get(),
                ProcessCpu.microsPerOp(cpuBefore, cpuAfter, completed));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long sleepNanos = nanoTime - System.nanoTime();
        if (sleepNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(sleepNanos);
        }
    }

    /** One session's closed loop; its callbacks all run on that session's event thread. */
    private final class Worker implements AsyncCallback.DataCallback, AsyncCallback.StatCallback {
        final ZooKeeper zk;
        final double readFraction;
        final byte[] data;
        final long measureStart;
        final long measureEnd;
        final AtomicInteger inFlight;
        final AtomicLong errors;
        final Latencies latencies = new Latencies();
        long completedInWindow;

        Worker(ZooKeeper zk, double readFraction, byte[] data, long measureStart, long measureEnd,
                AtomicInteger inFlight, AtomicLong errors) {
            this.zk = zk;
            this.readFraction = readFraction;
            this.data = data;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.inFlight = inFlight;
            this.errors = errors;
        }

        void issue() {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            String path = key(rnd.nextInt(keys));
            Long sent = System.nanoTime();
            if (readFraction >= 1.0 || (readFraction > 0 && rnd.nextDouble() < readFraction)) {
                zk.getData(path, false, (AsyncCallback.DataCallback) this, sent);
            } else {
                zk.setData(path, data, -1, (AsyncCallback.StatCallback) this, sent);
            }
        }

        private void completed(int rc, Object ctx) {
            long now = System.nanoTime();
            long sent = (Long) ctx;
            if (rc != 0) {
                errors.incrementAndGet();
            }
            if (now >= measureStart && now <= measureEnd) {
                latencies.add(now - sent);
                completedInWindow++;
            }
            if (now < measureEnd) {
                issue();
            } else {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void processResult(int rc, String path, Object ctx, byte[] data, org.apache.zookeeper.data.Stat stat) {
            completed(rc, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, org.apache.zookeeper.data.Stat stat) {
            completed(rc, ctx);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ZooKeeper zk : sessions) {
            zk.close();
        }
    }
}
