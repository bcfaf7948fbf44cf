package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.List;

/**
 * One znode's state. Mutable, and touched only by {@link DataTree} on the apply thread. Data may be null
 * (distinct from empty), as Kafka relies on.
 *
 * <p>Laid out for a tree of a million nodes, most of them leaves (see "Tree memory layout" in
 * docs/architecture.md): the node holds its own name (no full-path key anywhere), is itself the entry of
 * its parent's {@link ChildTable} through {@link #next}, and keeps the fields most nodes never change from
 * their defaults (pzxid equal to czxid, cversion, aversion and owner 0, no children) in an {@link Extra}
 * that leaves do not have. 72 bytes with compressed references, against 88 for the plain object plus 64
 * for a path key and 32 for a map entry.
 */
final class Znode {
    /** The last segment of the path, UTF-8 (see {@link Names}); empty for the root. */
    final byte[] name;
    /** The spread String hash of the name, as HashMap keeps it per entry. */
    final int hash;
    /** The next child in the same bucket of the parent's table. */
    Znode next;
    byte[] data;
    List<Acl> acl;
    private Extra extra;
    int version;
    long czxid;
    long mzxid;
    long ctime;
    long mtime;

    /**
     * What a leaf that never had a child, never changed its ACL and belongs to no session does not need.
     * {@code cversion} is the number of child creates (see {@link #stat}).
     */
    static final class Extra {
        long pzxid;
        long ephemeralOwner;
        int cversion;
        int aversion;
        ChildTable children;

        Extra copy() {
            Extra c = new Extra();
            c.pzxid = pzxid;
            c.ephemeralOwner = ephemeralOwner;
            c.cversion = cversion;
            c.aversion = aversion;
            c.children = children;
            return c;
        }
    }

    Znode(String name) {
        this(Names.encode(name), Names.spread(name.hashCode()));
    }

    private Znode(byte[] name, int hash) {
        this.name = name;
        this.hash = hash;
    }

    String nameString() {
        return Names.decode(name);
    }

    private Extra extra() {
        if (extra == null) {
            extra = new Extra();
            extra.pzxid = czxid;
        }
        return extra;
    }

    long pzxid() {
        return extra == null ? czxid : extra.pzxid;
    }

    void pzxid(long zxid) {
        if (extra != null || zxid != czxid) {
            extra().pzxid = zxid;
        }
    }

    int cversion() {
        return extra == null ? 0 : extra.cversion;
    }

    void cversion(int v) {
        if (extra != null || v != 0) {
            extra().cversion = v;
        }
    }

    int aversion() {
        return extra == null ? 0 : extra.aversion;
    }

    void aversion(int v) {
        if (extra != null || v != 0) {
            extra().aversion = v;
        }
    }

    long ephemeralOwner() {
        return extra == null ? 0 : extra.ephemeralOwner;
    }

    void ephemeralOwner(long owner) {
        if (extra != null || owner != 0) {
            extra().ephemeralOwner = owner;
        }
    }

    /** The children, null when the node never had one. */
    ChildTable children() {
        return extra == null ? null : extra.children;
    }

    /** The children, made on the first child as ZooKeeper makes its set. */
    ChildTable childrenToAdd() {
        Extra e = extra();
        if (e.children == null) {
            e.children = new ChildTable();
        }
        return e.children;
    }

    /** Forgets the children (a loader relinks them). */
    void dropChildren() {
        if (extra != null) {
            extra.children = null;
        }
    }

    /** The children's names in ZooKeeper's order; empty for none. */
    List<String> childNames() {
        ChildTable c = children();
        return c == null ? new java.util.ArrayList<>(0) : c.names();
    }

    /** The node's own fields, sharing (not copying) its children table: what a multi's undo needs. */
    Znode fieldsOnly() {
        Znode c = new Znode(name, hash);
        c.restoreFields(this);
        return c;
    }

    /** Every field but the name and the bucket link; the children table is shared. */
    void restoreFields(Znode from) {
        data = from.data;
        acl = from.acl;
        extra = from.extra == null ? null : from.extra.copy();
        version = from.version;
        czxid = from.czxid;
        mzxid = from.mzxid;
        ctime = from.ctime;
        mtime = from.mtime;
    }

    int numChildren() {
        ChildTable c = children();
        return c == null ? 0 : c.size();
    }

    /**
     * The Stat as ZooKeeper shows it to clients: cversion is stored as the number of child creates
     * (it names sequential children), and reported as creates plus deletes, i.e. 2 * creates - numChildren;
     * only a session's ephemeral nodes show an owner (containers and TTL nodes show 0).
     */
    Stat stat(boolean extendedTypesEnabled) {
        int children = numChildren();
        long owner = ephemeralOwner();
        long shownOwner = EphemeralType.of(owner, extendedTypesEnabled) == EphemeralType.NORMAL ? owner : 0;
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * cversion() - children, aversion(), shownOwner,
                data == null ? 0 : data.length, children, pzxid());
    }
}
