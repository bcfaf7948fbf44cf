package dev.paddock.server.quorum;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who takes part: voting members and observers, and the protocol's timeouts in ticks (initLimit for
 * joining and syncing, syncLimit for heartbeats), as in zoo.cfg.
 */
public record QuorumConfig(Set<Integer> voters, Set<Integer> observers, int initLimitTicks, int syncLimitTicks,
                           long counterLimit) {
    public QuorumConfig {
        voters = Set.copyOf(new TreeSet<>(voters));
        observers = Set.copyOf(new TreeSet<>(observers));
    }

    public boolean isQuorum(Set<Integer> ids) {
        int votes = 0;
        for (int id : ids) {
            if (voters.contains(id)) {
                votes++;
            }
        }
        return votes * 2 > voters.size();
    }

    public Set<Integer> everyone() {
        Set<Integer> all = new TreeSet<>(voters);
        all.addAll(observers);
        return all;
    }
}
