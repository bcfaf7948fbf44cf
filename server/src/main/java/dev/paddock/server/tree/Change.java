package dev.paddock.server.tree;

/**
 * What one applied transaction changed, in the order ZooKeeper fires watches for it. The watch layer turns
 * these into events; the tree itself knows nothing of watchers.
 */
public record Change(Kind kind, String path) {
    public enum Kind { CREATED, DELETED, DATA_CHANGED, CHILDREN_CHANGED }
}
