package dev.paddock.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Hand-written histories whose verdict is known, one property each. */
class HistoryCheckerTest {
    private final History h = new History();

    private static HistoryChecker checker() {
        return new HistoryChecker().initially("/k", ZnodeState.of("", 0));
    }

    /** Invokes and completes {@code op} before anything else happens. */
    private int done(int process, Operation op, Outcome outcome) {
        int id = h.invoke(process, op);
        h.ok(id, outcome);
        return id;
    }

    private KeyVerdict only(Verdict v) {
        assertThat(v.keys()).hasSize(1);
        return v.keys().get(0);
    }

    @Test
    void sequentialWritesAndSyncedReadsAreLinearizable() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        done(2, Operation.syncedRead("/k"), Outcome.read("a", 1));
        done(2, Operation.cas("/k", 1, "b"), Outcome.written(2));
        done(1, Operation.cas("/k", 1, "c"), Outcome.badVersion());
        done(1, Operation.syncedRead("/k"), Outcome.read("b", 2));
        Verdict v = checker().check(h);
        v.assertOk();
        assertThat(only(v).ops()).isEqualTo(5);
    }

    @Test
    void staleSyncedReadIsNotLinearizable() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        int stale = done(2, Operation.syncedRead("/k"), Outcome.read("", 0));
        Verdict v = checker().check(h);
        assertThat(v.ok()).isFalse();
        assertThat(only(v).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);
        assertThat(v.describe()).contains("key /k").contains("#" + stale + " p2 syncedRead(/k) -> ok v0 \"\"")
                .contains("model: ok v1 \"a\"");
        assertThatThrownBy(v::assertOk).isInstanceOf(AssertionError.class).hasMessageContaining("#" + stale);
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeEitherValue() {
        for (String seen : new String[] {"", "a"}) {
            History local = new History();
            int w = local.invoke(1, Operation.write("/k", "a"));
            int r = local.invoke(2, Operation.syncedRead("/k"));
            local.ok(r, seen.isEmpty() ? Outcome.read("", 0) : Outcome.read("a", 1));
            local.ok(w, Outcome.written(1));
            checker().check(local).assertOk();
        }
    }

    @Test
    void aReadCannotSeeTheOldValueAgainAfterSeeingTheNew() {
        int w = h.invoke(1, Operation.write("/k", "a"));
        done(2, Operation.syncedRead("/k"), Outcome.read("a", 1));
        done(3, Operation.syncedRead("/k"), Outcome.read("", 0));
        h.ok(w, Outcome.written(1));
        assertThat(only(checker().check(h)).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);
    }

    @Test
    void twoAcknowledgedWritesCannotBothMakeVersionOne() {
        // A lost write: both were acknowledged, but one version can come from one write only.
        int a = h.invoke(1, Operation.write("/k", "a"));
        int b = h.invoke(2, Operation.write("/k", "b"));
        h.ok(a, Outcome.written(1));
        h.ok(b, Outcome.written(1));
        assertThat(only(checker().check(h)).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);
    }

    @Test
    void anAcknowledgedWriteThatNoLaterReadShowsIsLost() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        done(2, Operation.write("/k", "b"), Outcome.written(2));
        done(3, Operation.syncedRead("/k"), Outcome.read("a", 2));
        assertThat(only(checker().check(h)).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);
    }

    @Test
    void compareAndSetCannotSucceedTwiceOnOneVersion() {
        int a = h.invoke(1, Operation.cas("/k", 0, "a"));
        int b = h.invoke(2, Operation.cas("/k", 0, "b"));
        h.ok(a, Outcome.written(1));
        h.ok(b, Outcome.written(1));
        assertThat(only(checker().check(h)).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);

        History oneWins = new History();
        int c = oneWins.invoke(1, Operation.cas("/k", 0, "a"));
        int d = oneWins.invoke(2, Operation.cas("/k", 0, "b"));
        oneWins.ok(d, Outcome.badVersion());
        oneWins.ok(c, Outcome.written(1));
        checker().check(oneWins).assertOk();
    }

    @Test
    void aBadVersionAnswerMustBeJustified() {
        done(1, Operation.cas("/k", 0, "a"), Outcome.badVersion());
        assertThat(only(checker().check(h)).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);
    }

    @Test
    void aPlainReadThatMissesTheSessionsOwnWriteBreaksSessionOrder() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        done(1, Operation.read("/k"), Outcome.read("", 0));
        Verdict v = checker().check(h);
        assertThat(v.linearizable()).as("plain reads are not in the search").isTrue();
        assertThat(v.ok()).isFalse();
        assertThat(v.sessionViolations()).singleElement().asString().contains("session 1 went back on /k");
    }

    @Test
    void aSyncedReadThatMissesTheSessionsOwnWriteFailsBothChecks() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        done(1, Operation.syncedRead("/k"), Outcome.read("", 0));
        Verdict v = checker().check(h);
        assertThat(v.linearizable()).isFalse();
        assertThat(v.sessionViolations()).hasSize(1);
    }

    @Test
    void anotherSessionsPlainReadMayBeStale() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        done(2, Operation.read("/k"), Outcome.read("", 0));
        done(2, Operation.read("/k"), Outcome.read("a", 1));
        checker().check(h).assertOk();
    }

    @Test
    void aPlainReadMustNotGoBackBehindAnEarlierRead() {
        done(1, Operation.write("/k", "a"), Outcome.written(1));
        done(2, Operation.read("/k"), Outcome.read("a", 1));
        done(2, Operation.read("/k"), Outcome.read("", 0));
        assertThat(checker().check(h).sessionViolations()).hasSize(1);
    }

    @Test
    void aNewIncarnationIsNewerWhateverItsVersion() {
        done(1, Operation.read("/k"), Outcome.read("a", 5, 10));
        done(2, Operation.delete("/k", -1), Outcome.deleted());
        done(2, Operation.create("/k", "b"), Outcome.created(20));
        done(1, Operation.read("/k"), Outcome.read("b", 0, 20));
        assertThat(SessionOrderCheck.check(h.ops())).isEmpty();
        done(1, Operation.read("/k"), Outcome.read("a", 3, 10));
        assertThat(SessionOrderCheck.check(h.ops())).hasSize(1);
    }

    @Test
    void afterSeeingTheNodeAbsentASessionCannotSeeThatIncarnationAgain() {
        done(1, Operation.read("/k"), Outcome.read("a", 5, 10));
        done(1, Operation.read("/k"), Outcome.noNode());
        done(1, Operation.read("/k"), Outcome.read("a", 5, 10));
        assertThat(SessionOrderCheck.check(h.ops())).hasSize(1);
    }

    @Test
    void anUnknownWriteMayTakeEffect() {
        int w = h.invoke(1, Operation.write("/k", "x"));
        h.unknown(w);
        done(2, Operation.syncedRead("/k"), Outcome.read("x", 1));
        done(2, Operation.cas("/k", 1, "y"), Outcome.written(2));
        checker().check(h).assertOk();
    }

    @Test
    void anUnknownWriteMayTakeEffectLongAfterItsCallEnded() {
        int w = h.invoke(1, Operation.write("/k", "x"));
        h.unknown(w);
        done(2, Operation.syncedRead("/k"), Outcome.read("", 0));
        done(2, Operation.cas("/k", 0, "y"), Outcome.written(1));
        done(3, Operation.syncedRead("/k"), Outcome.read("x", 2));
        checker().check(h).assertOk();
    }

    @Test
    void anUnknownWriteMayNeverTakeEffect() {
        int w = h.invoke(1, Operation.write("/k", "x"));
        h.unknown(w);
        done(2, Operation.cas("/k", 0, "y"), Outcome.written(1));
        done(2, Operation.syncedRead("/k"), Outcome.read("y", 1));
        int pending = h.invoke(3, Operation.cas("/k", 1, "z"));
        checker().check(h).assertOk();
        h.unknown(pending);
        checker().check(h).assertOk();
    }

    @Test
    void anUnknownWriteCannotTakeEffectTwiceOrBeforeItsCall() {
        int w = h.invoke(1, Operation.write("/k", "x"));
        h.unknown(w);
        done(2, Operation.syncedRead("/k"), Outcome.read("x", 1));
        done(2, Operation.syncedRead("/k"), Outcome.read("", 0));
        assertThat(only(checker().check(h)).result()).isEqualTo(KeyVerdict.Result.NOT_LINEARIZABLE);

        History early = new History();
        int r = early.invoke(2, Operation.syncedRead("/k"));
        early.ok(r, Outcome.read("x", 1));
        early.unknown(early.invoke(1, Operation.write("/k", "x")));
        assertThat(checker().check(early).linearizable()).isFalse();
    }

    @Test
    void aFailedWriteNeverHappened() {
        int w = h.invoke(1, Operation.write("/k", "x"));
        h.fail(w);
        done(2, Operation.syncedRead("/k"), Outcome.read("x", 1));
        assertThat(checker().check(h).linearizable()).isFalse();
    }

    @Test
    void createAndDeleteFollowZooKeeper() {
        done(1, Operation.create("/n", "a"), Outcome.created());
        done(2, Operation.create("/n", "b"), Outcome.nodeExists());
        done(2, Operation.delete("/n", 1), Outcome.badVersion());
        done(1, Operation.delete("/n", 0), Outcome.deleted());
        done(2, Operation.syncedRead("/n"), Outcome.noNode());
        done(2, Operation.cas("/n", -1, "c"), Outcome.noNode());
        new HistoryChecker().check(h).assertOk();
        done(1, Operation.delete("/n", -1), Outcome.deleted());
        assertThat(new HistoryChecker().check(h).linearizable()).isFalse();
    }

    @Test
    void eachKeyIsCheckedOnItsOwnAndTheFailureNamesIt() {
        done(1, Operation.create("/good", "a"), Outcome.created());
        done(1, Operation.create("/bad", "a"), Outcome.created());
        done(2, Operation.syncedRead("/good"), Outcome.read("a", 0));
        int wrong = done(2, Operation.syncedRead("/bad"), Outcome.read("b", 0));
        Verdict v = new HistoryChecker().check(h);
        assertThat(v.keys()).extracting(KeyVerdict::key).containsExactly("/bad", "/good");
        assertThat(v.keys()).extracting(KeyVerdict::result)
                .containsExactly(KeyVerdict.Result.NOT_LINEARIZABLE, KeyVerdict.Result.LINEARIZABLE);
        assertThat(v.describe()).contains("key /bad").doesNotContain("key /good")
                .contains("#" + wrong).doesNotContain("/good");
    }

    @Test
    void aSpentBudgetIsAFailureThatSaysSo() {
        // Eight concurrent writes whose order only the reads after them settle: many configurations.
        int[] ids = new int[8];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = h.invoke(i, Operation.write("/k", "w" + i));
        }
        for (int i = 0; i < ids.length; i++) {
            h.ok(ids[i], Outcome.written(i + 1));
        }
        Verdict tight = checker().budget(5).check(h);
        assertThat(tight.ok()).isFalse();
        assertThat(tight.budgetExceeded()).isTrue();
        assertThat(tight.describe()).contains("search budget of 5 steps exceeded");
        Verdict enough = checker().check(h);
        enough.assertOk();
        assertThat(enough.steps()).isGreaterThan(5);
    }
}
