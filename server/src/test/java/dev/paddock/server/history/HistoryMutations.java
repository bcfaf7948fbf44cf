package dev.paddock.server.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plants one provable violation in a recorded history, so a test can show that its check would have caught
 * one in the same history (a check that passes everything proves nothing).
 */
public final class HistoryMutations {
    /** The mutated history and the operation that was changed. */
    public record Mutation(List<RecordedOp> ops, RecordedOp changed) {
        public String key() {
            return changed.op().key();
        }
    }

    private HistoryMutations() {
    }

    /**
     * A synced read R rewritten to return what write W wrote, where W returned before a successful change X
     * was invoked and X returned before R was invoked. Every linearization orders W, X, R; if only W writes
     * W's data (true when data are unique per write), and X changed the node, no linearization lets R see it.
     */
    public static Optional<Mutation> staleSyncedRead(List<RecordedOp> ops) {
        for (RecordedOp r : ops) {
            if (r.op().kind() != Operation.Kind.SYNCED_READ || !r.known() || !r.outcome().showsVersion()) {
                continue;
            }
            for (RecordedOp x : ops) {
                if (!changed(x, r.op().key()) || x.endSeq() >= r.invokeSeq()) {
                    continue;
                }
                for (RecordedOp w : ops) {
                    if (changed(w, r.op().key()) && w.op().data() != null && w.endSeq() < x.invokeSeq()) {
                        return Optional.of(replace(ops, r, Outcome.read(w.op().data(), w.outcome().version())));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A plain read rewritten to one version below what its session saw of the same incarnation before. */
    public static Optional<Mutation> plainReadGoingBack(List<RecordedOp> ops) {
        for (RecordedOp a : ops) {
            if (!a.known() || !a.outcome().showsVersion() || a.outcome().version() < 1) {
                continue;
            }
            for (RecordedOp r : ops) {
                if (r.process() == a.process() && r.invokeSeq() > a.endSeq() && r.known()
                        && r.op().kind() == Operation.Kind.READ && r.op().key().equals(a.op().key())
                        && r.outcome().showsVersion() && r.outcome().czxid() == a.outcome().czxid()) {
                    Outcome older = Outcome.read("older", a.outcome().version() - 1, a.outcome().czxid());
                    return Optional.of(replace(ops, r, older));
                }
            }
        }
        return Optional.empty();
    }

    /** A successful, acknowledged change of {@code key}. */
    private static boolean changed(RecordedOp o, String key) {
        return o.known() && o.op().mutates() && o.op().key().equals(key) && o.outcome().code() == Outcome.Code.OK;
    }

    private static Mutation replace(List<RecordedOp> ops, RecordedOp o, Outcome outcome) {
        RecordedOp changed = new RecordedOp(o.id(), o.process(), o.op(), o.invokeSeq(), o.invokeNanos(), o.status(),
                o.endSeq(), o.endNanos(), outcome);
        List<RecordedOp> out = new ArrayList<>(ops);
        out.set(o.id(), changed);
        return new Mutation(out, changed);
    }
}
