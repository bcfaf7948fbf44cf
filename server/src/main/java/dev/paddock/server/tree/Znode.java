package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Stat;
import java.util.List;

/**
 * One znode's state. Mutable, and touched only by {@link DataTree} on the apply thread. Data may be null
 * (distinct from empty), as Kafka relies on.
 *
 * <p>Laid out for a tree of a million nodes, most of them leaves (see "Tree memory layout" in
 * docs/architecture.md). The node holds its own name (no full-path key anywhere) and is itself the entry of
 * its parent's {@link ChildTable}, through {@link #next}. The name and the data share one array
 * ({@link NodeBody}): one array header instead of two, at the price of a copy when the data is read (small
 * beside serialising it for the reply). The fields most nodes never change from their defaults (pzxid equal to czxid, cversion, aversion
 * and owner 0, no children) live in an {@link Extra} that leaves do not have. 64 bytes with compressed
 * references, against 88 for the plain object plus 64 for a path key, 32 for a map entry, 56 for a second
 * String of the name in the parent's set and the name's hash, which {@link ChildTable} recomputes instead.
 */
final class Znode {
    /** The name and the data (see {@link NodeBody}); replaced, never changed in place. */
    private byte[] body;
    /** The next child in the same bucket of the parent's table. */
    Znode next;
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

    /** A node named {@code name} (empty for the root) holding {@code data} (may be null). */
    Znode(String name, byte[] data) {
        this(NodeBody.of(Names.encode(name), data));
    }

    private Znode(byte[] body) {
        this.body = body;
    }

    int nameLength() {
        return NodeBody.nameLength(body);
    }

    String nameString() {
        return NodeBody.name(body);
    }

    /** Whether this node is named {@code path.substring(from, to)}. */
    boolean named(String path, int from, int to) {
        return Names.matches(body, NodeBody.nameOffset(body), NodeBody.nameLength(body), path, from, to);
    }

    /** The spread String hash of the name, as a HashMap keyed by the name's String keeps it per entry. */
    int nameHash() {
        return Names.spread(Names.hash(body, NodeBody.nameOffset(body), NodeBody.nameLength(body)));
    }

    /** A copy of the data (the body holds the name too); null when the data is null. */
    byte[] data() {
        return NodeBody.data(body);
    }

    /** The data's length, -1 when null. */
    int dataLength() {
        return NodeBody.dataLength(body);
    }

    /** Writes the data's length (-1 for null) and the data, as the snapshot stores them. */
    void writeData(java.io.DataOutput out) throws java.io.IOException {
        int from = NodeBody.dataOffset(body);
        out.writeInt(from < 0 ? -1 : body.length - from);
        if (from >= 0) {
            out.write(body, from, body.length - from);
        }
    }

    /** Feeds the data to a digest; nothing for null. */
    void digestData(java.security.MessageDigest digest) {
        int from = NodeBody.dataOffset(body);
        if (from >= 0) {
            digest.update(body, from, body.length - from);
        }
    }

    /** Feeds the data to a CRC (ZooKeeper's digest); nothing for null. */
    void crcData(java.util.zip.CRC32 crc) {
        int from = NodeBody.dataOffset(body);
        if (from >= 0) {
            crc.update(body, from, body.length - from);
        }
    }

    /** Replaces the data (a new body: a snapshot writer may be reading the old one). */
    void data(byte[] data) {
        body = NodeBody.withData(body, data);
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

    /** Takes over another node's children (a loader given the same path twice keeps the last node). */
    void adoptChildren(Znode from) {
        ChildTable c = from.children();
        if (c != null) {
            extra().children = c;
        }
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
        Znode c = new Znode(body);
        c.restoreFields(this);
        return c;
    }

    /** Every field but the name and the bucket link; the children table is shared. */
    void restoreFields(Znode from) {
        body = from.body;
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
                Math.max(0, dataLength()), children, pzxid());
    }
}
