package dev.paddock.server.migration;

import dev.paddock.wire.proto.Acl;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode as ZooKeeper persists it (its {@code StatPersisted} plus data and ACL), while an import
 * restores ZooKeeper's state. {@code cversion} is the stored value (the number of child creates), which is
 * also what Paddock stores; clients see {@code 2 * cversion - numChildren} from both.
 */
public final class ZkNode {
    public byte[] data;
    public List<Acl> acl;
    public long czxid;
    public long mzxid;
    public long ctime;
    public long mtime;
    public int version;
    public int cversion;
    public int aversion;
    public long ephemeralOwner;
    public long pzxid;
    /** Child names; null until the node has one (most nodes are leaves, and a million empty sets cost). */
    public Set<String> children;

    void addChild(String name) {
        if (children == null) {
            children = new HashSet<>(4);
        }
        children.add(name);
    }

    void removeChild(String name) {
        if (children != null) {
            children.remove(name);
        }
    }
}
