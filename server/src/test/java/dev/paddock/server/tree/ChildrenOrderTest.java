package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.Id;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Children are listed in the order ZooKeeper lists them: the iteration order of a HashSet of
 * initial capacity 8 (DataNode.addChild). Found by the C client compat scenario: with capacity 4,
 * children "c" then "n" came back as [n, c] where ZooKeeper 3.9.5 answers [c, n].
 */
class ChildrenOrderTest {
    private static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));

    private final StateMachine sm = new StateMachine(true);
    private long zxid;

    private void create(String path) {
        zxid++;
        sm.apply(new Txn(zxid, 1000 + zxid, 0x1234L, IP,
                new CreateRequest(OpCode.CREATE, path, null, AclLists.OPEN, CreateMode.PERSISTENT.flag)));
    }

    private static List<String> zooKeeperOrder(String... names) {
        Set<String> s = new HashSet<>(8);
        for (String n : names) {
            s.add(n);
        }
        return new ArrayList<>(s);
    }

    @Test
    void childrenComeInZooKeepersOrder() throws KeeperError {
        create("/p");
        String[] names = {"c", "n", "later", "e-0000000003", "m1", "m2", "zz", "a", "b10", "x"};
        for (String n : names) {
            create("/p/" + n);
        }
        Reads reads = new Reads(sm.tree());
        assertThat(reads.getChildren("/p", IP)).containsExactlyElementsOf(zooKeeperOrder(names));

        create("/q");
        create("/q/c");
        create("/q/n");
        assertThat(reads.getChildren("/q", IP)).containsExactly("c", "n");
    }

    @Test
    void rootChildrenToo() throws KeeperError {
        create("/c");
        create("/n");
        Reads reads = new Reads(sm.tree());
        Set<String> zk = new HashSet<>(8);
        zk.add("zookeeper");
        zk.add("c");
        zk.add("n");
        assertThat(reads.getChildren("/", IP)).containsExactlyElementsOf(new ArrayList<>(zk));
    }
}
