package dev.paddock.server.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a {@link History} of znode operations: writes, compare-and-sets, creates, deletes and reads after a
 * sync must be linearizable (a WGL search per key: {@link WglSearch}); plain reads must respect per-session
 * order ({@link SessionOrderCheck}). Failed operations are left out (they did not happen); unknown and
 * pending ones may take effect at any time after their invocation, or never. A key starts absent unless
 * {@link #initially} says otherwise. Not thread-safe; use after recording has stopped.
 */
public final class HistoryChecker {
    /** Enough for thousands of operations per key with a few unknown outcomes. */
    public static final long DEFAULT_BUDGET = 1_000_000;

    /** The memo's bound: 2^25 words of linearized sets, 256 MiB per key. */
    public static final long DEFAULT_MEMO_WORDS = 1L << 25;

    private long budget = DEFAULT_BUDGET;
    private long memoWords = DEFAULT_MEMO_WORDS;
    private final Map<String, ZnodeState> initial = new HashMap<>();

    /** The most search steps the whole check may take; more is a failed verdict, never a pass. */
    public HistoryChecker budget(long steps) {
        this.budget = steps;
        return this;
    }

    /**
     * How many 64-bit words of linearized sets the search may memoize per key; past it the search goes on
     * without remembering more (still correct, slower).
     */
    public HistoryChecker memoLimit(long words) {
        this.memoWords = words;
        return this;
    }

    /** The state of {@code key} before the history began. */
    public HistoryChecker initially(String key, ZnodeState state) {
        initial.put(key, state);
        return this;
    }

    public Verdict check(History history) {
        return check(history.ops());
    }

    public Verdict check(List<RecordedOp> ops) {
        Map<String, List<RecordedOp>> byKey = new TreeMap<>();
        for (RecordedOp o : ops) {
            if (takesPart(o)) {
                byKey.computeIfAbsent(o.op().key(), k -> new ArrayList<>()).add(o);
            }
        }
        StepBudget steps = new StepBudget(budget);
        List<KeyVerdict> verdicts = new ArrayList<>();
        for (Map.Entry<String, List<RecordedOp>> e : byKey.entrySet()) {
            ZnodeState start = initial.getOrDefault(e.getKey(), ZnodeState.ABSENT);
            verdicts.add(new WglSearch(e.getKey(), e.getValue(), start, steps, memoWords).run());
        }
        return new Verdict(verdicts, SessionOrderCheck.check(ops), ops.size(), steps.used(), budget);
    }

    /** Known linearizable operations, and unknown ones that may have changed something. */
    private static boolean takesPart(RecordedOp o) {
        if (!o.op().linearizable()) {
            return false;
        }
        return o.known() || (o.uncertain() && o.op().mutates());
    }
}
