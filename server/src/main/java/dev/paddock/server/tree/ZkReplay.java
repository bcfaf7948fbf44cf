package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies transactions a ZooKeeper leader resolved (a mirror's INFORM stream) to a {@link StateMachine}, the
 * way ZooKeeper's {@code DataTree.processTxn} applies them: versions are the transaction's (absolute, not
 * incremented), a parent's cversion and pzxid are only raised, a create that finds its node takes the
 * transaction's ACL, and NodeExists or NoNode is ignored. That is what lets the transactions right after a
 * fuzzy snapshot be applied over it. Each method reports the {@link Change}s it made, so watches fire as
 * for Paddock's own transactions, and returns whether it changed the node it names. Request thread only.
 */
public final class ZkReplay {
    private final StateMachine stateMachine;
    private final DataTree tree;

    public ZkReplay(StateMachine stateMachine) {
        this.stateMachine = stateMachine;
        this.tree = stateMachine.tree();
    }

    /** Starts a transaction: the state machine's last zxid becomes {@code zxid}. */
    public void begin(long zxid) {
        stateMachine.advanceTo(zxid);
    }

    public Stat stat(String path) {
        return tree.stat(path);
    }

    /** ZooKeeper's {@code ""} for the root is Paddock's {@code "/"}. */
    private static String parentOf(String path) {
        String parent = path.substring(0, path.lastIndexOf('/'));
        return parent.isEmpty() ? "/" : parent;
    }

    /** @param plainCreate create or create2 (whose parent cversion moves on even when the node is there) */
    public boolean create(String path, byte[] data, List<Acl> acl, long owner, int parentCVersion, long zxid,
                          long timeMs, boolean plainCreate, List<Change> changes) {
        String parentPath = parentOf(path);
        Znode parent = tree.node(parentPath);
        if (parent == null) {
            return false;
        }
        int oldCversion = parent.cversion();
        long oldPzxid = parent.pzxid();
        int cv = parentCVersion == -1 ? oldCversion + 1 : parentCVersion;
        Znode existing = tree.node(path);
        if (existing != null) {
            tree.setAcl(path, AclLists.share(acl));
            adjust(path, existing, () -> existing.aversion(existing.aversion() - 1));
            if (plainCreate && cv > oldCversion) {
                adjust(parentPath, parent, () -> {
                    parent.cversion(cv);
                    parent.pzxid(zxid);
                });
            }
            return false;
        }
        tree.create(path, data, AclLists.share(acl), owner, zxid, timeMs);
        adjust(parentPath, parent, () -> {
            if (cv > oldCversion) {
                parent.cversion(cv);
            } else {
                parent.cversion(oldCversion);
                parent.pzxid(oldPzxid);
            }
        });
        stateMachine.quotas().created(path, data);
        changes.add(new Change(Change.Kind.CREATED, path, tree.node(path).acl));
        changes.add(new Change(Change.Kind.CHILDREN_CHANGED, parentPath, parent.acl));
        return true;
    }

    public boolean delete(String path, long zxid, List<Change> changes) {
        String parentPath = parentOf(path);
        Znode parent = tree.node(parentPath);
        Znode n = tree.node(path);
        if (parent == null) {
            return false;
        }
        if (n == null) {
            if (zxid > parent.pzxid()) {
                adjust(parentPath, parent, () -> parent.pzxid(zxid));
            }
            return false;
        }
        byte[] data = n.data();
        List<Acl> acl = n.acl;
        tree.delete(path, zxid);
        stateMachine.quotas().deleted(path, data);
        changes.add(new Change(Change.Kind.DELETED, path, acl));
        changes.add(new Change(Change.Kind.CHILDREN_CHANGED, parentPath, parent.acl));
        return true;
    }

    public boolean setData(String path, byte[] data, int version, long zxid, long timeMs, List<Change> changes) {
        Znode n = tree.node(path);
        if (n == null) {
            return false;
        }
        byte[] before = n.data();
        tree.setLocalData(path, data, version, zxid, timeMs);
        stateMachine.quotas().dataChanged(path, before, data);
        changes.add(new Change(Change.Kind.DATA_CHANGED, path, n.acl));
        return true;
    }

    public boolean setAcl(String path, List<Acl> acl, int version) {
        Znode n = tree.node(path);
        if (n == null) {
            return false;
        }
        tree.setAcl(path, AclLists.share(acl));
        adjust(path, n, () -> n.aversion(version));
        return true;
    }

    /**
     * A stat field set outside the tree's primitives (ZooKeeper's absolute values), with the node's term in
     * ZooKeeper's digest taken out before and put back after, so {@code hash} stays right on a mirror.
     */
    private void adjust(String path, Znode n, Runnable change) {
        tree.zooKeeperDigest().remove(path, n);
        change.run();
        tree.zooKeeperDigest().add(path, n);
    }

    public void createSession(long sessionId, int timeoutMs) {
        stateMachine.sessionTable().put(sessionId, timeoutMs);
    }

    /**
     * ZooKeeper's killSession: the paths the transaction lists (null when it lists none), then whatever
     * ephemerals the session still owns, deepest first so a parent is never deleted before its child.
     */
    public void closeSession(long sessionId, List<String> paths, long zxid, List<Change> changes) {
        stateMachine.sessionTable().remove(sessionId);
        if (paths != null) {
            for (String p : paths) {
                delete(p, zxid, changes);
            }
        }
        Set<String> left = new TreeSet<>(tree.ephemerals(sessionId));
        for (String p : ((TreeSet<String>) left).descendingSet()) {
            delete(p, zxid, changes);
        }
    }
}
