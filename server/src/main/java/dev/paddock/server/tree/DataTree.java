package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The znodes and their indexes (ephemerals by session, containers, TTL nodes). Mutation primitives assume
 * the caller validated the request; every mutation records an undo entry while a multi is open, so a
 * failed multi leaves the tree byte-for-byte as it was. No I/O, no clock, no threads.
 */
public final class DataTree {
    /** Every node hangs off the root by name; paths are looked up segment by segment (see Znode). */
    private Znode root;
    private int nodeCount;
    private final NodeIndexes indexes;
    private final boolean extendedTypesEnabled;
    /** ZooKeeper's digest of this tree: each primitive below removes a node's term before a change and adds it after. */
    private final ZooKeeperDigest digest = new ZooKeeperDigest();
    /** What the open multi changed, so a failure undoes it exactly (see MultiUndo); null when none is open. */
    private MultiUndo undo;
    /** Counts and indexes follow a rollback's table changes. */
    private final MultiUndo.Tree undoTarget = new MultiUndo.Tree() {
        @Override
        public void childGone(String path, Znode child) {
            nodeCount--;
            indexes.remove(path, child);
        }

        @Override
        public void childBack(String path, Znode child) {
            nodeCount++;
            indexes.add(path, child);
        }
    };

    public DataTree(boolean extendedTypesEnabled) {
        this.extendedTypesEnabled = extendedTypesEnabled;
        this.indexes = new NodeIndexes(extendedTypesEnabled);
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
        return walk(root, path);
    }

    /** {@link #node} in the tree under {@code n}. */
    static Znode walk(Znode n, String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
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
        return indexes.containers();
    }

    public Set<String> ttlNodes() {
        return indexes.ttlNodes();
    }

    public Set<String> ephemerals(long sessionId) {
        return indexes.ephemerals(sessionId);
    }

    public int ephemeralCount() {
        return indexes.ephemeralCount();
    }

    /** Takes over another tree's contents (a leader's snapshot installed on a learner). */
    void replaceWith(DataTree other) {
        root = other.root;
        nodeCount = other.nodeCount;
        indexes.copyOf(other.indexes);
        digest.takeOver(other.digest, this);
    }

    // ---- mutation primitives -------------------------------------------------------------------------

    void create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, long zxid, long timeMs) {
        String parentPath = PathValidator.parent(path);
        create(path, parentPath, node(parentPath), data, acl, ephemeralOwner, zxid, timeMs);
    }

    /**
     * The same, for a caller that has just looked the parent up (the state machine checks it first): a create
     * then walks the tree once, not again for the parent here and for the new node afterwards. Returns it.
     */
    Znode create(String path, String parentPath, Znode parent, byte[] data, List<Acl> acl, long ephemeralOwner,
                 long zxid, long timeMs) {
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
        return n;
    }

    private void addChild(Znode parent, String path, Znode child) {
        ChildTable table = parent.childrenToAdd();
        if (undo != null) {
            undo.beforeAdd(table, child);
        }
        table.add(child);
        nodeCount++;
        indexes.add(path, child);
        if (undo != null) {
            undo.added(table, path, child);
        }
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
        if (undo != null) {
            undo.beforeRemove(table);
        }
        Znode prev = table.remove(n);
        nodeCount--;
        indexes.remove(path, n);
        if (undo != null) {
            undo.removed(table, path, n, prev);
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
        undo = new MultiUndo(digest.value());
    }

    /**
     * A node as it was before the open multi: its saved fields when the multi changed it (null when the
     * multi created it), else the node itself (null when absent). Quota checks read this (see Quotas).
     */
    Znode beforeMulti(String path) {
        if (undo != null && undo.touched(path)) {
            return undo.before(path);
        }
        return node(path);
    }

    void commitUndo() {
        MultiUndo done = undo;
        undo = null;
        done.commit();
    }

    /** Puts the tree back as it was when the open multi began: nodes, children tables' layout, digest. */
    void rollback() {
        MultiUndo done = undo;
        undo = null;
        done.rollback(undoTarget);
        digest.restoreValue(done.digestBefore());
    }

    private void save(String path, Znode current) {
        if (snapshotGuard != null && current != null) {
            snapshotGuard.beforeChange(current);
        }
        if (undo != null) {
            undo.save(path, current);
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
        indexes.clear();
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
            indexes.add(path, e.getValue());
        }
        newRoot.childrenToAdd();
        root = newRoot;
        nodeCount = byPath.size();
        digest.recount(this);
    }

    /**
     * As {@link #load}, for nodes that come parents first (a Paddock snapshot, read node by node): each is
     * linked to its parent as it arrives, the parent found from the new root or, for a run of siblings, kept
     * from the node before. No map of every path is held while a large snapshot loads (at a million nodes
     * the collector copied that map and the paths again and again). A node whose parent comes later waits
     * until the end (older snapshots need not list parents first); one given twice keeps its first place and
     * its last node, as in {@link #load}.
     *
     * @throws IllegalArgumentException when a node's parent is not among them
     */
    void loadParentsFirst(java.util.function.Consumer<java.util.function.BiConsumer<String, Znode>> nodes) {
        List<Map.Entry<String, Znode>> current = new ArrayList<>();
        forEachNode((path, n, depth) -> current.add(Map.entry(path, n)));
        indexes.clear();
        digest.startCounting();
        ParentsFirstLinker linker = new ParentsFirstLinker(indexes, digest);
        nodes.accept(linker::accept);
        List<Map.Entry<String, Znode>> waiting = linker.waiting;
        if (linker.root == null) {
            Znode oldRoot = current.get(0).getValue();
            oldRoot.dropChildren();
            linker.root = oldRoot;
            linker.count++;
            digest.add("/", oldRoot);
        }
        for (Map.Entry<String, Znode> e : current) {
            if (!e.getKey().equals("/") && walk(linker.root, e.getKey()) == null) {
                e.getValue().dropChildren();
                waiting.add(e);
            }
        }
        // Children before their parents (never in a snapshot this server wrote): link in passes.
        while (!waiting.isEmpty()) {
            List<Map.Entry<String, Znode>> still = new ArrayList<>();
            for (Map.Entry<String, Znode> e : waiting) {
                if (!linker.link(e.getKey(), e.getValue())) {
                    still.add(e);
                }
            }
            if (still.size() == waiting.size()) {
                throw new IllegalArgumentException("node " + still.get(0).getKey() + " has no parent");
            }
            waiting = still;
        }
        linker.root.childrenToAdd();
        root = linker.root;
        nodeCount = linker.count;
        // The linker counted every node linked; the digest of the tree as loaded, with no second walk.
    }
}
