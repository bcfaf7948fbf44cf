package dev.paddock.server.quorum;

import dev.paddock.server.fault.Invariants;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A table of the state changes a state machine may make, checked on every change (the transition tables of
 * KRaft's QuorumState, enforced as etcd's {@code Panicf} would). A change the table does not list is a bug in
 * the member's own logic, never a peer's doing: the roles ignore or restart on unexpected messages before
 * they get here.
 */
final class Transitions<S extends Enum<S>> {
    private final String what;
    private final Map<S, Set<S>> allowed;

    private Transitions(String what, Map<S, Set<S>> allowed) {
        this.what = what;
        this.allowed = allowed;
    }

    static <S extends Enum<S>> Builder<S> of(Class<S> type, String what) {
        return new Builder<>(type, what);
    }

    boolean allows(S from, S to) {
        return allowed.get(from).contains(to);
    }

    /** Returns {@code to} when {@code from -> to} is in the table; throws InvariantViolation otherwise. */
    S check(S from, S to, Object who) {
        Invariants.check(allows(from, to), "%s: %s may not go from %s to %s", who, what, from, to);
        return to;
    }

    static final class Builder<S extends Enum<S>> {
        private final Class<S> type;
        private final String what;
        private final Map<S, Set<S>> allowed;

        private Builder(Class<S> type, String what) {
            this.type = type;
            this.what = what;
            this.allowed = new EnumMap<>(type);
            for (S s : type.getEnumConstants()) {
                allowed.put(s, EnumSet.noneOf(type));
            }
        }

        @SafeVarargs
        final Builder<S> allow(S from, S... to) {
            allowed.get(from).addAll(Set.of(to));
            return this;
        }

        Transitions<S> build() {
            Map<S, Set<S>> frozen = new EnumMap<>(type);
            allowed.forEach((from, to) -> frozen.put(from, Set.copyOf(to)));
            return new Transitions<>(what, frozen);
        }
    }
}
