package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode's state. Mutable, and touched only by {@link DataTree} on the apply thread. Data may be null
 * (distinct from empty), as Kafka relies on.
 */
final class Znode {
    byte[] data;
    List<Acl> acl;
    long czxid;
    long mzxid;
    long pzxid;
    long ctime;
    long mtime;
    int version;
    int cversion;
    int aversion;
    long ephemeralOwner;
    Set<String> children;

    /** The node's own fields, sharing (not copying) its children set: what a multi's undo needs. */
    Znode fieldsOnly() {
        Znode c = new Znode();
        c.restoreFields(this);
        return c;
    }

    void restoreFields(Znode from) {
        data = from.data;
        acl = from.acl;
        czxid = from.czxid;
        mzxid = from.mzxid;
        pzxid = from.pzxid;
        ctime = from.ctime;
        mtime = from.mtime;
        version = from.version;
        cversion = from.cversion;
        aversion = from.aversion;
        ephemeralOwner = from.ephemeralOwner;
        children = from.children;
    }

    Znode copy() {
        Znode c = new Znode();
        c.data = data;
        c.acl = acl;
        c.czxid = czxid;
        c.mzxid = mzxid;
        c.pzxid = pzxid;
        c.ctime = ctime;
        c.mtime = mtime;
        c.version = version;
        c.cversion = cversion;
        c.aversion = aversion;
        c.ephemeralOwner = ephemeralOwner;
        if (children != null) {
            c.children = newChildren();
            c.children.addAll(children);
        }
        return c;
    }

    /**
     * A children set as ZooKeeper's DataNode makes it: a HashSet of initial capacity 8. Clients
     * see the children in this set's iteration order (getChildren, getChildren2, the C client's
     * String_vector), which depends on the capacity; a different one lists the same children in
     * another order than ZooKeeper does.
     */
    static Set<String> newChildren() {
        return new HashSet<>(8);
    }

    int numChildren() {
        return children == null ? 0 : children.size();
    }

    /**
     * The Stat as ZooKeeper shows it to clients: {@link #cversion} is stored as the number of child creates
     * (it names sequential children), and reported as creates plus deletes, i.e. 2 * creates - numChildren;
     * only a session's ephemeral nodes show an owner (containers and TTL nodes show 0).
     */
    Stat stat(boolean extendedTypesEnabled) {
        int children = numChildren();
        long shownOwner = EphemeralType.of(ephemeralOwner, extendedTypesEnabled) == EphemeralType.NORMAL ? ephemeralOwner : 0;
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * cversion - children, aversion, shownOwner,
                data == null ? 0 : data.length, children, pzxid);
    }
}
