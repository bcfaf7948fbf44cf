package dev.paddock.server.request;

import dev.paddock.server.time.Clock;

/**
 * Whether this server serves read-only clients now ({@code -Dreadonlymode.enabled=true}): an ensemble member
 * that has been without a leader for a grace period (ZooKeeper's: the longer of two seconds and a tick, so a
 * short election does not count as a partition) keeps answering reads. The quorum protocol knows nothing of it:
 * it is a serving mode of the request layer, driven by whether the write path serves. Request thread only.
 */
public final class ReadOnlyMode {
    private static final long MIN_GRACE_MS = 2_000;

    private final boolean enabled;
    private final long graceMs;
    private final Clock clock;
    private final WritePath writePath;
    /** When the write path was last seen to stop serving; -1 while it serves. */
    private long notServingSinceMs;

    /**
     * @param enabled whether this server may go read-only at all (an ensemble member whose JVM has
     *                {@code readonlymode.enabled}; a standalone server never does, as in ZooKeeper)
     */
    public ReadOnlyMode(boolean enabled, int tickTimeMs, Clock clock, WritePath writePath) {
        this.enabled = enabled;
        this.graceMs = Math.max(MIN_GRACE_MS, tickTimeMs);
        this.clock = clock;
        this.writePath = writePath;
        this.notServingSinceMs = clock.monotonicMs(); // a member starts without a leader
    }

    public static ReadOnlyMode disabled(Clock clock, WritePath writePath) {
        return new ReadOnlyMode(false, 0, clock, writePath);
    }

    /** Notes whether the write path serves; runs often (every election tick), so a new outage is timed from its start. */
    public void observe() {
        if (writePath.serving()) {
            notServingSinceMs = -1;
        } else if (notServingSinceMs < 0) {
            notServingSinceMs = clock.monotonicMs();
        }
    }

    /** Times the grace period from now: ZooKeeper waits it out again each time its member starts looking. */
    public void restart() {
        notServingSinceMs = writePath.serving() ? -1 : clock.monotonicMs();
    }

    /** Whether the server is read-only now: enabled, not serving, and for the whole grace period. */
    public boolean active() {
        observe();
        return enabled && notServingSinceMs >= 0 && clock.monotonicMs() - notServingSinceMs >= graceMs;
    }
}
