package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The streaming loader a snapshot read uses ({@link DataTree#loadParentsFirst}) builds the tree that the
 * map-based {@link DataTree#load} builds from the same nodes: children in ZooKeeper's order, a repeated path
 * in its first place with its last node, a child given before its parent, system nodes not given kept; and
 * the same ZooKeeper digest.
 */
class LoadParentsFirstTest {

    /** path=data pairs; each call makes fresh nodes, since a loader links the nodes it is given. */
    private static Consumer<BiConsumer<String, Znode>> nodes(List<String> pairs) {
        return put -> {
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                String path = pair.substring(0, eq);
                Znode n = new Znode(PathValidator.name(path), pair.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
                n.acl = AclLists.OPEN;
                put.accept(path, n);
            }
        };
    }

    /** Every node in walk order: path, data and children in their order. */
    private static List<String> shape(DataTree tree) {
        List<String> out = new ArrayList<>();
        tree.forEachNode((DataTree.NodeVisitor) (path, n, depth) -> {
            byte[] d = n.data();
            out.add(path + "=" + (d == null ? "null" : new String(d, StandardCharsets.UTF_8)) + " " + n.childNames());
        });
        out.add("count " + tree.nodeCount());
        return out;
    }

    private static List<String> both(List<String> pairs) {
        DataTree byMap = new StateMachine(true).tree();
        byMap.load(nodes(pairs));
        DataTree streamed = new StateMachine(true).tree();
        streamed.loadParentsFirst(nodes(pairs));
        assertThat(shape(streamed)).isEqualTo(shape(byMap));
        // Counted node by node as linked, it is the digest a walk of the loaded tree counts.
        assertThat(streamed.zooKeeperDigest().value()).isNotZero().isEqualTo(byMap.zooKeeperDigest().value());
        return shape(streamed);
    }

    @Test
    void depthFirstNodesMakeTheSameTree() {
        List<String> pairs = new ArrayList<>(List.of("/=", "/zookeeper=", "/zookeeper/quota=", "/zookeeper/config="));
        for (int d = 0; d < 5; d++) {
            pairs.add("/d" + d + "=dir");
            for (int i = 0; i < 30; i++) {
                pairs.add("/d" + d + "/n" + i + "=v" + d + "." + i);
            }
        }
        List<String> shape = both(pairs);
        assertThat(shape).contains("/d3/n7=v3.7 []", "count " + pairs.size());
    }

    @Test
    void aRepeatedPathKeepsItsFirstPlaceAndItsLastNodeWithItsChildren() {
        List<String> shape = both(List.of("/=", "/zookeeper=first", "/a=", "/zookeeper/quota=", "/b=",
                "/zookeeper=last", "/zookeeper/config=", "/a/x=1"));
        assertThat(shape).contains("/zookeeper=last [config, quota]", "/a= [x]", "/a/x=1 []");
        assertThat(shape.get(0)).startsWith("/= [a, b, zookeeper]");
    }

    @Test
    void aChildBeforeItsParentAndSystemNodesLeftOutStillLoad() {
        List<String> shape = both(List.of("/=", "/a/b/c=3", "/a=1", "/a/b=2"));
        assertThat(shape).contains("/a/b/c=3 []", "/zookeeper/quota= []");
    }

    @Test
    void nodesWithoutARootKeepTheTreesRoot() {
        List<String> shape = both(List.of("/a=1", "/a/b=2", "/c=3"));
        assertThat(shape).contains("/a/b=2 []", "/c=3 []");
    }

    @Test
    void aNodeWhoseParentNeverComesIsRefused() {
        DataTree tree = new StateMachine(true).tree();
        assertThatThrownBy(() -> tree.loadParentsFirst(nodes(List.of("/=", "/a/b=orphan"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/a/b");
    }
}
