package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * Every member whose state is at zxid Z has the same state there, whether it got there by applying entries,
 * by installing a leader's snapshot or by starting from its own disk (decision 1: same entries, same
 * state). The state is compared by {@link TreeDigest#fingerprint} (every node with its stat, the sessions,
 * the zxid) at every applied zxid on every member.
 */
final class TreeDigestAgreesAtEqualZxid implements GlueInvariant {
    private final Map<Long, Long> digests = new HashMap<>();

    TreeDigestAgreesAtEqualZxid(boolean extendedTypes) {
        digests.put(0L, TreeDigest.fingerprint(new StateMachine(extendedTypes)));
    }

    /** The digest every member must have at {@code zxid}, null if no member has been there. */
    Long digestAt(long zxid) {
        return digests.get(zxid);
    }

    @Override
    public void applied(SimNode node, Entry entry, ApplyResult result) {
        long digest = TreeDigest.fingerprint(node.stateMachine);
        Long expected = digests.putIfAbsent(entry.zxid(), digest);
        if (expected != null && expected != digest) {
            throw violation("member " + node.id + " applied " + Zxid.hex(entry.zxid()) + " and reached a state other"
                    + " members did not have there");
        }
    }

    @Override
    public void installed(SimNode node, Snapshot snapshot) {
        checkKnown(node, "installed the leader's snapshot at");
    }

    @Override
    public void started(SimNode node) {
        checkKnown(node, "started from its disk at");
    }

    /** A state that arrived whole (snapshot, restart) must be one some member reached by applying. */
    private void checkKnown(SimNode node, String how) {
        long zxid = node.stateMachine.lastZxid();
        Long expected = digests.get(zxid);
        if (expected == null) {
            throw violation("member " + node.id + " " + how + " " + Zxid.hex(zxid) + ", which no member applied");
        }
        if (expected != TreeDigest.fingerprint(node.stateMachine)) {
            throw violation("member " + node.id + " " + how + " " + Zxid.hex(zxid) + " with a state other members"
                    + " did not have there");
        }
    }
}
