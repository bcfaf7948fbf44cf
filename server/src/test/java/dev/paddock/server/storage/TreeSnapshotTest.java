package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.applied;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void snapshotRoundTripsTheWholeState() throws Exception {
        List<Txn> txns = workload(11, 500);
        StateMachine sm = applied(txns, 500);
        TreeSnapshot.Capture c = TreeSnapshot.capture(sm);
        Path file = SnapshotFile.write(dir, c);
        c.release();
        SnapshotFile.Loaded loaded = SnapshotFile.read(file, true);
        assertThat(loaded.zxid()).isEqualTo(500);
        assertThat(TreeDigest.of(loaded.stateMachine())).isEqualTo(TreeDigest.of(sm));
        // The loaded state machine goes on exactly like the original (sequence counters, sessions).
        List<Txn> more = workload(11, 700).subList(500, 700);
        for (Txn t : more) {
            assertThat(loaded.stateMachine().apply(t)).isEqualTo(sm.apply(t));
        }
        assertThat(TreeDigest.of(loaded.stateMachine())).isEqualTo(TreeDigest.of(sm));
    }

    @Test
    void writesGoingOnDuringTheSnapshotDoNotLeakIntoIt() throws Exception {
        List<Txn> txns = workload(12, 3000);
        StateMachine sm = applied(txns, 1000);
        String atCapture = TreeDigest.of(sm);
        TreeSnapshot.Capture c = TreeSnapshot.capture(sm);
        // The snapshot is written on another thread while this one keeps applying.
        CompletableFuture<Path> written = CompletableFuture.supplyAsync(() -> {
            try {
                return SnapshotFile.write(dir, c);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        for (int i = 1000; i < 3000; i++) {
            sm.apply(txns.get(i));
        }
        Path file = written.get();
        c.release();
        assertThat(TreeDigest.of(SnapshotFile.read(file, true).stateMachine())).isEqualTo(atCapture);
        assertThat(TreeDigest.of(sm)).isEqualTo(TreeDigest.of(applied(txns, 3000)));
    }

    @Test
    void changesBeforeTheWriteStartsAreCopied() throws Exception {
        List<Txn> txns = workload(13, 800);
        StateMachine sm = applied(txns, 400);
        String atCapture = TreeDigest.of(sm);
        TreeSnapshot.Capture c = TreeSnapshot.capture(sm);
        for (int i = 400; i < 800; i++) {
            sm.apply(txns.get(i));
        }
        assertThat(c.copiedOnWrite()).isPositive();
        Path file = SnapshotFile.write(dir, c);
        c.release();
        assertThat(TreeDigest.of(SnapshotFile.read(file, true).stateMachine())).isEqualTo(atCapture);
    }
}
