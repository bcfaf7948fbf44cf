package dev.paddock.server.ensemble;

import java.util.Set;
import java.util.TreeSet;

/**
 * A session no client holds any more (its client lost it, closed it, or never heard that it was created)
 * is closed through the log once its timeout passes, with its ephemerals: only the leader expires sessions,
 * so the leader must track every session the state machine has, whichever way it became leader.
 */
final class AbandonedSessionsExpire implements GlueInvariant {
    @Override
    public void converged(GlueSimulation sim) {
        Set<Long> held = sim.clients().heldSessions();
        for (SimNode node : sim.nodes()) {
            Set<Long> leaked = new TreeSet<>(node.stateMachine.sessions().keySet());
            leaked.removeAll(held);
            if (!leaked.isEmpty()) {
                StringBuilder ids = new StringBuilder();
                for (long id : leaked) {
                    ids.append(" 0x").append(Long.toHexString(id));
                    ids.append(node.tracker.isAlive(id) ? "" : " (untracked)");
                }
                throw violation("member " + node.id + " still has sessions no client holds, long after their "
                        + "timeout:" + ids);
            }
        }
    }
}
