package dev.paddock.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The index of the zxids on disk only, against a plain sorted set. */
class ZxidRunsTest {
    @Test
    void consecutiveZxidsShareARunAndEpochsStartNewOnes() {
        ZxidRuns runs = new ZxidRuns();
        for (long z = 5; z <= 9; z++) {
            runs.add(z);
        }
        long epoch2 = 2L << 32;
        runs.add(epoch2 + 1);
        runs.add(epoch2 + 2);
        assertThat(runs.count()).isEqualTo(7);
        assertThat(runs.last()).isEqualTo(epoch2 + 2);
        assertThat(runs.contains(7)).isTrue();
        assertThat(runs.contains(10)).isFalse();
        assertThat(runs.floor(epoch2)).isEqualTo(9);
        assertThat(runs.floor(4)).isEqualTo(-1);
        assertThat(runs.countBetween(6, epoch2 + 1)).isEqualTo(4);
        assertThatThrownBy(() -> runs.add(epoch2 + 2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomOperationsAgreeWithASortedSet() {
        Random r = new Random(42);
        for (int round = 0; round < 80; round++) {
            ZxidRuns runs = new ZxidRuns();
            TreeSet<Long> model = new TreeSet<>();
            long next = 1;
            for (int op = 0; op < 60; op++) {
                int pick = r.nextInt(10);
                if (pick < 6) {
                    next += r.nextInt(4) == 0 ? 1 + r.nextInt(5) : 0;
                    runs.add(next);
                    model.add(next);
                    next++;
                } else if (pick < 8 && !model.isEmpty()) {
                    long cut = model.first() - 1 + r.nextInt((int) (model.last() - model.first() + 2));
                    runs.truncateAfter(cut);
                    model.removeIf(z -> z > cut);
                    next = Math.max(next, cut + 1);
                } else if (!model.isEmpty()) {
                    long drop = model.first() - 1 + r.nextInt((int) (model.last() - model.first() + 2));
                    runs.dropUpTo(drop);
                    model.removeIf(z -> z <= drop);
                }
                check(runs, model, next);
            }
        }
    }

    private static void check(ZxidRuns runs, TreeSet<Long> model, long next) {
        assertThat(runs.count()).isEqualTo(model.size());
        assertThat(runs.isEmpty()).isEqualTo(model.isEmpty());
        assertThat(runs.last()).isEqualTo(model.isEmpty() ? -1 : model.last());
        for (long z = 0; z <= next + 1; z++) {
            assertThat(runs.contains(z)).as("contains %d", z).isEqualTo(model.contains(z));
            Long floor = model.floor(z);
            assertThat(runs.floor(z)).as("floor %d", z).isEqualTo(floor == null ? -1 : floor);
        }
        for (long from : List.of(0L, next / 3, next / 2)) {
            long to = next;
            assertThat(runs.countBetween(from, to)).isEqualTo(model.subSet(from, false, to, true).size());
        }
    }
}
