package dev.paddock.server.history;

import dev.paddock.server.history.EventList.Entry;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Remembers the deepest point the search reached (the longest linearizable prefix it found) and what stood
 * there: the last operations of the prefix, the model state, the operation whose return blocked (it must be
 * linearized before anything invoked after it returned) and the candidates, so a failure explains itself
 * with a handful of operations instead of the whole history.
 */
final class Deepest {
    private static final int TAIL = 6;

    private final List<RecordedOp> ops;
    private int depth = -1;
    private List<Integer> tail = List.of();
    private ZnodeState state;
    private int blocking = -1;
    private List<Integer> candidates = List.of();

    Deepest(List<RecordedOp> ops) {
        this.ops = ops;
    }

    void offer(Deque<? extends FrameView> stack, ZnodeState reached, Entry head) {
        if (stack.size() <= depth) {
            return;
        }
        depth = stack.size();
        state = reached;
        // The stack lists frames newest first; keep the newest few, oldest first.
        List<Integer> newest = new ArrayList<>();
        Iterator<? extends FrameView> it = stack.iterator();
        while (it.hasNext() && newest.size() < TAIL) {
            newest.add(0, it.next().op());
        }
        tail = newest;
        List<Integer> calls = new ArrayList<>();
        Entry e = head.next;
        while (e != null && e.call) {
            calls.add(e.op);
            e = e.next;
        }
        candidates = calls;
        blocking = e == null ? -1 : e.op;
    }

    String explain(String key, ZnodeState initial) {
        StringBuilder s = new StringBuilder();
        s.append("key ").append(key).append(": not linearizable (").append(ops.size()).append(" ops checked)\n");
        s.append("  the longest linearizable prefix has ").append(depth).append(" ops");
        s.append(depth == 0 ? ", from the initial state " + initial + "\n" : ", ending with:\n");
        for (int op : tail) {
            s.append("    ").append(ops.get(op)).append('\n');
        }
        ZnodeState there = state;
        s.append("  model state there: ").append(there).append('\n');
        s.append("  and no order of what may come next works; candidates (model answer in brackets):\n");
        for (int op : candidates) {
            RecordedOp o = ops.get(op);
            s.append("    ").append(o).append("   [model: ").append(ZnodeModel.apply(there, o.op()).answer())
                    .append("]\n");
        }
        if (blocking >= 0) {
            s.append("  ").append("#").append(ops.get(blocking).id())
                    .append(" had returned before the later calls, so it must be linearized before them\n");
        }
        return s.toString();
    }

    /** What {@link Deepest} needs from a search frame: the operation it linearized. */
    interface FrameView {
        int op();
    }
}
