package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.entry;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.tree.Txn;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer that forces its writes has zeros written ahead of it ({@link ZeroFiller}): no zero may ever land on
 * a record, whether the writer stays behind the zeros or overtakes them, and a closed segment still ends at its
 * last record.
 */
class ZeroFillerTest {
    @TempDir
    Path dir;

    private SegmentWriter writer(long preAlloc) {
        try {
            SegmentWriter w = new SegmentWriter(dir, dir, preAlloc, true, new SegmentWriter.Durable(0, 0), () -> true,
                    t -> { });
            w.start();
            return w;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitDurable(SegmentWriter w, long zxid) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (w.durable().zxid() < zxid) {
            assertThat(System.nanoTime()).as("durable in time").isLessThan(deadline);
            LockSupport.parkNanos(200_000);
        }
    }

    @Test
    void recordsSurviveAWriterThatRacesTheZerosAheadOfIt() throws Exception {
        // 4 KiB of zeros ahead in 4 KiB chunks: bursts overtake the filler, pauses let it get ahead again.
        List<Txn> txns = workload(5, 4_000);
        Random r = new Random(5);
        SegmentWriter w = writer(4096);
        int i = 0;
        while (i < txns.size()) {
            int burst = 1 + r.nextInt(r.nextBoolean() ? 3 : 200);
            for (int k = 0; k < burst && i < txns.size(); k++, i++) {
                w.submit(new SegmentWriter.Append(entry(txns.get(i)), 0));
            }
            if (r.nextInt(40) == 0) {
                w.submit(new SegmentWriter.Roll(0));
            }
            if (r.nextInt(3) == 0) {
                awaitDurable(w, txns.get(i - 1).zxid());
                LockSupport.parkNanos(r.nextInt(2_000_000));
            }
        }
        awaitDurable(w, txns.size());
        w.close();
        assertThat(LogTestSupport.readBack(dir)).isEqualTo(txns);
        for (Path segment : LogFormat.list(dir, LogFormat.LOG_PREFIX)) {
            assertThat(endOfRecords(segment)).as("%s is cut to its records", segment).isEqualTo(Files.size(segment));
        }
    }

    @Test
    void theOpenSegmentHasForcedZerosAheadOfTheRecordsAndIsCutWhenClosed() throws Exception {
        List<Txn> txns = workload(9, 50);
        SegmentWriter w = writer(64 * 1024);
        for (Txn t : txns) {
            w.submit(new SegmentWriter.Append(entry(t), 0));
        }
        awaitDurable(w, 50);
        Path segment = LogFormat.list(dir, LogFormat.LOG_PREFIX).get(0);
        long end = endOfRecords(segment);
        long deadline = System.nanoTime() + 10_000_000_000L;
        // The filler is asked for more each time the writer has used half of the distance: at least half of
        // it lies ahead at any time.
        while (Files.size(segment) < end + 32 * 1024) {
            assertThat(System.nanoTime()).as("zeros written ahead in time").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate((int) (ch.size() - end));
            while (tail.hasRemaining() && ch.read(tail, end + tail.position()) > 0) {
                // read it all
            }
            assertThat(tail.flip().remaining()).isGreaterThanOrEqualTo(32 * 1024);
            while (tail.hasRemaining()) {
                assertThat(tail.get()).isZero();
            }
        }
        w.close();
        assertThat(Files.size(segment)).isEqualTo(end);
        assertThat(LogTestSupport.readBack(dir)).isEqualTo(txns);
    }

    @Test
    void turnedOffTheSegmentGrowsSparselyAsBefore() throws Exception {
        System.setProperty(SegmentWriter.ZERO_FILL_PROPERTY, "false");
        SegmentWriter w;
        try {
            w = writer(64 * 1024);
        } finally {
            System.clearProperty(SegmentWriter.ZERO_FILL_PROPERTY);
        }
        List<Txn> txns = workload(4, 20);
        for (Txn t : txns) {
            w.submit(new SegmentWriter.Append(entry(t), 0));
        }
        awaitDurable(w, 20);
        Path segment = LogFormat.list(dir, LogFormat.LOG_PREFIX).get(0);
        assertThat(Files.size(segment)).as("one sparse preallocation step").isEqualTo(64 * 1024);
        w.close();
        assertThat(Files.size(segment)).isEqualTo(endOfRecords(segment));
        assertThat(LogTestSupport.readBack(dir)).isEqualTo(txns);
    }

    /** Where a segment's records end (the offset after the last one). */
    private static long endOfRecords(Path segment) throws Exception {
        long[] end = {LogFormat.SEGMENT_HEADER_BYTES};
        SegmentScanner.scan(segment, (zxid, offset, payload) ->
                end[0] = offset + LogFormat.RECORD_HEADER_BYTES + payload.remaining());
        return end[0];
    }
}
