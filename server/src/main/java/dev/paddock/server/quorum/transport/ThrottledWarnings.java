package dev.paddock.server.quorum.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Refused or failed quorum connections, logged at WARN once per key (a peer and a kind of failure) per 10 s
 * and at DEBUG otherwise: peers retry every 200 ms, and one misconfigured member must not flood the log.
 * Any thread.
 */
final class ThrottledWarnings {
    private static final long INTERVAL_MS = 10_000;
    /** Keys remembered; past this all are forgotten (a burst of new keys costs a few extra lines, never memory). */
    private static final int MAX_KEYS = 1024;

    private final Logger log;
    private final LongSupplier monotonicMs;
    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

    ThrottledWarnings(Logger log, LongSupplier monotonicMs) {
        this.log = log;
        this.monotonicMs = monotonicMs;
    }

    void warn(String key, String format, Object... args) {
        long now = monotonicMs.getAsLong();
        if (lastWarned.size() > MAX_KEYS) {
            lastWarned.clear();
        }
        Long last = lastWarned.get(key);
        if (last == null || now - last >= INTERVAL_MS) {
            lastWarned.put(key, now);
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }
}
