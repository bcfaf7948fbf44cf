package dev.paddock.server.ensemble;

import java.util.List;

/**
 * Once the ensemble is healed and quiet, a client whose connection is still open has an answer to every
 * write and sync it sent: the write path never forgets a callback of a member that keeps serving.
 */
final class ClientsHearBack implements GlueInvariant {
    @Override
    public void converged(GlueSimulation sim) {
        List<String> waiting = sim.clients().unanswered();
        if (!waiting.isEmpty()) {
            throw violation("still waiting after healing: " + waiting);
        }
    }
}
