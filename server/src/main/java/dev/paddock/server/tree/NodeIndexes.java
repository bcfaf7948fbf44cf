package dev.paddock.server.tree;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The paths a {@link DataTree} finds by kind rather than by name: the ephemerals of each session (closing a
 * session deletes them), the containers and the TTL nodes (the reaper looks at them). Kept in step by the
 * tree's primitives, loads and rollbacks. Not thread-safe: the tree's owner thread only.
 */
final class NodeIndexes {
    private final Map<Long, Set<String>> ephemeralsBySession = new HashMap<>();
    private final Set<String> containers = new TreeSet<>();
    private final Set<String> ttlNodes = new TreeSet<>();
    private final boolean extendedTypesEnabled;

    NodeIndexes(boolean extendedTypesEnabled) {
        this.extendedTypesEnabled = extendedTypesEnabled;
    }

    Set<String> containers() {
        return Collections.unmodifiableSet(containers);
    }

    Set<String> ttlNodes() {
        return Collections.unmodifiableSet(ttlNodes);
    }

    Set<String> ephemerals(long sessionId) {
        Set<String> paths = ephemeralsBySession.get(sessionId);
        return paths == null ? Set.of() : Collections.unmodifiableSet(paths);
    }

    int ephemeralCount() {
        int count = 0;
        for (Set<String> s : ephemeralsBySession.values()) {
            count += s.size();
        }
        return count;
    }

    void clear() {
        ephemeralsBySession.clear();
        containers.clear();
        ttlNodes.clear();
    }

    /** Becomes a copy of {@code other} (a tree taking over another's contents). */
    void copyOf(NodeIndexes other) {
        clear();
        ephemeralsBySession.putAll(other.ephemeralsBySession);
        containers.addAll(other.containers);
        ttlNodes.addAll(other.ttlNodes);
    }

    void add(String path, Znode n) {
        long owner = n.ephemeralOwner();
        switch (EphemeralType.of(owner, extendedTypesEnabled)) {
            case NORMAL -> ephemeralsBySession.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
            case CONTAINER -> containers.add(path);
            case TTL -> ttlNodes.add(path);
            case VOID -> { }
        }
    }

    void remove(String path, Znode n) {
        long owner = n.ephemeralOwner();
        switch (EphemeralType.of(owner, extendedTypesEnabled)) {
            case NORMAL -> {
                Set<String> s = ephemeralsBySession.get(owner);
                if (s != null) {
                    s.remove(path);
                    if (s.isEmpty()) {
                        ephemeralsBySession.remove(owner);
                    }
                }
            }
            case CONTAINER -> containers.remove(path);
            case TTL -> ttlNodes.remove(path);
            case VOID -> { }
        }
    }
}
