package dev.paddock.server.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/** Counters shown by srvr, stat and mntr. Updated from any thread. */
public final class ServerStats {
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong latencyTotalMs = new AtomicLong();
    private final AtomicLong latencyCount = new AtomicLong();
    private final LongAccumulator latencyMinMs = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator latencyMaxMs = new LongAccumulator(Math::max, 0);

    public void received() {
        packetsReceived.incrementAndGet();
    }

    public void sent() {
        packetsSent.incrementAndGet();
    }

    public void latency(long ms) {
        latencyTotalMs.addAndGet(ms);
        latencyCount.incrementAndGet();
        latencyMinMs.accumulate(ms);
        latencyMaxMs.accumulate(ms);
    }

    public long packetsReceived() {
        return packetsReceived.get();
    }

    public long packetsSent() {
        return packetsSent.get();
    }

    public long minLatencyMs() {
        long min = latencyMinMs.get();
        return min == Long.MAX_VALUE ? 0 : min;
    }

    public long maxLatencyMs() {
        return latencyMaxMs.get();
    }

    public double avgLatencyMs() {
        long count = latencyCount.get();
        return count == 0 ? 0 : (double) latencyTotalMs.get() / count;
    }

    public void reset() {
        packetsReceived.set(0);
        packetsSent.set(0);
        latencyTotalMs.set(0);
        latencyCount.set(0);
        latencyMinMs.reset();
        latencyMaxMs.reset();
    }
}
