package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import java.util.List;
import java.util.Map;

/**
 * Builds a state machine from nodes given with every stat field as stored (an import of another server's
 * data). Starts from a fresh state machine (so the system nodes exist even when the source lacks one, such
 * as {@code /zookeeper/config} before ZooKeeper 3.5), lets each given node replace the node at its path, and
 * links the children from the paths at the end. {@code cversion} is the stored count of child creates, as
 * {@link Znode} stores it.
 */
public final class TreeBuilder {
    private final StateMachine stateMachine;
    private boolean built;

    public TreeBuilder(boolean extendedTypesEnabled) {
        stateMachine = new StateMachine(extendedTypesEnabled);
    }

    /** One node; {@code path} is "/" for the root. */
    public void node(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long pzxid, long ctime,
                     long mtime, int version, int cversion, int aversion, long ephemeralOwner) {
        if (built) {
            throw new IllegalStateException("already built");
        }
        Znode n = new Znode();
        n.data = data;
        n.acl = AclLists.share(acl);
        n.czxid = czxid;
        n.mzxid = mzxid;
        n.pzxid = pzxid;
        n.ctime = ctime;
        n.mtime = mtime;
        n.version = version;
        n.cversion = cversion;
        n.aversion = aversion;
        n.ephemeralOwner = ephemeralOwner;
        stateMachine.tree().restoreNode(path, n);
    }

    /**
     * Links every node to its parent and sets the sessions and the zxid.
     *
     * @throws IllegalArgumentException when a node's parent was not given
     */
    public StateMachine build(Map<Long, Integer> sessions, long zxid) {
        built = true;
        Map<String, Znode> map = stateMachine.tree().nodeMap();
        for (Znode n : map.values()) {
            n.children = null;
        }
        for (Map.Entry<String, Znode> e : map.entrySet()) {
            String path = e.getKey();
            if (path.equals("/")) {
                continue;
            }
            Znode parent = map.get(PathValidator.parent(path));
            if (parent == null) {
                throw new IllegalArgumentException("node " + path + " has no parent");
            }
            if (parent.children == null) {
                parent.children = Znode.newChildren();
            }
            parent.children.add(PathValidator.name(path));
        }
        Znode root = map.get("/");
        if (root.children == null) {
            root.children = Znode.newChildren();
        }
        stateMachine.restoreSessions(sessions, zxid);
        return stateMachine;
    }
}
