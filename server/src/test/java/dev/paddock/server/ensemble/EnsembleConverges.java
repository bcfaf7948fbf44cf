package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.tree.TreeDigest;

/**
 * Once every fault is healed and the clients stop writing, every member serves, exactly one leads, and all
 * reach the same zxid with the same state (the full SHA-256 {@link TreeDigest}), the same sessions included.
 */
final class EnsembleConverges implements GlueInvariant {
    @Override
    public void converged(GlueSimulation sim) {
        SimNode first = null;
        int leaders = 0;
        for (SimNode node : sim.nodes()) {
            if (!node.serving()) {
                throw violation("member " + node.id + " does not serve after healing: " + node);
            }
            if (node.member.decidesExpiry()) {
                leaders++;
            }
            if (first == null) {
                first = node;
                continue;
            }
            if (node.stateMachine.lastZxid() != first.stateMachine.lastZxid()) {
                throw violation("member " + node.id + " is at " + Zxid.hex(node.stateMachine.lastZxid()) + ", member "
                        + first.id + " at " + Zxid.hex(first.stateMachine.lastZxid()));
            }
            if (!TreeDigest.of(node.stateMachine).equals(TreeDigest.of(first.stateMachine))) {
                throw violation("members " + first.id + " and " + node.id + " have different states at "
                        + Zxid.hex(node.stateMachine.lastZxid()));
            }
        }
        if (leaders != 1) {
            throw violation(leaders + " serving leaders after healing");
        }
    }
}
