package dev.paddock.server.admin;

import dev.paddock.server.watch.WatchManager;
import dev.paddock.server.watch.Watcher;
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

    /** "N connections watching M paths", then "Total watches:T". */
    String summary() {
        return watches.dataWatcherCount() + " connections watching " + watches.dataWatchPathCount()
                + " paths\nTotal watches:" + watches.dataWatchCount() + "\n";
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
