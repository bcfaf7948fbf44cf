package dev.paddock.server.history;

import dev.paddock.server.history.EventList.Entry;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Wing and Gong's linearizability search for the operations on one key, with Lowe's memoization: a
 * configuration (set of linearized operations, model state) is explored at most once, because whether the
 * rest of the history can be linearized depends on nothing else. Depth-first over the event list: a call
 * whose model answer matches the recorded one is linearized tentatively; reaching a return whose operation
 * is not linearized means this branch failed, so the search backtracks.
 *
 * <p>Two rules keep it small and are sound. An operation with an unknown outcome returns at infinity and its
 * answer is not checked, so it may take effect at any time after its call or (linearized last) never; once
 * every known operation is linearized the rest are unknown and the history is linearizable. And a known
 * operation that leaves the state unchanged (a read, a failed compare-and-set) is linearized greedily: any
 * linearization that places it later still works with it moved to the front (nothing it could observe
 * changes, and everything that returned before its call is already linearized), so when that branch fails
 * the configuration before it has failed too, and the search backtracks past it.
 */
final class WglSearch {
    private record Frame(Entry entry, ZnodeState before, boolean greedy) implements Deepest.FrameView {
        @Override
        public int op() {
            return entry.op;
        }
    }

    private record CacheKey(long[] linearized, ZnodeState state, int hash) {
        CacheKey(long[] linearized, ZnodeState state) {
            this(linearized, state, 31 * Arrays.hashCode(linearized) + state.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && hash == k.hash && state.equals(k.state)
                    && Arrays.equals(linearized, k.linearized);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final String key;
    private final List<RecordedOp> ops;
    private final ZnodeState initial;
    private final StepBudget budget;
    private final long[] linearized;
    private final Set<CacheKey> cache = new HashSet<>();
    private final long memoWords;
    private long cachedWords;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final Deepest deepest;
    private final Entry head;

    WglSearch(String key, List<RecordedOp> ops, ZnodeState initial, StepBudget budget, long memoWords) {
        this.key = key;
        this.memoWords = memoWords;
        this.ops = ops;
        this.initial = initial;
        this.budget = budget;
        this.linearized = new long[(ops.size() + 63) / 64];
        this.deepest = new Deepest(ops);
        this.head = EventList.build(ops);
    }

    KeyVerdict run() {
        long before = budget.used();
        int remainingKnown = (int) ops.stream().filter(RecordedOp::known).count();
        ZnodeState state = initial;
        Entry entry = head.next;
        deepest.offer(stack, state, head);
        while (remainingKnown > 0) {
            if (!budget.take()) {
                return verdict(KeyVerdict.Result.BUDGET_EXCEEDED, before, "");
            }
            boolean backtrack = !entry.call;
            if (entry.call) {
                RecordedOp op = ops.get(entry.op);
                ZnodeModel.Transition t = ZnodeModel.apply(state, op.op());
                if (!op.known() || t.answer().sameAs(op.outcome())) {
                    boolean greedy = op.known() && t.next().equals(state);
                    set(entry.op, true);
                    if (remember(t.next())) {
                        stack.push(new Frame(entry, state, greedy));
                        state = t.next();
                        entry.lift();
                        remainingKnown -= op.known() ? 1 : 0;
                        deepest.offer(stack, state, head);
                        entry = head.next;
                        continue;
                    }
                    set(entry.op, false);
                    // Seen before, so it failed; for a greedy step that means this configuration fails too.
                    backtrack = greedy;
                }
                entry = entry.next;
            }
            if (backtrack) {
                Frame f;
                do {
                    if (stack.isEmpty()) {
                        return verdict(KeyVerdict.Result.NOT_LINEARIZABLE, before, deepest.explain(key, initial));
                    }
                    f = stack.pop();
                    state = f.before();
                    set(f.entry().op, false);
                    f.entry().unlift();
                    remainingKnown += ops.get(f.entry().op).known() ? 1 : 0;
                    entry = f.entry().next;
                } while (f.greedy());
            }
        }
        return verdict(KeyVerdict.Result.LINEARIZABLE, before, "");
    }

    /**
     * Adds the configuration (with the current linearized set) to the cache; false if it was there. Past
     * {@code memoWords} words of linearized sets nothing more is remembered: the search stays correct without memoization,
     * only slower, and the step budget still bounds it.
     */
    private boolean remember(ZnodeState state) {
        if (cachedWords >= memoWords) {
            return !cache.contains(new CacheKey(linearized, state));
        }
        cachedWords += linearized.length;
        return cache.add(new CacheKey(linearized.clone(), state));
    }

    private void set(int op, boolean on) {
        if (on) {
            linearized[op >>> 6] |= 1L << op;
        } else {
            linearized[op >>> 6] &= ~(1L << op);
        }
    }

    private KeyVerdict verdict(KeyVerdict.Result result, long before, String explanation) {
        return new KeyVerdict(key, result, ops.size(), budget.used() - before, explanation);
    }
}
