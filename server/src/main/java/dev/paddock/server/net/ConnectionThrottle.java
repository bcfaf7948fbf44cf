package dev.paddock.server.net;

import dev.paddock.server.config.ThrottleSettings;
import dev.paddock.server.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Decides whether a new handshake may proceed, as ZooKeeper's connection throttle (BlueThrottle) does: a
 * token bucket that refills {@code fillCount} tokens per {@code fillTime} up to its size, each handshake
 * taking its weight in tokens, and optionally a random drop in front of it (the BLUE queue management
 * algorithm) whose probability rises while the bucket stays empty and falls while it stays nearly full.
 * A refused handshake's connection is closed unanswered; its client tries again or another server.
 *
 * <p>Shared by the I/O threads of a listener, hence synchronized; time from the injected clock.
 */
final class ConnectionThrottle {
    /** What a handshake asks for, which decides its weight when weighing is on. */
    enum Kind { NEW_SESSION, LOCAL_SESSION, RENEWAL }

    private final ThrottleSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private int tokens;
    private long lastFillMs;
    private long lastFreezeMs;
    private double dropChance;

    ConnectionThrottle(ThrottleSettings settings, Clock clock, RandomGenerator random) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.tokens = settings.tokens();
        this.lastFillMs = clock.monotonicMs();
        this.lastFreezeMs = lastFillMs;
    }

    synchronized boolean admit(Kind kind) {
        if (!settings.enabled()) {
            return true;
        }
        long now = clock.monotonicMs();
        refill(now);
        if (settings.freezeTimeMs() != -1 && !survivesDrop(now)) {
            return false;
        }
        int need = weight(kind);
        if (tokens < need) {
            return false;
        }
        tokens -= need;
        return true;
    }

    /** The current probability of dropping a handshake at random (mntr's connection_drop_probability). */
    synchronized double dropChance() {
        return dropChance;
    }

    private void refill(long now) {
        long elapsed = now - lastFillMs;
        if (elapsed > settings.fillTimeMs()) {
            long refill = elapsed * settings.fillCount() / settings.fillTimeMs();
            tokens = (int) Math.max(0, Math.min((long) tokens + refill, settings.tokens()));
            lastFillMs = now;
        }
    }

    private boolean survivesDrop(long now) {
        if (now - lastFreezeMs > settings.freezeTimeMs()) {
            int deficit = settings.tokens() - tokens;
            if (deficit == settings.tokens() && dropChance < 1) {
                dropChance = Math.min(dropChance + settings.dropIncrease(), 1);
            } else if (deficit <= Math.round(settings.tokens() * settings.decreaseRatio()) && dropChance > 0) {
                dropChance = Math.max(dropChance - settings.dropDecrease(), 0);
            }
            lastFreezeMs = now;
        }
        return random.nextDouble() >= dropChance;
    }

    private int weight(Kind kind) {
        if (!settings.weightEnabled()) {
            return 1;
        }
        return switch (kind) {
            case NEW_SESSION -> settings.globalWeight();
            case LOCAL_SESSION -> settings.localWeight();
            case RENEWAL -> settings.renewWeight();
        };
    }
}
