package dev.paddock.server.stats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the AdminServer's snapshot and restore commands count, under ZooKeeper's mntr names:
 * {@code snapshot_error_count}, {@code snapshot_rate_limited_count}, {@code restore_error_count},
 * {@code restore_rate_limited_count} and the summary {@code restore_time} (ms from a checked body to the
 * restored state on disk). Any thread.
 */
public final class AdminCommandStats {
    private final AtomicLong snapshotErrors = new AtomicLong();
    private final AtomicLong snapshotsRateLimited = new AtomicLong();
    private final AtomicLong restoreErrors = new AtomicLong();
    private final AtomicLong restoresRateLimited = new AtomicLong();
    private final Summary restoreTime = new Summary(false);

    public void snapshotError() {
        snapshotErrors.incrementAndGet();
    }

    public void snapshotRateLimited() {
        snapshotsRateLimited.incrementAndGet();
    }

    public void restoreError() {
        restoreErrors.incrementAndGet();
    }

    public void restoreRateLimited() {
        restoresRateLimited.incrementAndGet();
    }

    public void restoreTime(long ms) {
        restoreTime.add(ms);
    }

    /** The counter of one of ZooKeeper's mntr names, or -1 when the name is not one of these. */
    public long counter(String mntrName) {
        return switch (mntrName) {
            case "snapshot_error_count" -> snapshotErrors.get();
            case "snapshot_rate_limited_count" -> snapshotsRateLimited.get();
            case "restore_error_count" -> restoreErrors.get();
            case "restore_rate_limited_count" -> restoresRateLimited.get();
            default -> -1;
        };
    }

    public Summary restoreTime() {
        return restoreTime;
    }

    /** srst: ZooKeeper's reset of its server statistics resets every metric too. */
    void reset() {
        snapshotErrors.set(0);
        snapshotsRateLimited.set(0);
        restoreErrors.set(0);
        restoresRateLimited.set(0);
        restoreTime.reset();
    }
}
