package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import java.util.List;

/**
 * What one applied transaction changed, in the order ZooKeeper fires watches for it. The watch layer turns
 * these into events; the tree itself knows nothing of watchers.
 *
 * @param acl the ACL of the node the event is about (for CHILDREN_CHANGED, the parent) when the change was
 *            applied: a watcher gets the event only if its session may READ under it, as in ZooKeeper;
 *            null means no check
 */
public record Change(Kind kind, String path, List<Acl> acl) {
    public enum Kind { CREATED, DELETED, DATA_CHANGED, CHILDREN_CHANGED }

    /** A change whose event every watcher gets. */
    public Change(Kind kind, String path) {
        this(kind, path, null);
    }
}
