package dev.paddock.server.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * What an open multi changed in a {@link DataTree}, so that a failed one leaves the tree exactly as it was:
 * each touched path's node as it was (the live object and a copy of its fields; null when absent), the
 * digest's value, and the children tables' changes in order.
 *
 * <p>Children tables are not copied, so a multi that creates under a parent with a million children stays
 * cheap; but a rollback must leave each table laid out exactly as before, since clients see that order and
 * ZooKeeper never applies a failed multi (it checks every op first). So a removal notes the entry before the
 * child in its bucket, an add that reshapes the table saves the table's layout first, and a HashMap table is
 * changed as a copy (see {@link ChildTable#detachMap}). Undone newest first, each step finds its table as it
 * left it.
 */
final class MultiUndo {
    /** What a rollback asks the tree to do besides the table's own change: counts and indexes. */
    interface Tree {
        void childGone(String path, Znode child);

        void childBack(String path, Znode child);
    }

    private record Saved(Znode live, Znode fields) {
    }

    private enum Step { ADDED, REMOVED, RESHAPED, DETACHED }

    /**
     * One change to a children table: a child added, a child removed (with the entry that was before it in
     * its bucket), the table's layout before it reshaped, or a HashMap table's own map kept aside.
     */
    private record ChildChange(Step step, ChildTable table, String path, Znode child, Znode prev,
                               ChildTable.Layout layout) {
    }

    private final long digestBefore;
    private final LinkedHashMap<String, Saved> saved = new LinkedHashMap<>();
    private final List<ChildChange> changes = new ArrayList<>();
    /** The HashMap tables this multi changes as copies; null until it has one. */
    private Set<ChildTable> detached;

    MultiUndo(long digestBefore) {
        this.digestBefore = digestBefore;
    }

    /** The digest's value when the multi began. */
    long digestBefore() {
        return digestBefore;
    }

    /** Before the multi first changes the node at {@code path} ({@code current}, null when absent). */
    void save(String path, Znode current) {
        if (!saved.containsKey(path)) {
            saved.put(path, current == null ? null : new Saved(current, current.fieldsOnly()));
        }
    }

    /** Whether the multi changed {@code path}; then {@link #before} tells what it was. */
    boolean touched(String path) {
        return saved.containsKey(path);
    }

    /** The fields {@code path}'s node had before the multi (null when the multi created it). */
    Znode before(String path) {
        Saved s = saved.get(path);
        return s == null ? null : s.fields();
    }

    /** Before {@code child} is added to {@code table}. */
    void beforeAdd(ChildTable table, Znode child) {
        if (table.usesMap()) {
            detachOnce(table);
        } else if (table.addReshapes(child)) {
            changes.add(new ChildChange(Step.RESHAPED, table, null, null, null, table.layout()));
        }
    }

    void added(ChildTable table, String path, Znode child) {
        changes.add(new ChildChange(Step.ADDED, table, path, child, null, null));
    }

    /** Before a child is removed from {@code table}. */
    void beforeRemove(ChildTable table) {
        if (table.usesMap()) {
            detachOnce(table);
        }
    }

    /** {@code prev}: what {@link ChildTable#remove} returned. */
    void removed(ChildTable table, String path, Znode child, Znode prev) {
        changes.add(new ChildChange(Step.REMOVED, table, path, child, prev, null));
    }

    /** Before the multi first changes a HashMap table: keeps its map aside (see ChildTable.detachMap). */
    private void detachOnce(ChildTable table) {
        if (detached == null) {
            detached = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        if (detached.add(table)) {
            changes.add(new ChildChange(Step.DETACHED, table, null, null, null, table.detachMap()));
        }
    }

    /** The multi succeeded: hands each detached table its kept map, changed as the copy was. */
    void commit() {
        if (detached == null) {
            return;
        }
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).step() == Step.DETACHED) {
                replayOnKeptMap(i);
            }
        }
    }

    /**
     * Applies the adds and removes made to a detached table's copy, in order, to the map kept aside, which
     * then ends in the layout ZooKeeper's set has, and gives it back to the table.
     */
    private void replayOnKeptMap(int detachedAt) {
        ChildChange detach = changes.get(detachedAt);
        ChildTable.Layout kept = detach.layout();
        for (int i = detachedAt + 1; i < changes.size(); i++) {
            ChildChange c = changes.get(i);
            if (c.table() != detach.table()) {
                continue;
            }
            if (c.step() == Step.ADDED) {
                kept.map().put(c.child().nameString(), c.child());
            } else if (c.step() == Step.REMOVED) {
                kept.map().remove(c.child().nameString());
            }
        }
        detach.table().restore(kept);
    }

    /**
     * The multi failed: undoes the children tables' changes, newest first, each leaving its table exactly
     * as it was before it, then puts back every saved node's fields. The caller restores the digest.
     */
    void rollback(Tree tree) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            ChildChange c = changes.get(i);
            switch (c.step()) {
                case ADDED -> {
                    c.table().remove(c.child());
                    tree.childGone(c.path(), c.child());
                }
                case REMOVED -> {
                    c.table().reinsert(c.child(), c.prev());
                    tree.childBack(c.path(), c.child());
                }
                case RESHAPED, DETACHED -> c.table().restore(c.layout());
            }
        }
        for (Saved before : saved.values()) {
            if (before != null) {
                before.live().restoreFields(before.fields());
            }
        }
    }
}
