package dev.paddock.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Histories generated from a sequential model with random overlaps must pass; the same histories with one
 * read mutated into one that no order allows must fail, with the mutated read's key. The mutation is chosen
 * so that failing is provable, not merely likely: see {@link HistoryMutations#staleSyncedRead}.
 * {@code -Dhistory.seeds=N} runs more seeds.
 */
class RandomHistoryTest {
    private static final int SEEDS = Integer.getInteger("history.seeds", 300);

    private static RandomHistories.Generated generate(long seed, boolean faults) {
        int processes = 2 + (int) (seed % 5);
        int ops = 60 + (int) (seed * 7 % 240);
        int keys = 1 + (int) (seed % 3);
        return RandomHistories.generate(seed, processes, ops, keys, faults);
    }

    @Test
    void generatedHistoriesPass() {
        long steps = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomHistories.Generated g = generate(seed, false);
            Verdict v = g.checker().check(g.history());
            assertThat(v.ok()).as("seed %d:\n%s", seed, v.describe()).isTrue();
            steps += v.steps();
        }
        assertThat(steps).isPositive();
    }

    @Test
    void generatedHistoriesWithFailedAndUnknownOperationsPass() {
        int unknown = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomHistories.Generated g = generate(seed, true);
            Verdict v = g.checker().check(g.history());
            assertThat(v.ok()).as("seed %d:\n%s", seed, v.describe()).isTrue();
            unknown += (int) g.history().ops().stream().filter(RecordedOp::uncertain).count();
        }
        assertThat(unknown).as("the generator produced unknown outcomes").isGreaterThan(SEEDS);
    }

    @Test
    void withoutMemoizationTheVerdictsAreTheSame() {
        for (long seed = 1; seed <= SEEDS / 3; seed++) {
            RandomHistories.Generated g = generate(seed, true);
            List<RecordedOp> ops = g.history().ops();
            Verdict v = g.checker().memoLimit(0).check(ops);
            assertThat(v.ok()).as("seed %d:\n%s", seed, v.describe()).isTrue();
            Optional<HistoryMutations.Mutation> stale = HistoryMutations.staleSyncedRead(ops);
            if (stale.isPresent()) {
                assertThat(g.checker().memoLimit(0).check(stale.get().ops()).linearizable()).as("seed %d", seed)
                        .isFalse();
            }
        }
    }

    @Test
    void oneStaleSyncedReadMakesAGeneratedHistoryFail() {
        int mutated = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomHistories.Generated g = generate(seed, seed % 2 == 0);
            List<RecordedOp> ops = g.history().ops();
            Optional<HistoryMutations.Mutation> stale = HistoryMutations.staleSyncedRead(ops);
            if (stale.isEmpty()) {
                continue;
            }
            mutated++;
            HistoryMutations.Mutation m = stale.get();
            Verdict v = g.checker().check(m.ops());
            KeyVerdict key = v.keys().stream().filter(k -> k.key().equals(m.key())).findFirst().orElseThrow();
            assertThat(key.result()).as("seed %d, %s", seed, m.changed())
                    .isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);
            assertThat(v.describe()).contains("key " + m.key());
        }
        assertThat(mutated).as("histories where a stale read could be planted").isGreaterThan(SEEDS / 2);
    }

    @Test
    void onePlainReadGoingBackMakesAGeneratedHistoryFail() {
        int mutated = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomHistories.Generated g = generate(seed, seed % 2 == 0);
            List<RecordedOp> ops = g.history().ops();
            Optional<HistoryMutations.Mutation> back = HistoryMutations.plainReadGoingBack(ops);
            if (back.isEmpty()) {
                continue;
            }
            mutated++;
            Verdict v = g.checker().check(back.get().ops());
            assertThat(v.linearizable()).as("plain reads stay out of the search").isTrue();
            assertThat(v.sessionViolations()).as("seed %d, %s", seed, back.get().changed()).isNotEmpty();
        }
        assertThat(mutated).as("histories where a plain read could go back").isGreaterThan(SEEDS / 4);
    }
}
