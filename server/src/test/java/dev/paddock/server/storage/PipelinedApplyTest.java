package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.applied;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up's apply thread: every transaction in order, and a failure comes back to the reader. */
class PipelinedApplyTest {
    @Test
    void appliesEveryTransactionInOrderAcrossBatches() {
        List<Txn> txns = workload(21, PipelinedApply.BATCH * 5 + 17);
        StateMachine sm = new StateMachine(true);
        try (PipelinedApply apply = new PipelinedApply(sm)) {
            txns.forEach(apply::accept);
            apply.finish();
        }
        assertThat(sm.lastZxid()).isEqualTo(txns.get(txns.size() - 1).zxid());
        assertThat(TreeDigest.of(sm)).isEqualTo(TreeDigest.of(applied(txns, txns.size())));
    }

    @Test
    void aFailedApplyIsThrownToTheReader() {
        List<Txn> txns = workload(22, 50);
        StateMachine sm = new StateMachine(true);
        try (PipelinedApply apply = new PipelinedApply(sm)) {
            txns.forEach(apply::accept);
            apply.accept(txns.get(10)); // an older zxid again: the state machine refuses it
            assertThatThrownBy(apply::finish).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("applying the log read at start-up failed");
        }
    }

    @Test
    void closingWithoutFinishingStopsTheThread() {
        StateMachine sm = new StateMachine(true);
        PipelinedApply apply = new PipelinedApply(sm);
        workload(23, 10).forEach(apply::accept);
        apply.close(); // the reading failed: nothing handed over is waited for
        assertThat(sm.lastZxid()).isZero();
    }
}
