package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.DataTree;
import dev.paddock.server.tree.EphemeralType;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.wire.proto.Stat;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sessions are global (decision 8): at every zxid every member has the same sessions with the same
 * timeouts, and the same ephemerals indexed under each (the index that closeSession deletes from). Where a
 * member's state arrived whole (a snapshot installed, a restart), the index must also match the nodes:
 * every indexed ephemeral exists and is owned by its session, and every ephemeral node belongs to a live
 * session.
 */
final class SessionsAgree implements GlueInvariant {
    private final Map<Long, Long> digests = new HashMap<>();
    private final boolean extendedTypes;

    SessionsAgree(boolean extendedTypes) {
        this.extendedTypes = extendedTypes;
    }

    @Override
    public void applied(SimNode node, Entry entry, ApplyResult result) {
        long digest = digest(node.stateMachine);
        Long expected = digests.putIfAbsent(entry.zxid(), digest);
        if (expected != null && expected != digest) {
            throw violation("member " + node.id + " has other sessions or ephemerals at " + Zxid.hex(entry.zxid())
                    + " than other members: " + node.stateMachine.sessions().keySet());
        }
    }

    @Override
    public void installed(SimNode node, Snapshot snapshot) {
        checkWhole(node, "after installing a snapshot");
    }

    @Override
    public void started(SimNode node) {
        checkWhole(node, "after starting from its disk");
    }

    @Override
    public void converged(GlueSimulation sim) {
        for (SimNode node : sim.nodes()) {
            checkWhole(node, "after healing");
        }
    }

    private void checkWhole(SimNode node, String when) {
        StateMachine sm = node.stateMachine;
        Long expected = digests.get(sm.lastZxid());
        if (expected != null && expected != digest(sm)) {
            throw violation("member " + node.id + " has other sessions or ephemerals " + when + " at "
                    + Zxid.hex(sm.lastZxid()) + " than members that applied up to there");
        }
        DataTree tree = sm.tree();
        int indexed = 0;
        for (long sessionId : sm.sessions().keySet()) {
            for (String path : tree.ephemerals(sessionId)) {
                Stat stat = tree.stat(path);
                if (stat == null || stat.ephemeralOwner() != sessionId) {
                    throw violation("member " + node.id + " indexes " + path + " under session 0x"
                            + Long.toHexString(sessionId) + " " + when + ", but the node says otherwise");
                }
                indexed++;
            }
        }
        int owned = 0;
        for (String path : TreeDigest.sortedPaths(sm)) {
            long owner = tree.stat(path).ephemeralOwner();
            if (EphemeralType.of(owner, extendedTypes) == EphemeralType.NORMAL) {
                if (!sm.sessions().containsKey(owner)) {
                    throw violation("member " + node.id + " keeps ephemeral " + path + " of closed session 0x"
                            + Long.toHexString(owner) + " " + when);
                }
                owned++;
            }
        }
        if (owned != indexed || tree.ephemeralCount() != indexed) {
            throw violation("member " + node.id + " has " + owned + " ephemeral nodes but indexes " + indexed + " ("
                    + tree.ephemeralCount() + " in all) " + when);
        }
    }

    /** The sessions with their timeouts and each one's indexed ephemerals, at the state's zxid. */
    private static long digest(StateMachine sm) {
        long h = sm.lastZxid();
        for (Map.Entry<Long, Integer> e : sm.sessions().entrySet()) {
            h = h * 31 + e.getKey();
            h = h * 31 + e.getValue();
            for (String path : new TreeSet<>(sm.tree().ephemerals(e.getKey()))) {
                h = h * 31 + path.hashCode();
            }
        }
        return h;
    }
}
