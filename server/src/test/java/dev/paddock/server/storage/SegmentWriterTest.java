package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.entry;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentWriterTest {
    @TempDir
    Path dir;

    private static void awaitDurable(SegmentWriter w, int generation, long zxid) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (w.durable().generation() != generation || w.durable().zxid() < zxid) {
            assertThat(System.nanoTime()).as("durable in time").isLessThan(deadline);
            LockSupport.parkNanos(500_000);
        }
    }

    private SegmentWriter writer(long preAlloc, boolean force, java.util.function.BooleanSupplier wake)
            throws Exception {
        SegmentWriter w = new SegmentWriter(dir, dir, preAlloc, force, new SegmentWriter.Durable(0, 0), wake, t -> { });
        w.start();
        return w;
    }

    @Test
    void entriesBecomeDurableInOrderSharingFsyncs() throws Exception {
        List<Txn> txns = workload(21, 3000);
        AtomicInteger wakes = new AtomicInteger();
        SegmentWriter w = writer(64 * 1024, true, () -> {
            wakes.incrementAndGet();
            return true;
        });
        for (Txn t : txns) {
            w.submit(new SegmentWriter.Append(entry(t), 0));
        }
        awaitDurable(w, 0, 3000);
        // Group commit: far fewer fsyncs than entries.
        assertThat(w.fsyncCount()).isLessThan(3000);
        assertThat(wakes.get()).isPositive();
        w.close();
        assertThat(LogTestSupport.readBack(dir)).isEqualTo(txns);
        // Closing cut the preallocated tail.
        Path segment = LogFormat.list(dir, LogFormat.LOG_PREFIX).get(0);
        assertThat(Files.size(segment)).isEqualTo(SegmentScanner.scan(segment, null).validEnd());
    }

    @Test
    void rollStartsASegmentNamedByItsFirstZxid() throws Exception {
        List<Txn> txns = workload(22, 30);
        SegmentWriter w = writer(4096, false, () -> true);
        for (int i = 0; i < 30; i++) {
            if (i == 10 || i == 25) {
                w.submit(new SegmentWriter.Roll(0));
            }
            w.submit(new SegmentWriter.Append(entry(txns.get(i)), 0));
        }
        awaitDurable(w, 0, 30);
        w.close();
        assertThat(LogFormat.list(dir, LogFormat.LOG_PREFIX)).extracting(p -> p.getFileName().toString())
                .containsExactly("log.1", "log.b", "log.1a");
    }

    @Test
    void aRefusedWakeIsRetried() throws Exception {
        List<Txn> txns = workload(23, 5);
        AtomicInteger asked = new AtomicInteger();
        SegmentWriter w = writer(4096, false, () -> asked.incrementAndGet() >= 3);
        w.submit(new SegmentWriter.Append(entry(txns.get(0)), 0));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (asked.get() < 3) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
        w.close();
    }

    /**
     * Review hazard H3: a truncation queued behind entries not yet written cuts after them, in queue order,
     * across segments, and the entries appended after it follow the cut; no wait, no timeout.
     */
    @Test
    void truncationTakesEffectBetweenTheAppendsQueuedBeforeAndAfterIt() throws Exception {
        List<Txn> txns = workload(24, 40);
        SegmentWriter w = writer(4096, false, () -> true);
        for (int i = 0; i < 30; i++) {
            if (i == 15) {
                w.submit(new SegmentWriter.Roll(0));
            }
            w.submit(new SegmentWriter.Append(entry(txns.get(i)), 0));
        }
        w.submit(new SegmentWriter.Truncate(10, 1));
        // A different history after the cut (the leader's): zxids 11.. again, with other content.
        List<Txn> theirs = workload(25, 40).subList(10, 20);
        for (Txn t : theirs) {
            w.submit(new SegmentWriter.Append(entry(t), 1));
        }
        awaitDurable(w, 1, 20);
        w.close();
        List<Txn> expected = new ArrayList<>(txns.subList(0, 10));
        expected.addAll(theirs);
        assertThat(LogTestSupport.readBack(dir)).isEqualTo(expected);
    }

    @Test
    void resetWritesTheInstalledSnapshotThenDropsEverySegment() throws Exception {
        List<Txn> txns = workload(26, 50);
        SegmentWriter w = writer(4096, false, () -> true);
        for (int i = 0; i < 20; i++) {
            w.submit(new SegmentWriter.Append(entry(txns.get(i)), 0));
        }
        StateMachine at40 = LogTestSupport.applied(txns, 40);
        w.submit(new SegmentWriter.Reset(40, TreeSnapshot.serializeNow(at40), 1));
        for (int i = 40; i < 50; i++) {
            w.submit(new SegmentWriter.Append(entry(txns.get(i)), 1));
        }
        awaitDurable(w, 1, 50);
        w.close();
        assertThat(LogFormat.list(dir, LogFormat.LOG_PREFIX)).extracting(p -> p.getFileName().toString())
                .containsExactly("log.29");
        Recovery.Result r = Recovery.recover(dir, dir, true, false);
        assertThat(r.snapshotZxid()).isEqualTo(40);
        assertThat(dev.paddock.server.tree.TreeDigest.of(r.stateMachine()))
                .isEqualTo(dev.paddock.server.tree.TreeDigest.of(LogTestSupport.applied(txns, 50)));
        assertThat(new Snapshot(40, new byte[0]).zxid()).isEqualTo(40);
    }
}
