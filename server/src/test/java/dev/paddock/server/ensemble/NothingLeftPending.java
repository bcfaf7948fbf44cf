package dev.paddock.server.ensemble;

/**
 * Once the ensemble is healed and quiet, no member holds a callback any more: every write it took was
 * applied and answered, every sync it asked about was answered or given up with the connection. Whatever
 * stays is held for ever (each a client's request and its connection's answer queue).
 */
final class NothingLeftPending implements GlueInvariant {
    @Override
    public void converged(GlueSimulation sim) {
        for (SimNode node : sim.nodes()) {
            int outstanding = node.member.outstandingCallbacks();
            if (outstanding > 0) {
                throw violation("member " + node.id + " still holds " + outstanding + " callbacks after healing");
            }
        }
    }
}
