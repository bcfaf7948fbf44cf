package dev.paddock.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Bounded condition waits: every wait in these tests polls a condition until a deadline. */
public final class Wait {
    private static final long POLL_MS = 100;

    private Wait() {}

    /** Polls {@code condition} until it returns true; fails with {@code what} and the last error at the deadline. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, timeout, POLL_MS, condition);
    }

    /** As {@link #until(String, Duration, Callable)}, polling every {@code pollMs} (measurements poll finer). */
    public static void until(String what, Duration timeout, long pollMs, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pollMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Polls {@code value} until it returns non-null and returns it. */
    public static <T> T forValue(String what, Duration timeout, Callable<T> value) {
        Object[] holder = new Object[1];
        until(what, timeout, () -> {
            holder[0] = value.call();
            return holder[0] != null;
        });
        @SuppressWarnings("unchecked")
        T result = (T) holder[0];
        return result;
    }
}
