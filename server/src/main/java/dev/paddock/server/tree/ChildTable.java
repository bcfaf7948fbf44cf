package dev.paddock.server.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A node's children, chained through {@link Znode#next} in buckets indexed by each name's hash: no entry
 * object and no second copy of the name per child, which a {@code HashSet<String>} costs (a 32-byte
 * HashMap.Node plus a String of the name).
 *
 * <p>Clients see children in ZooKeeper's order, the iteration order of its {@code HashSet<String>(8)}
 * (DataNode.addChild), so this table is laid out exactly as java.util.HashMap lays out such a set: the same
 * spread hash, capacity 8 at the first child, doubling when the size passes three quarters of the capacity,
 * new entries at the end of their bucket, and a resize that splits each bucket keeping its order. HashMap
 * treats a bucket of 8 that gets a 9th entry differently (it doubles the table below capacity 64, and above
 * it turns the bucket into a red-black tree whose iteration order follows the tree's shape); rather than
 * copy that, the table then hands its entries to a real {@code HashMap<String, Znode>}: refilled in this
 * table's order at the same capacity, with every bucket still 8 or fewer, it is in the very state
 * ZooKeeper's set is in, and adding the 9th there does whatever HashMap does. Only names whose hashes
 * collide on the low bits (9 in one bucket) ever pay for that map.
 */
final class ChildTable implements Iterable<Znode> {
    private static final int INITIAL_CAPACITY = 8;
    /** A bucket this long hands over to a HashMap before taking one more (HashMap's TREEIFY_THRESHOLD). */
    private static final int LONGEST_BUCKET = 8;

    private Znode[] table = new Znode[INITIAL_CAPACITY];
    private int size;
    /** Non-null once a bucket outgrew the chained layout (see the class comment); then it holds every child. */
    private HashMap<String, Znode> map;

    int size() {
        return map != null ? map.size() : size;
    }

    /** The child named by {@code path.substring(from, to)}, found without making that substring. */
    Znode get(String path, int from, int to) {
        if (map != null) {
            return map.get(path.substring(from, to));
        }
        int hash = Names.spread(Names.hash(path, from, to));
        for (Znode e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.named(path, from, to)) {
                return e;
            }
        }
        return null;
    }

    /** Puts {@code n} where {@code old}, a child of the same name, is: same bucket, same place in it. */
    void replace(Znode old, Znode n) {
        if (map != null) {
            map.put(n.nameString(), n);
            return;
        }
        int i = old.nameHash() & (table.length - 1);
        Znode prev = null;
        for (Znode e = table[i]; e != null; prev = e, e = e.next) {
            if (e == old) {
                n.next = old.next;
                if (prev == null) {
                    table[i] = n;
                } else {
                    prev.next = n;
                }
                old.next = null;
                return;
            }
        }
        throw new IllegalStateException("not a child here: " + old.nameString());
    }

    /** Adds a child whose name is not in the table yet. */
    void add(Znode child) {
        if (map != null) {
            map.put(child.nameString(), child);
            return;
        }
        child.next = null;
        int i = child.nameHash() & (table.length - 1);
        Znode e = table[i];
        if (e == null) {
            table[i] = child;
        } else {
            int bucketSize = 1;
            while (e.next != null) {
                e = e.next;
                bucketSize++;
            }
            if (bucketSize >= LONGEST_BUCKET) {
                toHashMap(child);
                return;
            }
            e.next = child;
        }
        if (++size > table.length / 4 * 3) {
            resize();
        }
    }

    /**
     * Removes a child that is in the table. HashMap never shrinks, so neither does this. Returns the entry
     * before it in its bucket (null when it was first, or when the table is a HashMap), which is where
     * {@link #reinsert} puts it back.
     */
    Znode remove(Znode child) {
        if (map != null) {
            map.remove(child.nameString());
            return null;
        }
        int i = child.nameHash() & (table.length - 1);
        Znode prev = null;
        for (Znode e = table[i]; e != null; prev = e, e = e.next) {
            if (e == child) {
                if (prev == null) {
                    table[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                size--;
                return prev;
            }
        }
        return null;
    }

    /**
     * Undoes {@link #remove}: puts the child back right after {@code prev}, the entry {@code remove}
     * returned, or first in its bucket when that was null. A plain {@link #add} would put it at the end of
     * its bucket, where ZooKeeper's set (which a failed multi never touched) does not have it. Exact only
     * when the table is as the removal left it; a HashMap table gets a plain put (see {@link #detachMap}).
     */
    void reinsert(Znode child, Znode prev) {
        if (map != null) {
            map.put(child.nameString(), child);
            return;
        }
        if (prev == null) {
            int i = child.nameHash() & (table.length - 1);
            child.next = table[i];
            table[i] = child;
        } else {
            child.next = prev.next;
            prev.next = child;
        }
        size++;
    }

    /**
     * Whether adding {@code child} would change the table's shape (double it, or hand it to a HashMap),
     * which {@link #remove} cannot undo: a multi saves the {@link #layout} first. False for a HashMap table.
     */
    boolean addReshapes(Znode child) {
        if (map != null) {
            return false;
        }
        if (size + 1 > table.length / 4 * 3) {
            return true;
        }
        int bucketSize = 0;
        for (Znode e = table[child.nameHash() & (table.length - 1)]; e != null; e = e.next) {
            bucketSize++;
        }
        return bucketSize >= LONGEST_BUCKET;
    }

    boolean usesMap() {
        return map != null;
    }

    /**
     * How the entries lie now, for {@link #restore}: the capacity and the entries in iteration order (each
     * bucket's entries in a row, in the bucket's order), or the HashMap itself. Costs a pass over the table.
     */
    Layout layout() {
        if (map != null) {
            return new Layout(0, null, map);
        }
        Znode[] order = new Znode[size];
        int k = 0;
        for (Znode e : this) {
            order[k++] = e;
        }
        return new Layout(table.length, order, null);
    }

    /** Puts the entries back exactly as {@link #layout} found them; entries added since are dropped. */
    void restore(Layout saved) {
        if (saved.map() != null) {
            table = null;
            size = 0;
            map = saved.map();
            return;
        }
        Znode[] grown = new Znode[saved.capacity()];
        Znode[] tails = new Znode[saved.capacity()];
        for (Znode e : saved.order()) {
            int i = e.nameHash() & (grown.length - 1);
            e.next = null;
            if (tails[i] == null) {
                grown[i] = e;
            } else {
                tails[i].next = e;
            }
            tails[i] = e;
        }
        table = grown;
        size = saved.order().length;
        map = null;
    }

    /**
     * For a multi about to change a HashMap table: keeps the HashMap as it is and gives the table a copy to
     * change. A HashMap cannot be put back in its exact order after a remove and a put, so a rollback
     * {@link #restore}s the kept one; a commit replays the multi's adds and removes on it (as ZooKeeper
     * applies them) and {@link #restore}s it. Returns the kept HashMap's layout.
     */
    Layout detachMap() {
        Layout kept = new Layout(0, null, map);
        map = new HashMap<>(map);
        return kept;
    }

    /** A table's shape as {@link #layout} saved it: capacity and entries in order, or a HashMap. */
    record Layout(int capacity, Znode[] order, HashMap<String, Znode> map) {
    }

    /** Doubles the table, splitting each bucket into a low and a high one, each in the bucket's order. */
    private void resize() {
        Znode[] old = table;
        int oldCap = old.length;
        Znode[] grown = new Znode[oldCap * 2];
        for (int j = 0; j < oldCap; j++) {
            Znode loHead = null;
            Znode loTail = null;
            Znode hiHead = null;
            Znode hiTail = null;
            for (Znode e = old[j]; e != null; ) {
                Znode next = e.next;
                e.next = null;
                if ((e.nameHash() & oldCap) == 0) {
                    if (loTail == null) {
                        loHead = e;
                    } else {
                        loTail.next = e;
                    }
                    loTail = e;
                } else {
                    if (hiTail == null) {
                        hiHead = e;
                    } else {
                        hiTail.next = e;
                    }
                    hiTail = e;
                }
                e = next;
            }
            grown[j] = loHead;
            grown[j + oldCap] = hiHead;
        }
        table = grown;
    }

    /**
     * Refills a HashMap of the same capacity in this table's order, which rebuilds every bucket as it is
     * (none is longer than 8, so none turns into a tree meanwhile), then adds {@code child} to it, so the
     * HashMap grows or makes a tree just as ZooKeeper's set does.
     */
    private void toHashMap(Znode child) {
        HashMap<String, Znode> m = new HashMap<>(table.length);
        for (Znode e : this) {
            m.put(e.nameString(), e);
        }
        m.put(child.nameString(), child);
        for (int j = 0; j < table.length; j++) {
            for (Znode e = table[j]; e != null; ) {
                Znode next = e.next;
                e.next = null;
                e = next;
            }
        }
        table = null;
        size = 0;
        map = m;
    }

    /** The children's names in ZooKeeper's order. */
    List<String> names() {
        List<String> names = new ArrayList<>(size());
        if (map != null) {
            names.addAll(map.keySet());
            return names;
        }
        for (Znode e : this) {
            names.add(e.nameString());
        }
        return names;
    }

    /** The children in ZooKeeper's order; the table must not change while iterating. */
    @Override
    public Iterator<Znode> iterator() {
        if (map != null) {
            return map.values().iterator();
        }
        return new Iterator<>() {
            private int bucket;
            private Znode next = advance(null);

            private Znode advance(Znode from) {
                if (from != null && from.next != null) {
                    return from.next;
                }
                while (bucket < table.length) {
                    Znode head = table[bucket++];
                    if (head != null) {
                        return head;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Znode next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Znode e = next;
                next = advance(e);
                return e;
            }
        };
    }
}
