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
        c.children = children == null ? null : new HashSet<>(children);
        return c;
    }

    int numChildren() {
        return children == null ? 0 : children.size();
    }

    Stat stat() {
        return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner,
                data == null ? 0 : data.length, numChildren(), pzxid);
    }
}
