package dev.paddock.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Open-loop load: requests go out on a fixed schedule (request i is due at start + i / rate, whatever happened
 * to the earlier ones), round robin over many sessions, and each one's latency runs from the time it was due,
 * not from when it was sent. A closed loop (the {@code load} section) sends the next request only when one
 * completes, so a server that stalls is simply sent less during the stall and the stall shows in few samples
 * (coordinated omission); here every request due during a stall waits for it and is counted.
 *
 * <p>Nothing queues without a bound: a session holds at most {@link Plan#maxOutstandingPerSession} requests
 * sent and not answered, and a request due while its session is full is not sent at all but counted as a missed
 * send, so a server that cannot keep up shows as an achieved rate below the target and missed sends, and the
 * generator's memory stays bounded. One thread (the caller) sends; answers arrive on the sessions' threads.
 */
final class OpenLoop {
    /** Fixed, so both servers get the same sequence of reads, writes and keys. */
    private static final long SEED = 0x5EED_1A7E_4C1EL;

    private OpenLoop() {
    }

    /** Where requests go: {@code count()} asynchronous sessions. */
    interface Sessions {
        int count();

        /**
         * Sends a getData ({@code read}) or a setData of key {@code key} on one session; {@code done} gets the
         * result code once, from any thread.
         */
        void send(int session, boolean read, int key, IntConsumer done);
    }

    /** The time source and the wait, so a test can run the schedule on a clock of its own. */
    interface Ticker {
        long nanoTime();

        void sleepUntil(long nanoTime) throws InterruptedException;

        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepUntil(long deadline) throws InterruptedException {
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
        };
    }

    /** One point: the mix, the rate, how long, and the bound on requests outstanding per session. */
    record Plan(double readFraction, int keys, double ratePerSec, long warmupNanos, long measureNanos,
                int maxOutstandingPerSession, long drainTimeoutNanos) {
    }

    /**
     * What one point measured, over the requests due in the measured window: {@code scheduled} were due,
     * {@code missedSends} of them found their session full; {@code latencies} (sorted) from due time to answer,
     * {@code sendLag} (sorted) how late the sender was for those it sent (the harness's own delay).
     */
    record Result(double targetPerSec, double achievedPerSec, long scheduled, long missedSends, long errors,
                  Latencies latencies, Latencies sendLag, double cpuMicrosPerOp) {
    }

    static Result run(Sessions sessions, Plan plan, Ticker ticker, LongSupplier serverCpuNanos)
            throws InterruptedException {
        Lane[] lanes = new Lane[sessions.count()];
        for (int s = 0; s < lanes.length; s++) {
            lanes[s] = new Lane(sessions, s, plan.maxOutstandingPerSession(), ticker);
        }
        long start = ticker.nanoTime();
        long measureStart = start + plan.warmupNanos();
        long measureEnd = measureStart + plan.measureNanos();
        double interval = 1e9 / plan.ratePerSec();
        SplittableRandom rnd = new SplittableRandom(SEED);
        Latencies lag = new Latencies();
        long scheduled = 0;
        long missed = 0;
        long cpuBefore = -1;
        for (long i = 0; ; i++) {
            long due = start + (long) (i * interval);
            if (due >= measureEnd) {
                break;
            }
            long now = ticker.nanoTime();
            if (now < due) {
                ticker.sleepUntil(due);
                now = ticker.nanoTime();
            }
            boolean measured = due >= measureStart;
            if (measured && scheduled == 0) {
                cpuBefore = serverCpuNanos.getAsLong();
            }
            boolean read = rnd.nextDouble() < plan.readFraction();
            int key = rnd.nextInt(plan.keys());
            if (measured) {
                scheduled++;
            }
            if (!lanes[(int) (i % lanes.length)].trySend(read, key, due, measured)) {
                missed += measured ? 1 : 0;
            } else if (measured) {
                lag.add(now - due);
            }
        }
        drain(lanes, ticker, plan.drainTimeoutNanos());
        long cpuAfter = serverCpuNanos.getAsLong();
        Latencies all = new Latencies();
        long completed = 0;
        long errors = 0;
        for (Lane lane : lanes) {
            synchronized (lane) {
                all.addAll(lane.latencies);
                completed += lane.completed;
                errors += lane.errors;
            }
        }
        double seconds = plan.measureNanos() / 1e9;
        return new Result(plan.ratePerSec(), completed / seconds, scheduled, missed, errors, all.sorted(), lag.sorted(),
                ProcessCpu.microsPerOp(cpuBefore, cpuAfter, completed));
    }

    /** Waits for every sent request to be answered (the measured window's tail is part of its latencies). */
    private static void drain(Lane[] lanes, Ticker ticker, long timeoutNanos) throws InterruptedException {
        long deadline = ticker.nanoTime() + timeoutNanos;
        while (true) {
            int outstanding = 0;
            for (Lane lane : lanes) {
                outstanding += lane.outstanding.get();
            }
            if (outstanding == 0) {
                return;
            }
            if (ticker.nanoTime() - deadline > 0) {
                throw new IllegalStateException(outstanding + " requests still unanswered "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s after the last was due");
            }
            ticker.sleepUntil(ticker.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** One session's bounded share of the schedule and what its answers measured. */
    private static final class Lane {
        final Sessions sessions;
        final int index;
        final int maxOutstanding;
        final Ticker ticker;
        /** Incremented by the sender only, decremented by the answers: the sender's check cannot overshoot. */
        final AtomicInteger outstanding = new AtomicInteger();
        final Latencies latencies = new Latencies();
        long completed;
        long errors;

        Lane(Sessions sessions, int index, int maxOutstanding, Ticker ticker) {
            this.sessions = sessions;
            this.index = index;
            this.maxOutstanding = maxOutstanding;
            this.ticker = ticker;
        }

        boolean trySend(boolean read, int key, long due, boolean measured) {
            if (outstanding.get() >= maxOutstanding) {
                return false;
            }
            outstanding.incrementAndGet();
            sessions.send(index, read, key, rc -> answered(rc, due, measured));
            return true;
        }

        /** Synchronized: the samples are read by the sender after the drain (and a fake may answer from anywhere). */
        synchronized void answered(int rc, long due, boolean measured) {
            if (measured) {
                latencies.add(ticker.nanoTime() - due);
                completed++;
                if (rc != 0) {
                    errors++;
                }
            }
            outstanding.decrementAndGet();
        }
    }
}
