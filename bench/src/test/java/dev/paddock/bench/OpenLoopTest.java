package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The open loop on a simulated clock and a simulated server, so every count and latency is exact: requests are
 * sent on schedule whatever the server does, a stall is charged to every request due during it (no coordinated
 * omission), and a full session turns requests into missed sends instead of a queue.
 */
class OpenLoopTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void steadyServerGetsEveryRequestOnScheduleWithItsServiceTime() throws Exception {
        Simulation sim = new Simulation(2 * MS, Long.MAX_VALUE, Long.MAX_VALUE);
        OpenLoop.Result r = OpenLoop.run(sim, plan(1.0, 100), sim, () -> 0);

        assertThat(r.scheduled()).isEqualTo(1000);
        assertThat(r.missedSends()).isZero();
        assertThat(r.latencies().size()).isEqualTo(1000);
        assertThat(r.latencies().percentileNanos(0)).isEqualTo(2 * MS);
        assertThat(r.latencies().maxNanos()).isEqualTo(2 * MS);
        assertThat(r.achievedPerSec()).isEqualTo(1000.0);
        assertThat(sim.reads).isEqualTo(1100); // warm-up included
        assertThat(sim.writes).isZero();
    }

    @Test
    void stallIsChargedToEveryRequestDueDuringIt() throws Exception {
        // Requests sent from 300 ms to 500 ms after the measured window opens wait until 500 ms.
        Simulation sim = new Simulation(2 * MS, 400 * MS, 600 * MS);
        OpenLoop.Result r = OpenLoop.run(sim, plan(0.0, 100), sim, () -> 0);

        assertThat(r.missedSends()).isZero();
        assertThat(r.latencies().size()).isEqualTo(1000);
        // 800 requests outside the stall take 2 ms; those due at 300..499 ms take 202 down to 3 ms.
        assertThat(r.latencies().percentileNanos(80)).isEqualTo(2 * MS);
        assertThat(r.latencies().percentileNanos(90)).isEqualTo(102 * MS);
        assertThat(r.latencies().maxNanos()).isEqualTo(202 * MS);
        assertThat(sim.writes).isEqualTo(1100);
    }

    @Test
    void fullSessionsMissSendsInsteadOfQueueing() throws Exception {
        Simulation sim = new Simulation(2 * MS, 400 * MS, 600 * MS);
        OpenLoop.Result r = OpenLoop.run(sim, plan(0.5, 20), sim, () -> 0);

        assertThat(sim.maxOutstanding).isEqualTo(20);
        assertThat(r.missedSends()).isPositive();
        assertThat(r.latencies().size() + r.missedSends()).isEqualTo(r.scheduled());
        assertThat(r.achievedPerSec()).isLessThan(r.targetPerSec());
        assertThat(sim.reads).isPositive();
        assertThat(sim.writes).isPositive();
    }

    /** 1,000 requests per second over 4 sessions: 100 ms of warm-up, then 1 s measured. */
    private static OpenLoop.Plan plan(double readFraction, int maxOutstanding) {
        return new OpenLoop.Plan(readFraction, 50, 1000, 100 * MS, 1000 * MS, maxOutstanding, 10_000 * MS);
    }

    /**
     * A clock that moves only when the loop waits, and a server that answers each request a fixed time after it
     * was sent, except that requests sent during a stall are answered when the stall ends (plus that time).
     */
    private static final class Simulation implements OpenLoop.Sessions, OpenLoop.Ticker {
        private record Answer(long at, long seq, IntConsumer done) {
        }

        private final PriorityQueue<Answer> answers = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private final long service;
        private final long stallFrom;
        private final long stallTo;
        private final int[] outstanding = new int[4];
        private long now = 1_000_000 * MS;
        private final long origin = now;
        private long seq;
        int maxOutstanding;
        int reads;
        int writes;

        Simulation(long service, long stallFrom, long stallTo) {
            this.service = service;
            this.stallFrom = stallFrom;
            this.stallTo = stallTo;
        }

        @Override
        public int count() {
            return outstanding.length;
        }

        @Override
        public void send(int session, boolean read, int key, IntConsumer done) {
            if (read) {
                reads++;
            } else {
                writes++;
            }
            outstanding[session]++;
            maxOutstanding = Math.max(maxOutstanding, outstanding[session]);
            long sinceOrigin = now - origin;
            long start = sinceOrigin >= stallFrom && sinceOrigin < stallTo ? origin + stallTo : now;
            answers.add(new Answer(start + service, seq++, rc -> {
                outstanding[session]--;
                done.accept(rc);
            }));
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long deadline) {
            while (!answers.isEmpty() && answers.peek().at <= deadline) {
                Answer a = answers.poll();
                now = Math.max(now, a.at);
                a.done.accept(0);
            }
            now = Math.max(now, deadline);
        }
    }
}
