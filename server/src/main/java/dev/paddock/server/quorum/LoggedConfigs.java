package dev.paddock.server.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reconfigurations a member has logged and not yet applied, by zxid. While one is logged, every quorum the
 * member counts must also be a quorum of it (joint consensus: a quorum of the old and of the new voters), as
 * ZooKeeper's leader counts acknowledgements under its last seen config too. Request thread only.
 */
final class LoggedConfigs {
    private final TreeMap<Long, QuorumConfig> byZxid = new TreeMap<>();

    boolean isEmpty() {
        return byZxid.isEmpty();
    }

    void put(long zxid, QuorumConfig config) {
        byZxid.put(zxid, config);
    }

    /** The configuration logged at {@code zxid}, removed (it is being applied); null when none is. */
    QuorumConfig take(long zxid) {
        // Asked for every applied entry; mostly there is none (no boxing, no lookup then).
        return byZxid.isEmpty() ? null : byZxid.remove(zxid);
    }

    void clear() {
        byZxid.clear();
    }

    /** Drops those at or before {@code version}: a newer configuration in force supersedes them. */
    void supersededBy(long version) {
        byZxid.headMap(version, true).clear();
    }

    List<QuorumConfig> all() {
        return new ArrayList<>(byZxid.values());
    }

    /** The newest one's zxid, 0 when none. */
    long newestVersion() {
        return byZxid.isEmpty() ? 0 : byZxid.lastKey();
    }

    /** The newest one's voters, empty when none. */
    Set<Integer> newestVoters() {
        return byZxid.isEmpty() ? Set.of() : byZxid.lastEntry().getValue().voters();
    }

    boolean hasVoter(int id) {
        for (QuorumConfig c : byZxid.values()) {
            if (c.voters().contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ids} is a quorum of every configuration logged at or before {@code zxid}. */
    boolean quorumOfEachUpTo(long zxid, Set<Integer> ids) {
        for (QuorumConfig c : byZxid.headMap(zxid, true).values()) {
            if (!c.isQuorum(ids)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return byZxid.entrySet().stream().map(e -> Zxid.hex(e.getKey()) + "=" + e.getValue().voters() + "/"
                + e.getValue().observers()).toList().toString();
    }
}
