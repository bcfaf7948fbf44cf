package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import java.util.LinkedHashMap;
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
    /** The given nodes, in the order given; a path given again replaces its node in place. */
    private final LinkedHashMap<String, Znode> nodes = new LinkedHashMap<>();
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
        Znode n = new Znode(PathValidator.name(path), data);
        n.acl = AclLists.share(acl);
        n.czxid = czxid;
        n.mzxid = mzxid;
        n.pzxid(pzxid);
        n.ctime = ctime;
        n.mtime = mtime;
        n.version = version;
        n.cversion(cversion);
        n.aversion(aversion);
        n.ephemeralOwner(ephemeralOwner);
        nodes.put(path, n);
    }

    /**
     * Links every node to its parent, in the order given (the system nodes not given after them), and sets
     * the sessions and the zxid.
     *
     * @throws IllegalArgumentException when a node's parent was not given
     */
    public StateMachine build(Map<Long, Integer> sessions, long zxid) {
        built = true;
        stateMachine.tree().load(put -> nodes.forEach(put));
        nodes.clear();
        stateMachine.restoreSessions(sessions, zxid);
        return stateMachine;
    }
}
