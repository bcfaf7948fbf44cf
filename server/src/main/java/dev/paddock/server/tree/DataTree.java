package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The znodes and their indexes (ephemerals by session, containers, TTL nodes). Mutation primitives assume
 * the caller validated the request; every mutation records an undo entry while a multi is open, so a
 * failed multi leaves the tree byte-for-byte as it was. No I/O, no clock, no threads.
 */
public final class DataTree {
    /** Every node hangs off the root by name; paths are looked up segment by segment (see Znode). */
    private Znode root;
    private int nodeCount;
    private final Map<Long, Set<String>> ephemeralsBySession = new HashMap<>();
    private final Set<String> containers = new TreeSet<>();
    private final Set<String> ttlNodes = new TreeSet<>();
    private final boolean extendedTypesEnabled;
    /** ZooKeeper's digest of this tree: each primitive below removes a node's term before a change and adds it after. */
    private final ZooKeeperDigest digest = new ZooKeeperDigest();
    /** The digest when the open multi began: a rollback puts it back with the nodes. */
    private long digestBeforeMulti;

    /**
     * For the open multi (null when none): each touched path's node as it was (the live object and a copy
     * of its fields; null when absent), and the children tables' changes, in order. Children tables are
     * not copied, so a multi that creates under a parent with a million children stays cheap; but a
     * rollback must leave each table laid out exactly as before (clients see that order, and ZooKeeper
     * never applies a failed multi), so a removal notes the entry before the child in its bucket, and an
     * add that reshapes the table (or any change to a HashMap table) saves the table's layout first.
     */
    private LinkedHashMap<String, Saved> undo;
    private List<ChildChange> childChanges;
    /** The HashMap tables the open multi changes as copies (see detachOnce); null until it has one. */
    private Set<ChildTable> detached;

    private record Saved(Znode live, Znode fields) {
    }

    private enum ChildStep { ADDED, REMOVED, RESHAPED, DETACHED }

    /**
     * One change to a children table: a child added, a child removed (with the entry that was before it in
     * its bucket), the table's layout before it reshaped, or a HashMap table's own map kept aside.
     */
    private record ChildChange(ChildStep step, ChildTable table, String path, Znode child, Znode prev,
                               ChildTable.Layout layout) {
    }

    public DataTree(boolean extendedTypesEnabled) {
        this.extendedTypesEnabled = extendedTypesEnabled;
        root = new Znode("", new byte[0]);
        root.acl = AclLists.OPEN;
        root.childrenToAdd();
        nodeCount = 1;
        digest.add("/", root);
    }

    public ZooKeeperDigest zooKeeperDigest() {
        return digest;
    }

    public boolean extendedTypesEnabled() {
        return extendedTypesEnabled;
    }

    /**
     * The node at exactly this path, null when there is none or the path is not one a node can have (no
     * leading slash, an empty segment, a trailing slash): what a map keyed by full path would answer.
     */
    Znode node(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        Znode n = root;
        int from = 1;
        int length = path.length();
        if (length == 1) {
            return n;
        }
        while (true) {
            int slash = path.indexOf('/', from);
            int to = slash < 0 ? length : slash;
            ChildTable children = n.children();
            if (to == from || children == null) {
                return null;
            }
            n = children.get(path, from, to);
            if (n == null || slash < 0) {
                return n;
            }
            from = slash + 1;
        }
    }

    /** A node's ACL as stored, without any check; null when there is no such node (AdminServer's auth). */
    public List<dev.paddock.wire.proto.Acl> aclOf(String path) {
        Znode n = node(path);
        return n == null ? null : n.acl;
    }

    /** For reads: as in ZooKeeper, "" also names the root. */
    Znode lookup(String path) {
        return path.isEmpty() ? root : node(path);
    }

    /** The Stat clients see for a node. */
    Stat stat(Znode n) {
        return n.stat(extendedTypesEnabled);
    }

    /** The TTL of a TTL node, in ms; 0 for any other node or none. */
    public long ttlMs(String path) {
        Znode n = node(path);
        if (n == null || EphemeralType.of(n.ephemeralOwner(), extendedTypesEnabled) != EphemeralType.TTL) {
            return 0;
        }
        return EphemeralType.ttlOf(n.ephemeralOwner());
    }

    public boolean exists(String path) {
        return node(path) != null;
    }

    public Stat stat(String path) {
        Znode n = node(path);
        return n == null ? null : n.stat(extendedTypesEnabled);
    }

    public int nodeCount() {
        return nodeCount;
    }

    public Set<String> containers() {
        return Collections.unmodifiableSet(containers);
    }

    public Set<String> ttlNodes() {
        return Collections.unmodifiableSet(ttlNodes);
    }

    public Set<String> ephemerals(long sessionId) {
        Set<String> paths = ephemeralsBySession.get(sessionId);
        return paths == null ? Set.of() : Collections.unmodifiableSet(paths);
    }

    public int ephemeralCount() {
        int count = 0;
        for (Set<String> s : ephemeralsBySession.values()) {
            count += s.size();
        }
        return count;
    }

    /** Takes over another tree's contents (a leader's snapshot installed on a learner). */
    void replaceWith(DataTree other) {
        root = other.root;
        nodeCount = other.nodeCount;
        ephemeralsBySession.clear();
        ephemeralsBySession.putAll(other.ephemeralsBySession);
        containers.clear();
        containers.addAll(other.containers);
        ttlNodes.clear();
        ttlNodes.addAll(other.ttlNodes);
        digest.takeOver(other.digest, this);
    }

    // ---- mutation primitives -------------------------------------------------------------------------

    void create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, long zxid, long timeMs) {
        String parentPath = PathValidator.parent(path);
        Znode parent = node(parentPath);
        save(parentPath, parent);
        save(path, null);
        digest.remove(parentPath, parent);
        Znode n = new Znode(PathValidator.name(path), data);
        n.acl = acl;
        n.czxid = zxid;
        n.mzxid = zxid;
        n.ctime = timeMs;
        n.mtime = timeMs;
        n.ephemeralOwner(ephemeralOwner);
        addChild(parent, path, n);
        parent.cversion(parent.cversion() + 1);
        parent.pzxid(zxid);
        digest.add(parentPath, parent);
        digest.add(path, n);
    }

    private void addChild(Znode parent, String path, Znode child) {
        ChildTable table = parent.childrenToAdd();
        if (childChanges != null) {
            if (table.usesMap()) {
                detachOnce(table);
            } else if (table.addReshapes(child)) {
                childChanges.add(new ChildChange(ChildStep.RESHAPED, table, null, null, null, table.layout()));
            }
        }
        table.add(child);
        nodeCount++;
        index(path, child);
        if (childChanges != null) {
            childChanges.add(new ChildChange(ChildStep.ADDED, table, path, child, null, null));
        }
    }

    /** Before the open multi first changes a HashMap table: keeps its map aside (see ChildTable.detachMap). */
    private void detachOnce(ChildTable table) {
        if (detached == null) {
            detached = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        if (!detached.add(table)) {
            return;
        }
        childChanges.add(new ChildChange(ChildStep.DETACHED, table, null, null, null, table.detachMap()));
    }

    void delete(String path, long zxid) {
        Znode n = node(path);
        String parentPath = PathValidator.parent(path);
        Znode parent = node(parentPath);
        save(parentPath, parent);
        save(path, n);
        digest.remove(path, n);
        digest.remove(parentPath, parent);
        ChildTable table = parent.children();
        if (childChanges != null && table.usesMap()) {
            detachOnce(table);
        }
        Znode prev = table.remove(n);
        nodeCount--;
        unindex(path, n);
        if (childChanges != null) {
            childChanges.add(new ChildChange(ChildStep.REMOVED, table, path, n, prev, null));
        }
        // cversion counts creates only (see Znode.stat); a delete shows in the reported value by itself.
        parent.pzxid(zxid);
        digest.add(parentPath, parent);
    }

    void setData(String path, byte[] data, long zxid, long timeMs) {
        Znode n = node(path);
        save(path, n);
        digest.remove(path, n);
        n.data(data);
        n.mzxid = zxid;
        n.mtime = timeMs;
        n.version++;
        digest.add(path, n);
    }

    /** Sets a node's data outside any transaction, with the given stat fields (the local config node). */
    void setLocalData(String path, byte[] data, int version, long mzxid, long timeMs) {
        Znode n = node(path);
        save(path, n);
        digest.remove(path, n);
        n.data(data);
        n.version = version;
        n.mzxid = mzxid;
        n.mtime = timeMs;
        digest.add(path, n);
    }

    /** Replaces a node's data and no stat field: how ZooKeeper updates a quota's stats node (see Quotas). */
    void replaceDataOnly(String path, byte[] data) {
        Znode n = node(path);
        save(path, n);
        digest.remove(path, n);
        n.data(data);
        digest.add(path, n);
    }

    void setAcl(String path, List<Acl> acl) {
        Znode n = node(path);
        save(path, n);
        digest.remove(path, n);
        n.acl = acl;
        n.aversion(n.aversion() + 1);
        digest.add(path, n);
    }

    /** Creates a node outside any transaction, with zeroed stats, as ZooKeeper builds /zookeeper. */
    void createSystemNode(String path, byte[] data, List<Acl> acl, int aversion) {
        Znode n = new Znode(PathValidator.name(path), data);
        n.acl = acl;
        n.aversion(aversion);
        // Adding it to its parent's children changes no stat, as ZooKeeper builds /zookeeper.
        digest.add(path, n);
        node(PathValidator.parent(path)).childrenToAdd().add(n);
        nodeCount++;
    }

    // ---- multi support -------------------------------------------------------------------------------

    void beginUndo() {
        digestBeforeMulti = digest.value();
        undo = new LinkedHashMap<>();
        childChanges = new ArrayList<>();
        detached = null;
    }

    /**
     * A node as it was before the open multi: its saved fields when the multi changed it (null when the
     * multi created it), else the node itself (null when absent). Quota checks read this (see Quotas).
     */
    Znode beforeMulti(String path) {
        if (undo != null && undo.containsKey(path)) {
            Saved saved = undo.get(path);
            return saved == null ? null : saved.fields();
        }
        return node(path);
    }

    void commitUndo() {
        List<ChildChange> changes = childChanges;
        undo = null;
        childChanges = null;
        if (detached == null) {
            return;
        }
        detached = null;
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).step() == ChildStep.DETACHED) {
                replayOnKeptMap(changes, i);
            }
        }
    }

    /**
     * A committed multi changed a copy of a HashMap table (see ChildTable.detachMap): applies its adds and
     * removes, in order, to the map kept aside, which then ends in the layout ZooKeeper's set has, and
     * gives it back to the table.
     */
    private static void replayOnKeptMap(List<ChildChange> changes, int detachedAt) {
        ChildChange detach = changes.get(detachedAt);
        ChildTable.Layout kept = detach.layout();
        for (int i = detachedAt + 1; i < changes.size(); i++) {
            ChildChange c = changes.get(i);
            if (c.table() != detach.table()) {
                continue;
            }
            if (c.step() == ChildStep.ADDED) {
                kept.map().put(c.child().nameString(), c.child());
            } else if (c.step() == ChildStep.REMOVED) {
                kept.map().remove(c.child().nameString());
            }
        }
        detach.table().restore(kept);
    }

    /**
     * Undoes the children tables' changes, newest first, each leaving its table exactly as it was before
     * it (so the order clients list is ZooKeeper's again), then puts back every saved node's fields.
     */
    void rollback() {
        List<Saved> saved = new ArrayList<>(undo.values());
        List<ChildChange> changes = childChanges;
        undo = null;
        childChanges = null;
        detached = null;
        for (int i = changes.size() - 1; i >= 0; i--) {
            ChildChange c = changes.get(i);
            switch (c.step()) {
                case ADDED -> {
                    c.table().remove(c.child());
                    nodeCount--;
                    unindex(c.path(), c.child());
                }
                case REMOVED -> {
                    c.table().reinsert(c.child(), c.prev());
                    nodeCount++;
                    index(c.path(), c.child());
                }
                case RESHAPED, DETACHED -> c.table().restore(c.layout());
            }
        }
        for (Saved before : saved) {
            if (before != null) {
                before.live().restoreFields(before.fields());
            }
        }
        digest.restoreValue(digestBeforeMulti);
    }

    private void save(String path, Znode current) {
        if (snapshotGuard != null && current != null) {
            snapshotGuard.beforeChange(current);
        }
        if (undo != null && !undo.containsKey(path)) {
            undo.put(path, current == null ? null : new Saved(current, current.fieldsOnly()));
        }
    }

    // ---- snapshot support (see TreeSnapshot) ----------------------------------------------------------

    /** While a snapshot is being written, told before any existing node is changed (copy-on-write). */
    private TreeSnapshot.Guard snapshotGuard;

    void snapshotGuard(TreeSnapshot.Guard guard) {
        this.snapshotGuard = guard;
    }

    TreeSnapshot.Guard snapshotGuard() {
        return snapshotGuard;
    }

    /** What {@link #forEachNode} calls: a node, its path, and its depth (0 for the root). */
    interface NodeVisitor {
        void visit(String path, Znode node, int depth);
    }

    /**
     * Every node, parents before their children and children in ZooKeeper's order (ZooKeeper's snapshot
     * order); the tree must not change meanwhile. Builds each path, so callers that need no path use
     * {@link #forEachNode(java.util.function.ObjIntConsumer)}.
     */
    void forEachNode(NodeVisitor visitor) {
        Deque<Znode> nodes = new ArrayDeque<>();
        Deque<String> paths = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        paths.push("/");
        depths.push(0);
        List<Znode> kids = new ArrayList<>();
        while (!nodes.isEmpty()) {
            Znode n = nodes.pop();
            String path = paths.pop();
            int depth = depths.pop();
            visitor.visit(path, n, depth);
            ChildTable children = n.children();
            if (children == null) {
                continue;
            }
            kids.clear();
            for (Znode c : children) {
                kids.add(c);
            }
            for (int i = kids.size() - 1; i >= 0; i--) {
                Znode c = kids.get(i);
                nodes.push(c);
                paths.push(PathValidator.child(path, c.nameString()));
                depths.push(depth + 1);
            }
        }
    }

    /** Every node with its depth, in the order of {@link #forEachNode(NodeVisitor)}, without paths. */
    void forEachNode(java.util.function.ObjIntConsumer<Znode> visitor) {
        Deque<Znode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(0);
        List<Znode> kids = new ArrayList<>();
        while (!nodes.isEmpty()) {
            Znode n = nodes.pop();
            int depth = depths.pop();
            visitor.accept(n, depth);
            ChildTable children = n.children();
            if (children == null) {
                continue;
            }
            kids.clear();
            for (Znode c : children) {
                kids.add(c);
            }
            for (int i = kids.size() - 1; i >= 0; i--) {
                nodes.push(kids.get(i));
                depths.push(depth + 1);
            }
        }
    }

    /**
     * Replaces the whole tree with the given nodes (a snapshot or an import): a path given twice keeps its
     * first place and its last node; each node becomes its parent's child in the order given (as ZooKeeper
     * loads its snapshot), which may list a child before its parent. The tree's current nodes that are not
     * given follow, so a system node the caller leaves out stays.
     *
     * @throws IllegalArgumentException when a node's parent is not among them
     */
    void load(java.util.function.Consumer<java.util.function.BiConsumer<String, Znode>> nodes) {
        LinkedHashMap<String, Znode> byPath = new LinkedHashMap<>();
        nodes.accept(byPath::put);
        forEachNode((path, n, depth) -> byPath.putIfAbsent(path, n));
        Znode newRoot = byPath.get("/");
        for (Znode n : byPath.values()) {
            n.dropChildren();
        }
        ephemeralsBySession.clear();
        containers.clear();
        ttlNodes.clear();
        for (Map.Entry<String, Znode> e : byPath.entrySet()) {
            String path = e.getKey();
            if (path.equals("/")) {
                continue;
            }
            Znode parent = byPath.get(PathValidator.parent(path));
            if (parent == null) {
                throw new IllegalArgumentException("node " + path + " has no parent");
            }
            parent.childrenToAdd().add(e.getValue());
            index(path, e.getValue());
        }
        newRoot.childrenToAdd();
        root = newRoot;
        nodeCount = byPath.size();
        digest.recount(this);
    }

    private void index(String path, Znode n) {
        long owner = n.ephemeralOwner();
        switch (EphemeralType.of(owner, extendedTypesEnabled)) {
            case NORMAL -> ephemeralsBySession.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
            case CONTAINER -> containers.add(path);
            case TTL -> ttlNodes.add(path);
            case VOID -> { }
        }
    }

    private void unindex(String path, Znode n) {
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
