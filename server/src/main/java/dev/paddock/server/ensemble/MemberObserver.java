package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.tree.ApplyResult;

/** Sees what an {@link EnsembleMember} applies and installs; the glue simulation's invariants watch through it. */
public interface MemberObserver {
    /** After {@code entry} was applied, on the request thread. */
    default void applied(Entry entry, ApplyResult result) {
    }

    /** After a leader's snapshot replaced the state, on the request thread. */
    default void installed(Snapshot snapshot) {
    }

    MemberObserver NONE = new MemberObserver() {
    };
}
