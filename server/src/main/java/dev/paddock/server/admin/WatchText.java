package dev.paddock.server.admin;

import dev.paddock.server.watch.WatchManager;
import dev.paddock.server.watch.Watcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** watches (wchc): session id to watched paths. */
    Map<String, Object> bySessionJson() {
        Map<String, Object> bySession = new LinkedHashMap<>();
        watches.dataWatchesByWatcher().forEach((w, paths) -> bySession.merge(Long.toString(w.sessionId()),
                new ArrayList<>(paths), (a, b) -> {
                    @SuppressWarnings("unchecked") List<String> merged = (List<String>) a;
                    merged.addAll(paths);
                    return merged;
                }));
        return Map.of("session_id_to_watched_paths", bySession);
    }

    /** watches_by_path (wchp): path to watching session ids. */
    Map<String, Object> byPathJson() {
        Map<String, Object> byPath = new LinkedHashMap<>();
        watches.dataWatchesByPath().forEach((path, ws) -> {
            List<Long> ids = new ArrayList<>();
            for (Watcher w : ws) {
                ids.add(w.sessionId());
            }
            byPath.put(path, ids);
        });
        return Map.of("path_to_session_ids", byPath);
    }

    /** By session: "0x&lt;session&gt;", then each path on its own line after a tab. */
    String bySession() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Watcher, Set<String>> e : watches.dataWatchesByWatcher().entrySet()) {
            sb.append("0x").append(Long.toHexString(e.getKey().sessionId())).append('\n');
            for (String path : e.getValue()) {
                sb.append('\t').append(path).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /** By path: the path, then each watching session on its own line after a tab. */
    String byPath() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Set<Watcher>> e : watches.dataWatchesByPath().entrySet()) {
            sb.append(e.getKey()).append('\n');
            for (Watcher w : e.getValue()) {
                sb.append("\t0x").append(Long.toHexString(w.sessionId())).append('\n');
            }
        }
        return sb.append('\n').toString();
    }
}
