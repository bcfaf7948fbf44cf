package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node's body keeps its name and its data (null distinct from empty) apart, whatever their lengths. */
class ZnodeTest {
    @Test
    void nameAndDataShareOneArray() {
        for (String name : new String[] {"", "a", "node-123456", "\u00e9t\u00e9", "x".repeat(63), "y".repeat(64),
                "z".repeat(20_000)}) {
            for (byte[] data : new byte[][] {null, {}, {7}, new byte[100], new byte[70_000]}) {
                Znode n = new Znode(name, data);
                assertThat(n.nameString()).isEqualTo(name);
                assertThat(n.nameLength()).isEqualTo(Names.encode(name).length);
                assertThat(n.data()).isEqualTo(data);
                assertThat(n.dataLength()).isEqualTo(data == null ? -1 : data.length);
                assertThat(n.nameHash()).isEqualTo(Names.spread(name.hashCode()));
                String path = "/p/" + name;
                assertThat(n.named(path, 3, path.length())).isTrue();
                assertThat(n.named(path + "q", 3, path.length() + 1)).isFalse();
                n.data(new byte[] {1, 2, 3});
                assertThat(n.nameString()).isEqualTo(name);
                assertThat(n.data()).containsExactly(1, 2, 3);
                n.data(null);
                assertThat(n.data()).isNull();
                assertThat(n.stat(true).dataLength()).isZero();
            }
        }
    }

    @Test
    void dataIsACopy() {
        byte[] data = {1, 2};
        Znode n = new Znode("a", data);
        data[0] = 9;
        n.data()[1] = 9;
        assertThat(n.data()).containsExactly(1, 2);
    }

    @Test
    void rareFieldsNeedNoExtraUntilSet() {
        Znode n = new Znode("a", null);
        n.czxid = 5;
        assertThat(n.pzxid()).isEqualTo(5);
        n.pzxid(5);
        n.cversion(0);
        n.aversion(0);
        n.ephemeralOwner(0);
        assertThat(n.children()).isNull();
        n.pzxid(9);
        n.ephemeralOwner(0x42);
        assertThat(n.pzxid()).isEqualTo(9);
        assertThat(n.ephemeralOwner()).isEqualTo(0x42);
        Znode saved = n.fieldsOnly();
        n.pzxid(11);
        n.restoreFields(saved);
        assertThat(n.pzxid()).isEqualTo(9);
    }
}
