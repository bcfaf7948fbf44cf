package dev.paddock.server.history;

/** How many search steps a check may take in all, so a hard history ends in a verdict, not a hang. */
final class StepBudget {
    private final long limit;
    private long used;

    StepBudget(long limit) {
        this.limit = limit;
    }

    /** Takes one step; false once the budget is spent. */
    boolean take() {
        return ++used <= limit;
    }

    long used() {
        return Math.min(used, limit);
    }

    long limit() {
        return limit;
    }
}
