package dev.paddock.server.history;

/**
 * One operation of a {@link History} with how it ended. {@code invokeSeq} and {@code endSeq} are positions in
 * the history's single order of events (what the checker uses); the nanos, relative to the history's start,
 * are only there to make explanations readable.
 *
 * @param id the operation's number in its history
 * @param process the client session (or thread) that issued it; a process's operations are in program order
 * @param endSeq the position of ok/fail/unknown, or Long.MAX_VALUE while it is pending
 * @param outcome the answer, for status OK only
 */
public record RecordedOp(int id, int process, Operation op, long invokeSeq, long invokeNanos, Status status,
        long endSeq, long endNanos, Outcome outcome) {
    /** How an operation ended. */
    public enum Status {
        /** No answer yet: treated as UNKNOWN by the checker. */
        PENDING,
        /** Answered, with the outcome (which may be an error the model knows, such as BadVersion). */
        OK,
        /** Certainly did not happen (for example NoAuth, or a sync before a read that failed). */
        FAIL,
        /** May or may not have happened, at any time after its invocation (timeout, connection loss). */
        UNKNOWN
    }

    /** Whether the answer is known, so the model's answer must match it. */
    public boolean known() {
        return status == Status.OK;
    }

    /** Whether the operation may have happened without us knowing its answer. */
    public boolean uncertain() {
        return status == Status.UNKNOWN || status == Status.PENDING;
    }

    RecordedOp end(Status how, long seq, long nanos, Outcome answer) {
        return new RecordedOp(id, process, op, invokeSeq, invokeNanos, how, seq, nanos, answer);
    }

    @Override
    public String toString() {
        String end = switch (status) {
            case OK -> outcome.toString();
            case FAIL -> "failed";
            case UNKNOWN -> "unknown";
            case PENDING -> "pending";
        };
        String span = String.format("[%.3f ms .. %s]", invokeNanos / 1e6,
                endSeq == Long.MAX_VALUE ? "?" : String.format("%.3f ms", endNanos / 1e6));
        return "#" + id + " p" + process + " " + op + " -> " + end + " " + span;
    }
}
