package dev.paddock.server.log;

import static dev.paddock.server.log.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.tree.Txn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWriterTest {
    @TempDir
    Path dir;

    private static void awaitDurable(LogWriter w, long zxid) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (w.durableZxid() < zxid) {
            assertThat(System.nanoTime()).as("durable in time").isLessThan(deadline);
            LockSupport.parkNanos(500_000);
        }
    }

    @Test
    void entriesComeBackDurableInOrderSharingFsyncs() throws Exception {
        List<Txn> txns = workload(21, 3000);
        AtomicInteger wakes = new AtomicInteger();
        LogWriter w = new LogWriter(dir, 64 * 1024, true, 512, t -> { });
        w.onDurable(() -> {
            wakes.incrementAndGet();
            return true;
        });
        w.start();
        for (Txn t : txns) {
            w.append(new LogWriter.Entry(t, t.zxid()));
        }
        awaitDurable(w, 3000);
        List<Long> back = new ArrayList<>();
        LogWriter.Entry e;
        while ((e = w.pollDurable()) != null) {
            back.add((Long) e.attachment());
        }
        assertThat(back).hasSize(3000).isSorted();
        // Group commit: far fewer fsyncs than entries.
        assertThat(w.fsyncCount()).isLessThan(3000);
        assertThat(wakes.get()).isPositive();
        w.close();
        List<Txn> read = new ArrayList<>();
        Path segment = LogFormat.list(dir, LogFormat.LOG_PREFIX).get(0);
        SegmentScanner.Outcome o = SegmentScanner.scan(segment, (zxid, off, payload) ->
                read.add(TxnCodec.read(zxid, payload)));
        assertThat(o.clean()).isTrue();
        assertThat(read).isEqualTo(txns);
        // Closing cut the preallocated tail.
        assertThat(Files.size(segment)).isEqualTo(o.validEnd());
    }

    @Test
    void rollStartsASegmentNamedByItsFirstZxid() throws Exception {
        List<Txn> txns = workload(22, 30);
        LogWriter w = new LogWriter(dir, 4096, false, 64, t -> { });
        w.start();
        for (int i = 0; i < 30; i++) {
            if (i == 10 || i == 25) {
                w.roll();
            }
            w.append(new LogWriter.Entry(txns.get(i), null));
        }
        awaitDurable(w, 30);
        w.close();
        assertThat(LogFormat.list(dir, LogFormat.LOG_PREFIX)).extracting(p -> p.getFileName().toString())
                .containsExactly("log.1", "log.b", "log.1a");
    }

    @Test
    void aRefusedWakeIsRetried() throws Exception {
        List<Txn> txns = workload(23, 5);
        AtomicInteger asked = new AtomicInteger();
        LogWriter w = new LogWriter(dir, 4096, false, 64, t -> { });
        w.onDurable(() -> asked.incrementAndGet() >= 3);
        w.start();
        w.append(new LogWriter.Entry(txns.get(0), null));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (asked.get() < 3) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
        w.close();
    }
}
