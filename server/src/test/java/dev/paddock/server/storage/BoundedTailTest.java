package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.applied;
import static dev.paddock.server.storage.LogTestSupport.entry;
import static dev.paddock.server.storage.LogTestSupport.log;
import static dev.paddock.server.storage.LogTestSupport.snapshot;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.Txn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log keeps only a bounded window of entries in memory; the older ones after the snapshot are read back
 * from the segment files, by start-up, by the member applying them and by a leader's DIFF, through truncations.
 */
class BoundedTailTest {
    @TempDir
    Path dir;

    private Path snaps() {
        return dir.resolve("snap");
    }

    private Path logs() {
        return dir.resolve("log");
    }

    private ReplicaLog open(Recovery.Result r, ReplicaLog.TailBound bound) throws Exception {
        Files.createDirectories(snaps());
        return ReplicaLog.open(snaps(), logs(), r, 4096, false, bound, () -> true, t -> { });
    }

    private static void awaitDurable(ReplicaLog log, long zxid) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (log.durableZxid() < zxid) {
            assertThat(System.nanoTime()).as("the log writer reached 0x" + Long.toHexString(zxid)).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static List<Long> zxids(List<Entry> entries) {
        return entries.stream().map(Entry::zxid).toList();
    }

    private static void assertSame(List<Entry> actual, List<Entry> expected) {
        assertThat(zxids(actual)).isEqualTo(zxids(expected));
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).payload()).as("payload of 0x" + Long.toHexString(actual.get(i).zxid()))
                    .isEqualTo(expected.get(i).payload());
        }
    }

    @Test
    void recoveryOfALongLogKeepsOnlyTheWindowAndReadsTheRestBack() throws Exception {
        List<Txn> txns = workload(11, 3000);
        snapshot(snaps(), txns, 200);
        log(logs(), txns, 0, 1200, 64 * 1024);
        log(logs(), txns, 1200, 2500, 64 * 1024); // several segments, as after rolls
        log(logs(), txns, 2500, 3000, 64 * 1024);
        List<Entry> expected = txns.subList(200, 3000).stream().map(LogTestSupport::entry).toList();
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(100, 1 << 20);

        Recovery.Result r = Recovery.load(snaps(), logs(), true, true, bound);
        assertThat(r.replayed()).isEqualTo(2800);
        assertThat(r.entries()).hasSize(100);
        assertThat(r.olderEntries().count()).isEqualTo(2700);
        try (ReplicaLog log = open(r, bound)) {
            assertThat(log.memoryEntries()).isEqualTo(100);
            assertThat(log.diskOnlyEntries()).isEqualTo(2700);
            assertThat(log.baseZxid()).isEqualTo(200);
            assertThat(log.lastZxid()).isEqualTo(3000);
            assertThat(log.contains(201)).isTrue();
            assertThat(log.contains(200)).isFalse();
            assertThat(log.floorZxid(1500)).isEqualTo(1500);
            // All of it, part of it from the middle, and batch by batch, as the member applies it.
            assertSame(log.entries(200, 3000), expected);
            assertSame(log.entries(1000, 1300), expected.subList(800, 1100));
            assertSame(log.entries(2850, 2950), expected.subList(2650, 2750));
            List<Entry> batched = new ArrayList<>();
            log.inBatches(200, 3000, 256).forEach(batched::add);
            assertSame(batched, expected);
            StateMachine sm = applied(txns, 200);
            for (Entry e : log.inBatches(200, 3000, 333)) {
                sm.apply(EntryPayload.decode(e.zxid(), e.payload()).txn());
            }
            assertThat(TreeDigest.of(sm)).isEqualTo(TreeDigest.of(applied(txns, 3000)));
            // Reading back does not bring entries back into memory.
            assertThat(log.memoryEntries()).isEqualTo(100);
        }
    }

    @Test
    void aStartThatAppliesAsItReadsEndsAsApplyingTheLogWouldAndKeepsTheSameWindow() throws Exception {
        List<Txn> txns = workload(13, 3000);
        snapshot(snaps(), txns, 200);
        log(logs(), txns, 0, 1500, 64 * 1024);
        log(logs(), txns, 1500, 3000, 64 * 1024);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(100, 1 << 20);

        Recovery.Result kept = Recovery.load(snaps(), logs(), true, false, bound);
        Recovery.Result applying = Recovery.loadApplying(snaps(), logs(), true, false, bound);

        assertThat(kept.applied()).isFalse();
        assertThat(kept.stateMachine().lastZxid()).isEqualTo(200);
        assertThat(applying.applied()).isTrue();
        assertThat(applying.stateMachine().lastZxid()).isEqualTo(3000);
        assertThat(TreeDigest.of(applying.stateMachine())).isEqualTo(TreeDigest.of(applied(txns, 3000)));
        assertThat(applying.replayed()).isEqualTo(kept.replayed()).isEqualTo(2800);
        assertThat(applying.lastZxid()).isEqualTo(3000);
        assertSame(applying.entries(), kept.entries());
        assertThat(applying.olderEntries().count()).isEqualTo(kept.olderEntries().count()).isEqualTo(2700);
        // Recovery that only applies (the check tool's) reaches the same tree.
        assertThat(TreeDigest.of(Recovery.recover(snaps(), logs(), true, false).stateMachine()))
                .isEqualTo(TreeDigest.of(applying.stateMachine()));
    }

    @Test
    void theByteBoundAlsoLimitsTheWindow() throws Exception {
        List<Txn> txns = workload(12, 800);
        log(logs(), txns, 0, 800, 64 * 1024);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(10_000, 2_000);
        Recovery.Result r = Recovery.load(snaps(), logs(), true, true, bound);
        try (ReplicaLog log = open(r, bound)) {
            assertThat(log.memoryBytes()).isLessThanOrEqualTo(2_000).isPositive();
            assertThat(log.memoryEntries()).isLessThan(800);
            assertThat(log.memoryEntries() + log.diskOnlyEntries()).isEqualTo(800);
            assertThat(log.tailBytes()).as("the snapshot trigger counts all of the log after the base")
                    .isGreaterThan(log.memoryBytes());
            assertSame(log.entries(0, 800), txns.stream().map(LogTestSupport::entry).toList());
        }
    }

    @Test
    void appendsLeaveMemoryOnceDurableAndACompactionDropsTheOldIndex() throws Exception {
        List<Txn> txns = workload(13, 1000);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(50, 1 << 20);
        try (ReplicaLog log = open(Recovery.load(snaps(), logs(), true, true, bound), bound)) {
            for (Txn t : txns) {
                log.append(entry(t));
            }
            awaitDurable(log, 1000);
            log.append(new Entry(1001, new byte[] {1}));
            assertThat(log.memoryEntries()).isLessThanOrEqualTo(50);
            assertSame(log.entries(0, 1000), txns.stream().map(LogTestSupport::entry).toList());
            log.compactTo(600);
            assertThat(log.baseZxid()).isEqualTo(600);
            assertThat(log.diskOnlyEntries() + log.memoryEntries()).isEqualTo(401);
            assertThat(log.contains(600)).isFalse();
            assertThat(log.floorZxid(599)).isEqualTo(-1);
            assertThatThrownBy(() -> log.entries(599, 700)).isInstanceOf(IllegalStateException.class);
            assertThat(zxids(log.entries(600, 700))).hasSize(100).startsWith(601L).endsWith(700L);
        }
    }

    /**
     * A learner's TRUNC cuts into the part on disk only; a DIFF it builds later (as a leader) must hold the
     * entries before the cut and the new epoch's after it, never the cut ones, although the segment holding
     * them is cut by the writer thread after the member's view changed.
     */
    @Test
    void aTruncationIntoTheDiskOnlyPartThenADiff() throws Exception {
        List<Txn> txns = workload(14, 1000);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(40, 1 << 20);
        try (ReplicaLog log = open(Recovery.load(snaps(), logs(), true, true, bound), bound)) {
            for (Txn t : txns) {
                log.append(entry(t));
            }
            awaitDurable(log, 1000);
            log.append(new Entry(1001, entry(txns.get(0)).payload()));
            log.truncateAfter(600);
            assertThat(log.lastZxid()).isEqualTo(600);
            assertThat(log.contains(700)).isFalse();
            assertThat(log.contains(600)).isTrue();
            assertThat(log.floorZxid(650)).isEqualTo(600);
            long epoch2 = 2L << 32;
            List<Entry> newer = new ArrayList<>();
            for (int i = 1; i <= 120; i++) {
                // Another transaction's payload under the new epoch's zxid: start-up checks only its version.
                Entry e = new Entry(epoch2 + i, entry(txns.get(i)).payload());
                newer.add(e);
                log.append(e);
            }
            awaitDurable(log, epoch2 + 120);
            log.append(new Entry(epoch2 + 121, entry(txns.get(121)).payload()));
            assertThat(log.memoryEntries()).isLessThanOrEqualTo(40);
            assertThat(log.floorZxid(epoch2 - 1)).isEqualTo(600);
            List<Entry> expected = new ArrayList<>(txns.subList(400, 600).stream().map(LogTestSupport::entry).toList());
            expected.addAll(newer);
            assertSame(log.entries(400, epoch2 + 120), expected);
        }
        // And start-up reads the same history back.
        Recovery.Result again = Recovery.load(snaps(), logs(), true, true, bound);
        assertThat(again.lastZxid()).isEqualTo((2L << 32) + 121);
        assertThat(again.replayed()).isEqualTo(600 + 121);
    }

    @Test
    void aTruncationBackToTheBaseAndAResetEmptyTheIndex() throws Exception {
        List<Txn> txns = workload(15, 300);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(10, 1 << 20);
        try (ReplicaLog log = open(Recovery.load(snaps(), logs(), true, true, bound), bound)) {
            for (Txn t : txns) {
                log.append(entry(t));
            }
            awaitDurable(log, 300);
            log.append(new Entry(301, new byte[] {1}));
            log.truncateAfter(0);
            assertThat(log.lastZxid()).isZero();
            assertThat(log.diskOnlyEntries()).isZero();
            assertThat(log.memoryEntries()).isZero();
            assertThat(log.floorZxid(150)).isZero();
            assertThat(log.entries(0, 300)).isEmpty();
        }
    }

    @Test
    void theWindowKeptFromATornLogIsMadeOfTheRecordsBeforeTheCut() throws Exception {
        // Recovery keeps the window as views of the mapped segment and copies them once the scan is over, after
        // a torn tail was cut off the same file: what it keeps must be the records before the cut, unchanged.
        List<Txn> txns = workload(14, 500);
        log(logs(), txns, 0, 500, 64 * 1024);
        Path segment = LogFormat.list(logs(), LogFormat.LOG_PREFIX).get(0);
        List<Long> offsets = LogTestSupport.recordOffsets(segment);
        long lastRecord = offsets.get(offsets.size() - 1);
        try (var ch = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(lastRecord + 10); // the last record torn inside its header
        }
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(50, 1 << 20);

        Recovery.Result r = Recovery.load(snaps(), logs(), true, true, bound);

        assertThat(r.lastZxid()).isEqualTo(499);
        assertThat(r.problems()).hasSize(1);
        assertSame(r.entries(), txns.subList(449, 499).stream().map(LogTestSupport::entry).toList());
        assertThat(Files.size(segment)).isEqualTo(lastRecord);
        assertThat(r.lastSegment()).isEqualTo(segment);
        assertThat(r.lastSegmentEnd()).isEqualTo(lastRecord)
                .isEqualTo(SegmentScanner.scan(segment, null).validEnd());
    }

    @Test
    void theEndOfACleanLastSegmentIsWhereAFreshScanEndsIt() throws Exception {
        List<Txn> txns = workload(15, 300);
        log(logs(), txns, 0, 200, 64 * 1024);
        log(logs(), txns, 200, 300, 64 * 1024);
        Path last = LogFormat.list(logs(), LogFormat.LOG_PREFIX).get(1);
        try (var ch = java.nio.channels.FileChannel.open(last, java.nio.file.StandardOpenOption.WRITE)) {
            // The preallocated end a crash leaves (a closed segment is cut to its last record): zeros.
            ch.write(java.nio.ByteBuffer.allocate(8192), ch.size());
        }
        Recovery.Result r = Recovery.load(snaps(), logs(), true, true, new ReplicaLog.TailBound(20, 1 << 20));
        assertThat(r.lastSegment()).isEqualTo(last);
        long end = SegmentScanner.scan(last, null).validEnd();
        assertThat(end).isLessThan(Files.size(last));
        assertThat(r.lastSegmentEnd()).isEqualTo(end);
    }

    @Test
    void aRecordLargerThanTheReadBufferIsReadBackAndSoAreTheOnesAfterIt() throws Exception {
        List<Txn> txns = new ArrayList<>(workload(16, 300));
        byte[] big = new byte[200_000];
        new java.util.Random(16).nextBytes(big);
        txns.add(new Txn(301, 1_700_000_000_301L, 0, LogTestSupport.IDS,
                new dev.paddock.wire.proto.CreateRequest(dev.paddock.wire.OpCode.CREATE, "/app/big", big,
                        dev.paddock.server.tree.AclLists.OPEN, 0)));
        for (int i = 302; i <= 340; i++) {
            txns.add(new Txn(i, 1_700_000_000_000L + i, 0, LogTestSupport.IDS,
                    new dev.paddock.wire.proto.SetDataRequest("/app", new byte[] {(byte) i}, -1)));
        }
        log(logs(), txns, 0, 340, 64 * 1024);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(5, 1 << 20);
        Recovery.Result r = Recovery.load(snaps(), logs(), true, true, bound);
        try (ReplicaLog log = open(r, bound)) {
            List<Entry> batched = new ArrayList<>();
            log.inBatches(0, 340, 7).forEach(batched::add);
            assertSame(batched, txns.stream().map(LogTestSupport::entry).toList());
            // Again from the middle, after the reader's buffer grew for the large record.
            assertSame(log.entries(290, 320), txns.subList(290, 320).stream().map(LogTestSupport::entry).toList());
            StateMachine sm = new StateMachine(true);
            for (Entry e : batched) {
                sm.apply(EntryPayload.decode(e.zxid(), e.payload()).txn());
            }
            assertThat(TreeDigest.of(sm)).isEqualTo(TreeDigest.of(applied(txns, 340)));
        }
    }

    private static Txn reconfig(long zxid) {
        String members = "server.1=127.0.0.1:2888:3888:participant;2181";
        return new Txn(zxid, 1_700_000_000_000L + zxid, 0, LogTestSupport.IDS, new dev.paddock.server.tree.ConfigChange(
                new dev.paddock.wire.proto.ReconfigRequest("", "", members, -1), members + "\nversion=" + zxid,
                dev.paddock.wire.ErrorCode.OK));
    }

    private static List<Entry> listOf(Iterable<Entry> entries) {
        List<Entry> out = new ArrayList<>();
        entries.forEach(out::add);
        return out;
    }

    @Test
    void theReconfigurationsOfALongLogAreFoundWithoutReadingItBack() throws Exception {
        List<Txn> txns = new ArrayList<>(workload(17, 460));
        for (int zxid : new int[] {50, 120, 390, 410}) {
            txns.set(zxid - 1, reconfig(zxid));
        }
        log(logs(), txns, 0, 400, 64 * 1024);
        ReplicaLog.TailBound bound = new ReplicaLog.TailBound(20, 1 << 20);
        Recovery.Result r = Recovery.load(snaps(), logs(), true, true, bound);
        assertThat(r.olderReconfigs().count()).as("50 and 120 are outside the window, 390 in it").isEqualTo(2);
        try (ReplicaLog log = open(r, bound)) {
            assertSame(listOf(log.reconfigCandidates(0, 400, 64)),
                    List.of(entry(txns.get(49)), entry(txns.get(119)), entry(txns.get(389))));
            assertThat(zxids(listOf(log.reconfigCandidates(50, 389, 64)))).containsExactly(120L);
            // Appended ones join the index when they leave memory (once durable, at the next append).
            for (int i = 400; i < 450; i++) {
                log.append(entry(txns.get(i)));
            }
            awaitDurable(log, 450);
            log.append(entry(txns.get(450)));
            assertThat(log.memoryEntries()).isEqualTo(20);
            assertThat(zxids(listOf(log.reconfigCandidates(0, 451, 64)))).containsExactly(50L, 120L, 390L, 410L);
            // A truncation and a compaction take them out of the index as they take the entries out of the log.
            log.truncateAfter(400);
            assertThat(zxids(listOf(log.reconfigCandidates(0, 400, 64)))).containsExactly(50L, 120L, 390L);
            log.compactTo(100);
            assertThat(zxids(listOf(log.reconfigCandidates(100, 400, 64)))).containsExactly(120L, 390L);
            // Every candidate is a reconfiguration, and no reconfiguration is missing: the same as a full scan.
            List<Long> scanned = new ArrayList<>();
            for (Entry e : log.inBatches(100, 400, 64)) {
                if (EntryPayload.isReconfig(e.payload())) {
                    scanned.add(e.zxid());
                }
            }
            assertThat(zxids(listOf(log.reconfigCandidates(100, 400, 64)))).isEqualTo(scanned);
        }
    }
}
