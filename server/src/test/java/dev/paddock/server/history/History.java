package dev.paddock.server.history;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe recorder of a concurrent history: each operation is invoked, then ends ok (with its answer),
 * fail (it certainly did not happen) or unknown (it may have happened, at any time after its invocation).
 * Every event takes the next position in one total order under the recorder's lock, so an operation that
 * ended before another was invoked is ordered before it, which is the real-time order linearizability
 * needs. {@code System.nanoTime} is read only to label events for people; the order is the sequence.
 * Bounded: more than {@code capacity} operations is refused rather than growing without limit.
 */
public final class History {
    public static final int DEFAULT_CAPACITY = 1_000_000;

    private final int capacity;
    private final long origin = System.nanoTime();
    private final List<RecordedOp> ops = new ArrayList<>();
    private long seq;

    public History() {
        this(DEFAULT_CAPACITY);
    }

    public History(int capacity) {
        this.capacity = capacity;
    }

    /** Records that {@code process} invokes {@code op}; returns the id to end it with. */
    public synchronized int invoke(int process, Operation op) {
        if (ops.size() >= capacity) {
            throw new IllegalStateException("history full: " + capacity + " operations");
        }
        int id = ops.size();
        ops.add(new RecordedOp(id, process, op, seq++, System.nanoTime() - origin, RecordedOp.Status.PENDING,
                Long.MAX_VALUE, 0, null));
        return id;
    }

    public synchronized void ok(int id, Outcome outcome) {
        if (outcome == null) {
            throw new IllegalArgumentException("ok without an outcome: #" + id);
        }
        end(id, RecordedOp.Status.OK, outcome);
    }

    public synchronized void fail(int id) {
        end(id, RecordedOp.Status.FAIL, null);
    }

    public synchronized void unknown(int id) {
        end(id, RecordedOp.Status.UNKNOWN, null);
    }

    private void end(int id, RecordedOp.Status how, Outcome outcome) {
        RecordedOp op = ops.get(id);
        if (op.status() != RecordedOp.Status.PENDING) {
            throw new IllegalStateException("#" + id + " already ended " + op.status());
        }
        ops.set(id, op.end(how, seq++, System.nanoTime() - origin, outcome));
    }

    /** A copy of the operations so far, by id (which is invocation order). */
    public synchronized List<RecordedOp> ops() {
        return List.copyOf(ops);
    }

    public synchronized int size() {
        return ops.size();
    }
}
