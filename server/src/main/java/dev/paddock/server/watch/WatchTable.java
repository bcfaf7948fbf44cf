package dev.paddock.server.watch;

import dev.paddock.server.tree.PathValidator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Watches of one kind (data side or child side), by path, with each watcher's modes on that path as bits:
 * one watcher may hold a one-shot and a persistent watch on the same path at once, as in ZooKeeper 3.9.
 */
final class WatchTable {
    static final int STANDARD = 1;
    static final int PERSISTENT = 2;
    static final int RECURSIVE = 4;

    private final Map<String, Map<Watcher, Integer>> byPath = new HashMap<>();
    private final Map<Watcher, Set<String>> byWatcher = new HashMap<>();
    private int recursiveCount;

    /** No watch of this kind anywhere. */
    boolean isEmpty() {
        return byPath.isEmpty();
    }

    void add(String path, Watcher w, int mode) {
        Map<Watcher, Integer> watchers = byPath.computeIfAbsent(path, k -> new LinkedHashMap<>(2));
        int before = watchers.getOrDefault(w, 0);
        if ((mode & RECURSIVE) != 0 && (before & RECURSIVE) == 0) {
            recursiveCount++;
        }
        watchers.put(w, before | mode);
        byWatcher.computeIfAbsent(w, k -> new HashSet<>()).add(path);
    }

    /**
     * Collects the watchers an event on {@code path} reaches, dropping their one-shot watches: every mode on
     * the path itself, and recursive watches on its ancestors.
     */
    void collect(String path, Set<Watcher> out) {
        Map<Watcher, Integer> watchers = byPath.get(path);
        if (watchers != null) {
            for (Iterator<Map.Entry<Watcher, Integer>> it = watchers.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Watcher, Integer> e = it.next();
                out.add(e.getKey());
                int remaining = e.getValue() & ~STANDARD;
                if (remaining == 0) {
                    it.remove();
                    forgetPath(e.getKey(), path);
                } else {
                    e.setValue(remaining);
                }
            }
            if (watchers.isEmpty()) {
                byPath.remove(path);
            }
        }
        if (recursiveCount > 0 && !path.equals("/")) {
            String p = path;
            do {
                p = PathValidator.parent(p);
                Map<Watcher, Integer> ancestors = byPath.get(p);
                if (ancestors != null) {
                    for (Map.Entry<Watcher, Integer> e : ancestors.entrySet()) {
                        if ((e.getValue() & RECURSIVE) != 0) {
                            out.add(e.getKey());
                        }
                    }
                }
            } while (!p.equals("/"));
        }
    }

    boolean contains(String path, Watcher w, int modeMask) {
        Map<Watcher, Integer> watchers = byPath.get(path);
        return watchers != null && (watchers.getOrDefault(w, 0) & modeMask) != 0;
    }

    /** Removes the watcher's modes in {@code modeMask} on the path; true if it had any of them. */
    boolean remove(String path, Watcher w, int modeMask) {
        Map<Watcher, Integer> watchers = byPath.get(path);
        if (watchers == null) {
            return false;
        }
        int before = watchers.getOrDefault(w, 0);
        if ((before & modeMask) == 0) {
            return false;
        }
        if ((before & modeMask & RECURSIVE) != 0) {
            recursiveCount--;
        }
        int after = before & ~modeMask;
        if (after == 0) {
            watchers.remove(w);
            forgetPath(w, path);
            if (watchers.isEmpty()) {
                byPath.remove(path);
            }
        } else {
            watchers.put(w, after);
        }
        return true;
    }

    void removeAll(Watcher w) {
        Set<String> paths = byWatcher.remove(w);
        if (paths == null) {
            return;
        }
        for (String path : paths) {
            Map<Watcher, Integer> watchers = byPath.get(path);
            if (watchers == null) {
                continue;
            }
            Integer mode = watchers.remove(w);
            if (mode != null && (mode & RECURSIVE) != 0) {
                recursiveCount--;
            }
            if (watchers.isEmpty()) {
                byPath.remove(path);
            }
        }
    }

    int size() {
        int n = 0;
        for (Map<Watcher, Integer> m : byPath.values()) {
            n += m.size();
        }
        return n;
    }

    int pathCount() {
        return byPath.size();
    }

    int watcherCount() {
        return byWatcher.size();
    }

    /** Watcher to its paths, a copy. */
    Map<Watcher, Set<String>> byWatcher() {
        Map<Watcher, Set<String>> copy = new LinkedHashMap<>();
        byWatcher.forEach((w, paths) -> copy.put(w, new LinkedHashSet<>(paths)));
        return copy;
    }

    /** Path to its watchers, a copy. */
    Map<String, Set<Watcher>> byPath() {
        Map<String, Set<Watcher>> copy = new LinkedHashMap<>();
        byPath.forEach((path, watchers) -> copy.put(path, new LinkedHashSet<>(watchers.keySet())));
        return copy;
    }

    private void forgetPath(Watcher w, String path) {
        Set<String> paths = byWatcher.get(w);
        if (paths != null) {
            paths.remove(path);
            if (paths.isEmpty()) {
                byWatcher.remove(w);
            }
        }
    }
}
