package dev.paddock.server.admin;

import dev.paddock.server.watch.WatchManager;
import dev.paddock.server.watch.Watcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * wchs, wchc and wchp as ZooKeeper 3.9.5 prints them. Like ZooKeeper, all three report the data side of the
 * watch table only (getData and exists watches, persistent and recursive ones); child watches are counted
 * by mntr's zk_watch_count but never listed here. Each answer ends with an empty line. ZooKeeper needs no
 * setting for wchc and wchp (3.9.5 has no zookeeper.watch.detail): they are answered whenever whitelisted.
 * Request thread only; wchc and wchp cost one pass over the watches, as in ZooKeeper.
 */
final class WatchText {
    private final WatchManager watches;

    WatchText(WatchManager watches) {
        this.watches = watches;
    }

    /** The three counts of wchs and watch_summary, in ZooKeeper's order. */
    Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_connections", watches.dataWatcherCount());
        m.put("num_paths", watches.dataWatchPathCount());
        m.put("num_total_watches", watches.dataWatchCount());
        return m;
    }

    /** "N connections watching M paths", then "Total watches:T". */
    static String summary(Map<String, Object> counts) {
        return counts.get("num_connections") + " connections watching " + counts.get("num_paths")
                + " paths\nTotal watches:" + counts.get("num_total_watches") + "\n";
    }

    /** One watcher's (or path's) line group: the key and what is listed under it, in the table's order. */
    record Group<K, V>(K key, List<V> values) {
    }

    /** wchc's and watches' data: each watching session with its paths. */
    List<Group<Long, String>> bySessionGroups() {
        List<Group<Long, String>> groups = new ArrayList<>();
        watches.dataWatchesByWatcher().forEach((w, paths) ->
                groups.add(new Group<>(w.sessionId(), List.copyOf(paths))));
        return groups;
    }

    /** wchp's and watches_by_path's data: each watched path with its sessions. */
    List<Group<String, Long>> byPathGroups() {
        List<Group<String, Long>> groups = new ArrayList<>();
        watches.dataWatchesByPath().forEach((path, ws) -> {
            List<Long> ids = new ArrayList<>(ws.size());
            for (Watcher w : ws) {
                ids.add(w.sessionId());
            }
            groups.add(new Group<>(path, ids));
        });
        return groups;
    }

    /** By session: "0x&lt;session&gt;", then each path on its own line after a tab. */
    static String bySession(List<Group<Long, String>> groups) {
        StringBuilder sb = new StringBuilder();
        for (Group<Long, String> g : groups) {
            sb.append("0x").append(Long.toHexString(g.key())).append('\n');
            for (String path : g.values()) {
                sb.append('\t').append(path).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /** By path: the path, then each watching session on its own line after a tab. */
    static String byPath(List<Group<String, Long>> groups) {
        StringBuilder sb = new StringBuilder();
        for (Group<String, Long> g : groups) {
            sb.append(g.key()).append('\n');
            for (long id : g.values()) {
                sb.append("\t0x").append(Long.toHexString(id)).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /** watches: session id (decimal, as ZooKeeper's JSON keys) to watched paths. */
    static Map<String, Object> bySessionJson(List<Group<Long, String>> groups) {
        Map<String, Object> bySession = new LinkedHashMap<>();
        for (Group<Long, String> g : groups) {
            @SuppressWarnings("unchecked")
            List<String> paths = (List<String>) bySession.computeIfAbsent(Long.toString(g.key()),
                    k -> new ArrayList<>());
            paths.addAll(g.values());
        }
        return Map.of("session_id_to_watched_paths", bySession);
    }

    /** watches_by_path: path to watching session ids. */
    static Map<String, Object> byPathJson(List<Group<String, Long>> groups) {
        Map<String, Object> byPath = new LinkedHashMap<>();
        for (Group<String, Long> g : groups) {
            byPath.put(g.key(), g.values());
        }
        return Map.of("path_to_session_ids", byPath);
    }
}
