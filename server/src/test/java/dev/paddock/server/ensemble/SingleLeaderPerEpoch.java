package dev.paddock.server.ensemble;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one member ever serves as leader in an epoch (a serving leader is one whose epoch is
 * established: the member that decides session expiry). Two would each commit their own history.
 */
final class SingleLeaderPerEpoch implements GlueInvariant {
    private final Map<Long, Integer> leaderOfEpoch = new HashMap<>();

    @Override
    public void afterEvent(GlueSimulation sim) {
        for (SimNode node : sim.nodes()) {
            if (node.up() && node.member.decidesExpiry()) {
                long epoch = node.disk.currentEpoch();
                Integer other = leaderOfEpoch.putIfAbsent(epoch, node.id);
                if (other != null && other != node.id) {
                    throw violation("members " + other + " and " + node.id + " both led epoch " + epoch);
                }
            }
        }
    }

    int epochs() {
        return leaderOfEpoch.size();
    }
}
