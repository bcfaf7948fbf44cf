package dev.paddock.compat.harness;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Bounded condition waits: poll every 20 ms until true, fail with a message after the bound. */
public final class Await {
    private static final long POLL_MS = 20;

    private Await() {
    }

    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void until(String what, Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + (last == null ? "" : " (last error: " + last + ")"));
            }
            pause();
        }
    }

    public static <T> T value(String what, Duration timeout, Callable<T> supplier, Predicate<T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T v = null;
        Exception last = null;
        while (true) {
            try {
                v = supplier.call();
                last = null;
                if (accept.test(v)) {
                    return v;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                return fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what + "; last value: " + v
                        + (last == null ? "" : " (last error: " + last + ")"));
            }
            pause();
        }
    }

    /**
     * Asserts that a condition holds for the whole of a period: the only way to check that
     * something does NOT happen (a node is not deleted, an event does not come).
     */
    public static void holdsFor(String what, Duration period, Condition condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            try {
                if (!condition.holds()) {
                    fail("stopped holding: " + what);
                }
            } catch (Exception e) {
                fail("error while checking " + what + ": " + e, e);
            }
            pause();
        } while (System.nanoTime() - end < 0);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
