package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ChildTable lists children exactly as ZooKeeper's {@code HashSet<String>(8)} does after the same adds and
 * removes: checked after every step of random histories, with names whose hashes collide (so buckets grow
 * long, the table resizes for a long bucket below capacity 64, and a bucket of 9 hands over to HashMap).
 */
class ChildTableTest {
    /** 2^k distinct names with one String hash: every sequence of "Aa" and "BB" blocks hashes the same. */
    private static List<String> colliding(int blocks) {
        List<String> names = new ArrayList<>();
        for (int bits = 0; bits < 1 << blocks; bits++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < blocks; i++) {
                b.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            names.add(b.toString());
        }
        return names;
    }

    private static void replay(List<String> pool, long seed, int steps, double addShare) {
        Random random = new Random(seed);
        Set<String> zk = new HashSet<>(8);
        ChildTable table = new ChildTable();
        java.util.Map<String, Znode> live = new java.util.HashMap<>();
        for (int step = 0; step < steps; step++) {
            String name = pool.get(random.nextInt(pool.size()));
            if (random.nextDouble() < addShare) {
                if (zk.add(name)) {
                    Znode n = new Znode(name, null);
                    live.put(name, n);
                    table.add(n);
                }
            } else if (zk.remove(name)) {
                table.remove(live.remove(name));
            }
            List<String> expected = new ArrayList<>(zk);
            List<String> names = table.names();
            if (!names.equals(expected) || table.size() != zk.size()) {
                assertThat(names).as("seed %d step %d", seed, step).containsExactlyElementsOf(expected);
                assertThat(table.size()).isEqualTo(zk.size());
            }
        }
        for (String name : pool) {
            String path = "/p/" + name;
            Znode found = table.get(path, 3, path.length());
            assertThat(found).isSameAs(live.get(name));
        }
    }

    @Test
    void plainNamesInHashSetOrder() {
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            pool.add(i % 3 == 0 ? "node-" + i : i % 3 == 1 ? "e-" + String.format("%010d", i) : "n\u00e9" + i);
        }
        for (long seed = 1; seed <= 5; seed++) {
            replay(pool, seed, 3000, 0.7);
        }
    }

    @Test
    void collidingNamesResizeThenHandOverToHashMap() {
        for (long seed = 1; seed <= 5; seed++) {
            replay(colliding(6), seed, 1500, 0.8);
        }
    }

    @Test
    void collidingNamesAmongManyOthers() {
        List<String> pool = new ArrayList<>(colliding(4));
        for (int i = 0; i < 200; i++) {
            pool.add("x" + i);
        }
        for (long seed = 1; seed <= 5; seed++) {
            replay(pool, seed, 3000, 0.75);
        }
    }

    @Test
    void lookupMatchesOnlyTheWholeSegment() {
        ChildTable table = new ChildTable();
        Znode ascii = new Znode("abc", new byte[] {1, 2});
        Znode accented = new Znode("\u00e9t\u00e9", null);
        table.add(ascii);
        table.add(accented);
        String path = "/abc/\u00e9t\u00e9/abcd";
        assertThat(table.get(path, 1, 4)).isSameAs(ascii);
        assertThat(table.get(path, 5, 8)).isSameAs(accented);
        assertThat(table.get(path, 9, 13)).isNull();
        assertThat(table.get(path, 9, 11)).isNull();
    }
}
