package dev.paddock.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The recorder: one order for concurrent events, each operation ended once, a bound. */
class HistoryTest {
    @Test
    void concurrentRecordersGetOneConsistentOrder() throws Exception {
        History h = new History();
        int threads = 8;
        int each = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int process = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    int id = h.invoke(process, Operation.write("/k" + process, "d" + i));
                    h.ok(id, Outcome.written(i + 1));
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        List<RecordedOp> ops = h.ops();
        assertThat(ops).hasSize(threads * each);
        assertThat(ops.stream().flatMapToLong(o -> java.util.stream.LongStream.of(o.invokeSeq(), o.endSeq()))
                .distinct().count()).as("every event has its own position").isEqualTo(2L * threads * each);
        for (RecordedOp o : ops) {
            assertThat(o.endSeq()).isGreaterThan(o.invokeSeq());
            assertThat(o.endNanos()).isGreaterThanOrEqualTo(o.invokeNanos());
        }
        for (int t = 0; t < threads; t++) {
            int process = t;
            List<RecordedOp> mine = ops.stream().filter(o -> o.process() == process).toList();
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i).invokeSeq()).as("program order").isGreaterThan(mine.get(i - 1).endSeq());
            }
        }
        HistoryChecker checker = new HistoryChecker();
        for (int t = 0; t < threads; t++) {
            checker.initially("/k" + t, ZnodeState.of("", 0));
        }
        Verdict v = checker.check(ops);
        v.assertOk();
        assertThat(v.keys()).hasSize(threads);
    }

    @Test
    void anOperationEndsOnce() {
        History h = new History();
        int id = h.invoke(1, Operation.read("/k"));
        h.unknown(id);
        assertThatThrownBy(() -> h.ok(id, Outcome.noNode())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.fail(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.ok(h.invoke(1, Operation.read("/k")), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRecorderIsBounded() {
        History h = new History(2);
        h.invoke(1, Operation.read("/k"));
        h.invoke(1, Operation.read("/k"));
        assertThatThrownBy(() -> h.invoke(1, Operation.read("/k"))).hasMessageContaining("history full");
    }

    @Test
    void pendingOperationsCountAsUnknown() {
        History h = new History();
        int w = h.invoke(1, Operation.write("/k", "x"));
        int r = h.invoke(2, Operation.syncedRead("/k"));
        h.ok(r, Outcome.read("x", 1));
        Verdict v = new HistoryChecker().initially("/k", ZnodeState.of("", 0)).check(h);
        v.assertOk();
        assertThat(h.ops().get(w).status()).isEqualTo(RecordedOp.Status.PENDING);
    }
}
