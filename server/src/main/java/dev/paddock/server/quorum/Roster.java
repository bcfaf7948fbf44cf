package dev.paddock.server.quorum;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members of one configuration as a reconfiguration entry carries them: its version (the zxid of the entry
 * that made it, as ZooKeeper numbers configs) and who votes and who observes. Addresses are the host's
 * business; the protocol needs only the ids.
 */
public record Roster(long version, Set<Integer> voters, Set<Integer> observers) {
    public Roster {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        observers = Collections.unmodifiableSortedSet(new TreeSet<>(observers));
    }
}
