package dev.paddock.server.migration;

import dev.paddock.wire.proto.Acl;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ZooKeeper's data tree as an import rebuilds it, changed the way ZooKeeper's {@code DataTree} changes it
 * when it replays its log over a fuzzy snapshot: versions come from the transactions (absolute, not
 * incremented), a create that finds its node already there still raises the parent's cversion and pzxid
 * when the transaction's parentCVersion says so, a delete raises the parent's pzxid even when the node is
 * already gone. Paths are ZooKeeper's keys: the root is {@code ""}.
 *
 * <p>Nothing here throws on a replay conflict: like ZooKeeper, replay ignores NoNode and NodeExists and
 * carries on; {@link #conflicts} counts them for the report.
 */
public final class ZkTree {
    public final Map<String, ZkNode> nodes = new HashMap<>();
    /** Session id to the paths of its ephemeral nodes. */
    final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private final boolean extendedTypes;
    long conflicts;

    public ZkTree(boolean extendedTypes) {
        this.extendedTypes = extendedTypes;
    }

    static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Puts a node read from a snapshot; its parent (read before it) gets it as a child. */
    void putFromSnapshot(String path, ZkNode n) throws IllegalArgumentException {
        if (!path.isEmpty()) {
            ZkNode parent = nodes.get(parentOf(path));
            if (parent == null) {
                throw new IllegalArgumentException("node " + path + " comes before its parent");
            }
            parent.addChild(nameOf(path));
        }
        nodes.put(path, n);
        indexEphemeral(path, n.ephemeralOwner);
    }

    private void indexEphemeral(String path, long owner) {
        if (isSessionOwner(owner)) {
            ephemerals.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
        }
    }

    /** ZooKeeper's EphemeralType: 0 persistent, MIN_VALUE container, 0xff top byte a TTL when enabled. */
    boolean isSessionOwner(long owner) {
        if (owner == 0 || owner == Long.MIN_VALUE) {
            return false;
        }
        return !(extendedTypes && (owner >>> 56) == 0xff);
    }

    void create(String path, byte[] data, List<Acl> acl, long owner, int parentCVersion, long zxid, long time,
                boolean plainCreate) {
        String parentPath = parentOf(path);
        ZkNode parent = nodes.get(parentPath);
        if (parent == null) {
            conflicts++;
            return;
        }
        ZkNode existing = nodes.get(path);
        if (existing != null) {
            // ZooKeeper 3.9.4+ repairs the ACL of a node a fuzzy snapshot caught (ZOOKEEPER-4846), and for a
            // plain create moves the parent's cversion on as the transaction says.
            existing.acl = acl;
            conflicts++;
            if (plainCreate) {
                raiseCversion(parent, parentCVersion, zxid);
            }
            return;
        }
        raiseCversion(parent, parentCVersion, zxid);
        ZkNode n = new ZkNode();
        n.data = data;
        n.acl = acl;
        n.czxid = zxid;
        n.mzxid = zxid;
        n.pzxid = zxid;
        n.ctime = time;
        n.mtime = time;
        n.ephemeralOwner = owner;
        parent.addChild(nameOf(path));
        nodes.put(path, n);
        indexEphemeral(path, owner);
    }

    private static void raiseCversion(ZkNode parent, int parentCVersion, long zxid) {
        int cv = parentCVersion == -1 ? parent.cversion + 1 : parentCVersion;
        if (cv > parent.cversion) {
            parent.cversion = cv;
            parent.pzxid = zxid;
        }
    }

    void delete(String path, long zxid) {
        ZkNode parent = nodes.get(parentOf(path));
        if (parent == null) {
            conflicts++;
            return;
        }
        parent.removeChild(nameOf(path));
        if (zxid > parent.pzxid) {
            parent.pzxid = zxid;
        }
        ZkNode n = nodes.remove(path);
        if (n == null) {
            conflicts++;
            return;
        }
        if (isSessionOwner(n.ephemeralOwner)) {
            Set<String> s = ephemerals.get(n.ephemeralOwner);
            if (s != null) {
                s.remove(path);
                if (s.isEmpty()) {
                    ephemerals.remove(n.ephemeralOwner);
                }
            }
        }
    }

    void setData(String path, byte[] data, int version, long zxid, long time) {
        ZkNode n = nodes.get(path);
        if (n == null) {
            conflicts++;
            return;
        }
        n.data = data;
        n.mtime = time;
        n.mzxid = zxid;
        n.version = version;
    }

    void setAcl(String path, List<Acl> acl, int version) {
        ZkNode n = nodes.get(path);
        if (n == null) {
            conflicts++;
            return;
        }
        n.aversion = version;
        n.acl = acl;
    }

    /**
     * ZooKeeper's killSession: the paths the closeSession transaction lists (when it lists them), then
     * whatever ephemerals the session still owns.
     */
    void killSession(long session, List<String> paths, long zxid) {
        Set<String> owned = ephemerals.remove(session);
        if (paths != null) {
            for (String p : paths) {
                delete(p, zxid);
                if (owned != null) {
                    owned.remove(p);
                }
            }
        }
        if (owned != null) {
            for (String p : owned.toArray(new String[0])) {
                delete(p, zxid);
            }
        }
        ephemerals.remove(session);
    }
}
