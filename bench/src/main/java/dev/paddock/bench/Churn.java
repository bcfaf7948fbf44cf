package dev.paddock.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/** Session churn: threads that each open a session and close it again, as fast as the server allows. */
final class Churn {
    record Result(double cyclesPerSec, double p50Ms, double p99Ms, double cpuMicrosPerCycle) {
    }

    private Churn() {
    }

    static Result run(int port, int threads, int warmupMs, int measureMs, LongSupplier serverCpuNanos) throws Exception {
        long start = System.nanoTime();
        long measureStart = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
        long measureEnd = measureStart + TimeUnit.MILLISECONDS.toNanos(measureMs);
        List<Latencies> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            Latencies lat = new Latencies();
            perThread.add(lat);
            Thread th = new Thread(() -> {
                try {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= measureEnd) {
                            return;
                        }
                        try (RawProtocol.BlockingSession s = new RawProtocol.BlockingSession(port, 30_000, 10_000)) {
                            s.closeSession();
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureStart && t1 <= measureEnd) {
                            lat.add(t1 - t0);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "churn-" + t);
            th.start();
            workers.add(th);
        }
        TimeUnit.NANOSECONDS.sleep(Math.max(0, measureStart - System.nanoTime()));
        long cpuBefore = serverCpuNanos.getAsLong();
        TimeUnit.NANOSECONDS.sleep(Math.max(0, measureEnd - System.nanoTime()));
        long cpuAfter = serverCpuNanos.getAsLong();
        for (Thread th : workers) {
            th.join(TimeUnit.MILLISECONDS.toMillis(warmupMs + measureMs) + 60_000);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        Latencies all = new Latencies();
        perThread.forEach(all::addAll);
        all.sorted();
        return new Result(all.size() / (measureMs / 1000.0), all.percentileNanos(50) / 1e6,
                all.percentileNanos(99) / 1e6, ProcessCpu.microsPerOp(cpuBefore, cpuAfter, all.size()));
    }
}
