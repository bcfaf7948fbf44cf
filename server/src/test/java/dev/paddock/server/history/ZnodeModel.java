package dev.paddock.server.history;

/**
 * The sequential specification of a znode as ZooKeeper defines it: a register with a version that every
 * successful setData increments, compare-and-set on that version, and create/delete. Errors are checked in
 * ZooKeeper's order (existence before version). Deterministic: the same state and operation always give the
 * same answer and next state, which is what lets an unknown outcome be modelled by not checking the answer.
 */
public final class ZnodeModel {
    private ZnodeModel() {
    }

    /** What the model answers and where it goes. */
    public record Transition(Outcome answer, ZnodeState next) {
    }

    public static Transition apply(ZnodeState s, Operation op) {
        return switch (op.kind()) {
            case READ, SYNCED_READ -> new Transition(
                    s.exists() ? Outcome.read(s.data(), s.version()) : Outcome.noNode(), s);
            case SET -> set(s, op);
            case CREATE -> s.exists() ? new Transition(Outcome.nodeExists(), s)
                    : new Transition(Outcome.created(), ZnodeState.of(op.data(), 0));
            case DELETE -> delete(s, op);
        };
    }

    private static Transition set(ZnodeState s, Operation op) {
        if (!s.exists()) {
            return new Transition(Outcome.noNode(), s);
        }
        if (op.expectedVersion() >= 0 && op.expectedVersion() != s.version()) {
            return new Transition(Outcome.badVersion(), s);
        }
        return new Transition(Outcome.written(s.version() + 1), ZnodeState.of(op.data(), s.version() + 1));
    }

    private static Transition delete(ZnodeState s, Operation op) {
        if (!s.exists()) {
            return new Transition(Outcome.noNode(), s);
        }
        if (op.expectedVersion() >= 0 && op.expectedVersion() != s.version()) {
            return new Transition(Outcome.badVersion(), s);
        }
        return new Transition(Outcome.deleted(), ZnodeState.ABSENT);
    }
}
