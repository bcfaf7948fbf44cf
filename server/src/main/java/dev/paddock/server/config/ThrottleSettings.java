package dev.paddock.server.config;

/**
 * ZooKeeper 3.9's connection throttle (its {@code zookeeper.connection_throttle_*} keys, read as system
 * properties or as zoo.cfg keys, which ZooKeeper copies to system properties): a token bucket of
 * {@code tokens} filled by {@code fillCount} every {@code fillTimeMs}, each new connection's handshake
 * taking one token (or, with {@code weightEnabled}, {@code globalWeight} for a new session,
 * {@code renewWeight} for a reconnect, {@code localWeight} for a local session, the bucket and its fill
 * scaled by {@code globalWeight}), and, when {@code freezeTimeMs} is not -1, a random drop whose
 * probability rises by {@code dropIncrease} while the bucket is empty and falls by {@code dropDecrease}
 * while it is nearly full (deficit at most {@code decreaseRatio} of it), adjusted at most once per
 * freeze time. {@code tokens} 0 (the default) turns it off.
 */
public record ThrottleSettings(int tokens, int fillTimeMs, int fillCount, int freezeTimeMs, double dropIncrease,
                               double dropDecrease, double decreaseRatio, boolean weightEnabled, int globalWeight,
                               int localWeight, int renewWeight) {

    public static ThrottleSettings off() {
        return new ThrottleSettings(0, 1, 1, -1, 0.02, 0.002, 0, false, 3, 1, 2);
    }

    public boolean enabled() {
        return tokens > 0;
    }
}
