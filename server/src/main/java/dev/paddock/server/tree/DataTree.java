package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Map<String, Znode> nodes = new HashMap<>();
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
     * of its fields; null when absent), and the child names added or removed, in order. Children sets are
     * not copied, so a multi that creates under a parent with a million children stays cheap.
     */
    private LinkedHashMap<String, Saved> undo;
    private List<ChildChange> childChanges;

    private record Saved(Znode live, Znode fields) {
    }

    private record ChildChange(java.util.Set<String> set, String name, boolean added) {
    }

    public DataTree(boolean extendedTypesEnabled) {
        this.extendedTypesEnabled = extendedTypesEnabled;
        Znode root = new Znode();
        root.data = new byte[0];
        root.acl = AclLists.OPEN;
        root.children = Znode.newChildren();
        nodes.put("/", root);
        digest.add("/", root);
    }

    public ZooKeeperDigest zooKeeperDigest() {
        return digest;
    }

    public boolean extendedTypesEnabled() {
        return extendedTypesEnabled;
    }

    Znode node(String path) {
        return nodes.get(path);
    }

    /** A node's ACL as stored, without any check; null when there is no such node (AdminServer's auth). */
    public List<dev.paddock.wire.proto.Acl> aclOf(String path) {
        Znode n = nodes.get(path);
        return n == null ? null : n.acl;
    }

    /** For reads: as in ZooKeeper, "" also names the root. */
    Znode lookup(String path) {
        return nodes.get(path.isEmpty() ? "/" : path);
    }

    /** The Stat clients see for a node. */
    Stat stat(Znode n) {
        return n.stat(extendedTypesEnabled);
    }

    /** The TTL of a TTL node, in ms; 0 for any other node or none. */
    public long ttlMs(String path) {
        Znode n = nodes.get(path);
        if (n == null || EphemeralType.of(n.ephemeralOwner, extendedTypesEnabled) != EphemeralType.TTL) {
            return 0;
        }
        return EphemeralType.ttlOf(n.ephemeralOwner);
    }

    public boolean exists(String path) {
        return nodes.containsKey(path);
    }

    public Stat stat(String path) {
        Znode n = nodes.get(path);
        return n == null ? null : n.stat(extendedTypesEnabled);
    }

    public int nodeCount() {
        return nodes.size();
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
        nodes.clear();
        nodes.putAll(other.nodes);
        ephemeralsBySession.clear();
        ephemeralsBySession.putAll(other.ephemeralsBySession);
        containers.clear();
        containers.addAll(other.containers);
        ttlNodes.clear();
        ttlNodes.addAll(other.ttlNodes);
        digest.takeOver(other.digest, nodes);
    }

    // ---- mutation primitives -------------------------------------------------------------------------

    void create(String path, byte[] data, List<Acl> acl, long ephemeralOwner, long zxid, long timeMs) {
        String parentPath = PathValidator.parent(path);
        Znode parent = nodes.get(parentPath);
        save(parentPath, parent);
        save(path, null);
        digest.remove(parentPath, parent);
        Znode n = new Znode();
        n.data = data;
        n.acl = acl;
        n.czxid = zxid;
        n.mzxid = zxid;
        n.pzxid = zxid;
        n.ctime = timeMs;
        n.mtime = timeMs;
        n.ephemeralOwner = ephemeralOwner;
        nodes.put(path, n);
        if (parent.children == null) {
            parent.children = Znode.newChildren();
        }
        addChild(parent, PathValidator.name(path));
        parent.cversion++;
        parent.pzxid = zxid;
        index(path, n);
        digest.add(parentPath, parent);
        digest.add(path, n);
    }

    private void addChild(Znode parent, String name) {
        if (parent.children.add(name) && childChanges != null) {
            childChanges.add(new ChildChange(parent.children, name, true));
        }
    }

    private void removeChild(Znode parent, String name) {
        if (parent.children.remove(name) && childChanges != null) {
            childChanges.add(new ChildChange(parent.children, name, false));
        }
    }

    void delete(String path, long zxid) {
        Znode n = nodes.get(path);
        String parentPath = PathValidator.parent(path);
        Znode parent = nodes.get(parentPath);
        save(parentPath, parent);
        save(path, n);
        digest.remove(path, n);
        digest.remove(parentPath, parent);
        nodes.remove(path);
        unindex(path, n);
        removeChild(parent, PathValidator.name(path));
        // cversion counts creates only (see Znode.stat); a delete shows in the reported value by itself.
        parent.pzxid = zxid;
        digest.add(parentPath, parent);
    }

    void setData(String path, byte[] data, long zxid, long timeMs) {
        Znode n = nodes.get(path);
        save(path, n);
        digest.remove(path, n);
        n.data = data;
        n.mzxid = zxid;
        n.mtime = timeMs;
        n.version++;
        digest.add(path, n);
    }

    /** Sets a node's data outside any transaction, with the given stat fields (the local config node). */
    void setLocalData(String path, byte[] data, int version, long mzxid, long timeMs) {
        Znode n = nodes.get(path);
        save(path, n);
        digest.remove(path, n);
        n.data = data;
        n.version = version;
        n.mzxid = mzxid;
        n.mtime = timeMs;
        digest.add(path, n);
    }

    /** Replaces a node's data and no stat field: how ZooKeeper updates a quota's stats node (see Quotas). */
    void replaceDataOnly(String path, byte[] data) {
        Znode n = nodes.get(path);
        save(path, n);
        digest.remove(path, n);
        n.data = data;
        digest.add(path, n);
    }

    void setAcl(String path, List<Acl> acl) {
        Znode n = nodes.get(path);
        save(path, n);
        digest.remove(path, n);
        n.acl = acl;
        n.aversion++;
        digest.add(path, n);
    }

    /** Creates a node outside any transaction, with zeroed stats, as ZooKeeper builds /zookeeper. */
    void createSystemNode(String path, byte[] data, List<Acl> acl, int aversion) {
        Znode n = new Znode();
        n.data = data;
        n.acl = acl;
        n.aversion = aversion;
        nodes.put(path, n);
        // Adding it to its parent's children changes no stat, as ZooKeeper builds /zookeeper.
        digest.add(path, n);
        Znode parent = nodes.get(PathValidator.parent(path));
        if (parent.children == null) {
            parent.children = Znode.newChildren();
        }
        parent.children.add(PathValidator.name(path));
    }

    // ---- multi support -------------------------------------------------------------------------------

    void beginUndo() {
        digestBeforeMulti = digest.value();
        undo = new LinkedHashMap<>();
        childChanges = new ArrayList<>();
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
        return nodes.get(path);
    }

    void commitUndo() {
        undo = null;
        childChanges = null;
    }

    void rollback() {
        List<Map.Entry<String, Saved>> saved = new ArrayList<>(undo.entrySet());
        List<ChildChange> changes = childChanges;
        undo = null;
        childChanges = null;
        for (Map.Entry<String, Saved> e : saved) {
            Znode current = nodes.remove(e.getKey());
            if (current != null) {
                unindex(e.getKey(), current);
            }
            Saved before = e.getValue();
            if (before != null) {
                before.live().restoreFields(before.fields());
                nodes.put(e.getKey(), before.live());
                index(e.getKey(), before.live());
            }
        }
        for (int i = changes.size() - 1; i >= 0; i--) {
            ChildChange c = changes.get(i);
            if (c.added()) {
                c.set().remove(c.name());
            } else {
                c.set().add(c.name());
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

    Map<String, Znode> nodeMap() {
        return nodes;
    }

    /** Puts a node read from a snapshot; children are linked afterwards by the loader. */
    void restoreNode(String path, Znode n) {
        Znode old = nodes.put(path, n);
        if (old != null) {
            unindex(path, old);
            digest.remove(path, old);
        }
        index(path, n);
        digest.add(path, n);
    }

    private void index(String path, Znode n) {
        switch (EphemeralType.of(n.ephemeralOwner, extendedTypesEnabled)) {
            case NORMAL -> ephemeralsBySession.computeIfAbsent(n.ephemeralOwner, k -> new HashSet<>()).add(path);
            case CONTAINER -> containers.add(path);
            case TTL -> ttlNodes.add(path);
            case VOID -> { }
        }
    }

    private void unindex(String path, Znode n) {
        switch (EphemeralType.of(n.ephemeralOwner, extendedTypesEnabled)) {
            case NORMAL -> {
                Set<String> s = ephemeralsBySession.get(n.ephemeralOwner);
                if (s != null) {
                    s.remove(path);
                    if (s.isEmpty()) {
                        ephemeralsBySession.remove(n.ephemeralOwner);
                    }
                }
            }
            case CONTAINER -> containers.remove(path);
            case TTL -> ttlNodes.remove(path);
            case VOID -> { }
        }
    }
}
