package dev.paddock.server.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link DataTree#loadParentsFirst}'s linking: each node given is linked to its parent as it arrives, the parent
 * found from the new root or, for a run of siblings, kept from the node before; a node whose parent is not
 * linked yet waits in {@link #waiting}. Keeps the tree's {@link NodeIndexes} and its ZooKeeper digest in step:
 * each node's term is counted as it is linked (a node given twice: the one it replaces leaves the sum), so
 * a million-node load needs no second walk of the tree to count it.
 */
final class ParentsFirstLinker {
    private final NodeIndexes indexes;
    private final ZooKeeperDigest digest;
    Znode root;
    int count;
    final List<Map.Entry<String, Znode>> waiting = new ArrayList<>();
    private String lastParentPath;
    private Znode lastParent;

    /** {@code digest} starts at zero: it counts the nodes linked from here on. */
    ParentsFirstLinker(NodeIndexes indexes, ZooKeeperDigest digest) {
        this.indexes = indexes;
        this.digest = digest;
    }

    void accept(String path, Znode n) {
        n.dropChildren();
        if (path.equals("/")) {
            if (root != null) {
                n.adoptChildren(root);
                if (lastParent == root) {
                    lastParent = n;
                }
                digest.remove(path, root);
            } else {
                count++;
            }
            root = n;
            digest.add(path, n);
            return;
        }
        if (root == null || !link(path, n)) {
            waiting.add(Map.entry(path, n));
        }
    }

    /** False when the parent is not linked yet. */
    boolean link(String path, Znode n) {
        int slash = path.lastIndexOf('/');
        Znode parent;
        if (lastParent != null && slash == lastParentPath.length() && path.startsWith(lastParentPath)) {
            parent = lastParent;
        } else {
            String parentPath = slash <= 0 ? "/" : path.substring(0, slash);
            parent = DataTree.walk(root, parentPath);
            if (parent == null) {
                return false;
            }
            // "/" is kept as "" so that a child's slash sits at the kept path's length.
            lastParentPath = slash <= 0 ? "" : parentPath;
            lastParent = parent;
        }
        ChildTable children = parent.childrenToAdd();
        Znode given = children.get(path, slash + 1, path.length());
        if (given != null) {
            // As load: a path given twice keeps its first place and its last node (the snapshots of an
            // older release repeat system nodes), with the children linked so far.
            n.adoptChildren(given);
            children.replace(given, n);
            indexes.remove(path, given);
            digest.remove(path, given);
            if (lastParent == given) {
                lastParent = n;
            }
        } else {
            children.add(n);
            count++;
        }
        indexes.add(path, n);
        digest.add(path, n);
        return true;
    }
}
