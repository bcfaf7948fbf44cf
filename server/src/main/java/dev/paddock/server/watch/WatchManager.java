package dev.paddock.server.watch;

import dev.paddock.server.tree.Change;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watches held on this server and how applied changes fire them, with ZooKeeper's rules: a one-shot
 * watch fires once; persistent watches see every event on their path; recursive watches see created,
 * deleted and data-changed events on their subtree but never NodeChildrenChanged; a watcher gets one
 * event per change even when several of its watches match. Used only on the apply thread.
 */
public final class WatchManager {
    /** ZooKeeper's WatcherType numbers, used by checkWatches and removeWatches. */
    public static final int TYPE_CHILDREN = 1;
    public static final int TYPE_DATA = 2;
    public static final int TYPE_ANY = 3;
    public static final int TYPE_PERSISTENT = 4;
    public static final int TYPE_PERSISTENT_RECURSIVE = 5;

    /** addWatch modes. */
    public static final int MODE_PERSISTENT = 0;
    public static final int MODE_PERSISTENT_RECURSIVE = 1;

    private final WatchTable data = new WatchTable();
    private final WatchTable child = new WatchTable();

    public void addDataWatch(String path, Watcher w) {
        data.add(path, w, WatchTable.STANDARD);
    }

    public void addChildWatch(String path, Watcher w) {
        child.add(path, w, WatchTable.STANDARD);
    }

    /** addWatch: a persistent watch sits on both sides, a recursive one on the data side only. */
    public boolean addPersistentWatch(String path, Watcher w, int mode) {
        if (mode == MODE_PERSISTENT) {
            data.add(path, w, WatchTable.PERSISTENT);
            child.add(path, w, WatchTable.PERSISTENT);
            return true;
        }
        if (mode == MODE_PERSISTENT_RECURSIVE) {
            data.add(path, w, WatchTable.RECURSIVE);
            return true;
        }
        return false;
    }

    public void fire(List<Change> changes, long zxid) {
        if (data.isEmpty() && child.isEmpty()) {
            return; // nobody watches: a replay after a restart, a bulk load (no set or event per change)
        }
        for (Change c : changes) {
            Set<Watcher> targets = new LinkedHashSet<>();
            EventType type;
            switch (c.kind()) {
                case CREATED -> {
                    type = EventType.NODE_CREATED;
                    data.collect(c.path(), targets);
                }
                case DELETED -> {
                    type = EventType.NODE_DELETED;
                    data.collect(c.path(), targets);
                    child.collect(c.path(), targets);
                }
                case DATA_CHANGED -> {
                    type = EventType.NODE_DATA_CHANGED;
                    data.collect(c.path(), targets);
                }
                case CHILDREN_CHANGED -> {
                    type = EventType.NODE_CHILDREN_CHANGED;
                    child.collect(c.path(), targets);
                }
                default -> throw new IllegalStateException(c.kind().name());
            }
            // One event per change, encoded at most once however many watchers it goes to.
            WatchEvent event = new WatchEvent(type, c.path(), zxid);
            for (Watcher w : targets) {
                if (c.acl() != null && !w.mayRead(c.acl())) {
                    continue;
                }
                w.sendEvent(event);
            }
        }
    }

    public boolean contains(String path, Watcher w, int watcherType) {
        return switch (watcherType) {
            // Children and Data name one-shot watches only; persistent ones answer to Any and their own types.
            case TYPE_CHILDREN -> child.contains(path, w, WatchTable.STANDARD);
            case TYPE_DATA -> data.contains(path, w, WatchTable.STANDARD);
            case TYPE_ANY -> child.contains(path, w, ~0) || data.contains(path, w, ~0);
            case TYPE_PERSISTENT -> data.contains(path, w, WatchTable.PERSISTENT);
            case TYPE_PERSISTENT_RECURSIVE -> data.contains(path, w, WatchTable.RECURSIVE);
            default -> false;
        };
    }

    public boolean remove(String path, Watcher w, int watcherType) {
        return switch (watcherType) {
            case TYPE_CHILDREN -> child.remove(path, w, WatchTable.STANDARD);
            case TYPE_DATA -> data.remove(path, w, WatchTable.STANDARD);
            case TYPE_ANY -> child.remove(path, w, ~0) | data.remove(path, w, ~0);
            case TYPE_PERSISTENT -> child.remove(path, w, WatchTable.PERSISTENT) | data.remove(path, w, WatchTable.PERSISTENT);
            case TYPE_PERSISTENT_RECURSIVE -> data.remove(path, w, WatchTable.RECURSIVE);
            default -> false;
        };
    }

    public void removeAll(Watcher w) {
        data.removeAll(w);
        child.removeAll(w);
    }

    /** Number of (path, watcher) pairs on both sides, as mntr's zk_watch_count counts them. */
    public int watchCount() {
        return data.size() + child.size();
    }

    /**
     * The data side by watcher, a copy for wchs and wchc. ZooKeeper's wchs, wchc and wchp report only this
     * side (data and exists watches, persistent and recursive ones), never the child side.
     */
    public Map<Watcher, Set<String>> dataWatchesByWatcher() {
        return data.byWatcher();
    }

    /** The data side by path, a copy for wchs and wchp (see {@link #dataWatchesByWatcher}). */
    public Map<String, Set<Watcher>> dataWatchesByPath() {
        return data.byPath();
    }

    /** Number of (path, watcher) pairs on the data side: wchs's "Total watches". */
    public int dataWatchCount() {
        return data.size();
    }

    /** Paths with a data-side watch: wchs's "watching M paths". */
    public int dataWatchPathCount() {
        return data.pathCount();
    }

    /** Watchers with a data-side watch: wchs's "N connections". */
    public int dataWatcherCount() {
        return data.watcherCount();
    }
}
