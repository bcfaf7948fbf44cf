package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.Zxid;
import java.util.HashMap;
import java.util.Map;

/**
 * A running member's state only moves forward: applies and installs never take it back, so nothing a
 * client read from it is undone while the process lives. (After a crash it restarts from its disk, behind
 * where it was, and catches up; {@link CommittedHistoryIsOneChain} checks that it catches up to the same
 * history.)
 */
final class AppliedNeverGoesBack implements GlueInvariant {
    private record Seen(int incarnation, long zxid) {
    }

    private final Map<Integer, Seen> seen = new HashMap<>();

    @Override
    public void installed(SimNode node, Snapshot snapshot) {
        Seen before = seen.get(node.id);
        if (before != null && before.incarnation() == node.incarnation() && snapshot.zxid() < before.zxid()) {
            throw violation("member " + node.id + " installed a snapshot at " + Zxid.hex(snapshot.zxid())
                    + " after applying up to " + Zxid.hex(before.zxid()));
        }
    }

    @Override
    public void afterEvent(GlueSimulation sim) {
        for (SimNode node : sim.nodes()) {
            if (!node.up()) {
                continue;
            }
            long zxid = node.stateMachine.lastZxid();
            Seen before = seen.get(node.id);
            if (before != null && before.incarnation() == node.incarnation() && zxid < before.zxid()) {
                throw violation("member " + node.id + " went back from " + Zxid.hex(before.zxid()) + " to "
                        + Zxid.hex(zxid));
            }
            seen.put(node.id, new Seen(node.incarnation(), zxid));
        }
    }
}
