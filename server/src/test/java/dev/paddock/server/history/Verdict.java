package dev.paddock.server.history;

import java.util.List;

/**
 * What {@link HistoryChecker} found: a verdict per key for the linearizable operations, and the per-session
 * order violations. {@link #assertOk()} fails a test with the explanation; a spent search budget fails too
 * (saying so), because an unchecked history is not a checked one.
 */
public record Verdict(List<KeyVerdict> keys, List<String> sessionViolations, int ops, long steps, long budget) {
    public boolean ok() {
        return sessionViolations.isEmpty()
                && keys.stream().allMatch(k -> k.result() == KeyVerdict.Result.LINEARIZABLE);
    }

    public boolean linearizable() {
        return keys.stream().allMatch(k -> k.result() == KeyVerdict.Result.LINEARIZABLE);
    }

    public boolean budgetExceeded() {
        return keys.stream().anyMatch(k -> k.result() == KeyVerdict.Result.BUDGET_EXCEEDED);
    }

    public void assertOk() {
        if (!ok()) {
            throw new AssertionError(describe());
        }
    }

    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(ok() ? "history ok" : "history NOT ok").append(": ").append(ops).append(" operations on ")
                .append(keys.size()).append(" keys, ").append(steps).append(" search steps\n");
        for (KeyVerdict k : keys) {
            if (k.result() == KeyVerdict.Result.BUDGET_EXCEEDED) {
                s.append("key ").append(k.key()).append(": search budget of ").append(budget)
                        .append(" steps exceeded (").append(k.ops())
                        .append(" ops); not checked, raise HistoryChecker.budget\n");
            } else if (k.result() == KeyVerdict.Result.NOT_LINEARIZABLE) {
                s.append(k.explanation());
            }
        }
        for (String v : sessionViolations) {
            s.append(v).append('\n');
        }
        return s.toString();
    }
}
