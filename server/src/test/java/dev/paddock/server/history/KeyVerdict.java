package dev.paddock.server.history;

/**
 * The verdict of the linearizability search for one key.
 *
 * @param ops how many operations of the key took part (plain reads and failed operations do not)
 * @param steps search steps taken on this key
 * @param explanation for a failure, the key and the operations that could not be linearized; else empty
 */
public record KeyVerdict(String key, Result result, int ops, long steps, String explanation) {
    /** What the search found. */
    public enum Result {
        LINEARIZABLE, NOT_LINEARIZABLE, BUDGET_EXCEEDED
    }
}
