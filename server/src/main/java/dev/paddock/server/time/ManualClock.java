package dev.paddock.server.time;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; for tests and simulations. */
public final class ManualClock implements Clock {
    private final AtomicLong nowMs;

    public ManualClock(long startMs) {
        this.nowMs = new AtomicLong(startMs);
    }

    @Override
    public long wallMs() {
        return nowMs.get();
    }

    @Override
    public long monotonicMs() {
        return nowMs.get();
    }

    public void advanceMs(long ms) {
        nowMs.addAndGet(ms);
    }
}
