package dev.paddock.server.fault;

/**
 * Checks for conditions that only a bug can break (etcd's {@code Panicf}, TigerBeetle's asserts). A failed
 * check throws {@link InvariantViolation}, an {@link Error}, so code that handles operating errors
 * ({@code catch (RuntimeException e)}) cannot swallow it; the thread that owns the state lets it reach
 * {@link FatalFaults}, which stops the process.
 */
public final class Invariants {
    private Invariants() {
    }

    /** Throws when {@code condition} is false; the message is formatted only then. */
    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new InvariantViolation(String.format(format, args));
        }
    }

    /**
     * The exception for a failed check on a hot path, where even building the arguments of {@link #check}
     * would cost on every call: {@code if (!ok) throw Invariants.violation(...)} formats only on failure.
     */
    public static InvariantViolation violation(String format, Object... args) {
        return new InvariantViolation(String.format(format, args));
    }

    /** A broken invariant: the state this process holds can no longer be trusted. */
    public static final class InvariantViolation extends Error {
        public InvariantViolation(String message) {
            super(message);
        }
    }
}
