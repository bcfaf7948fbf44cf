package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.applied;
import static dev.paddock.server.storage.LogTestSupport.flipByte;
import static dev.paddock.server.storage.LogTestSupport.log;
import static dev.paddock.server.storage.LogTestSupport.recordOffsets;
import static dev.paddock.server.storage.LogTestSupport.snapshot;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.Txn;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    @TempDir
    Path dir;

    private Path snaps() {
        return dir.resolve("snap");
    }

    private Path logs() {
        return dir.resolve("log");
    }

    private Recovery.Result recover() throws Exception {
        return Recovery.recover(snaps(), logs(), true, true);
    }

    private static String digest(List<Txn> txns, int n) {
        return TreeDigest.of(applied(txns, n));
    }

    @Test
    void replayOfTheWholeLogEqualsTheLiveState() throws Exception {
        List<Txn> txns = workload(1, 600);
        log(logs(), txns, 0, 600, 64 * 1024);
        Recovery.Result r = recover();
        assertThat(r.lastZxid()).isEqualTo(600);
        assertThat(r.replayed()).isEqualTo(600);
        assertThat(r.problems()).isEmpty();
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(digest(txns, 600));
    }

    @Test
    void snapshotPlusLogEqualsFullReplay() throws Exception {
        List<Txn> txns = workload(2, 900);
        log(logs(), txns, 0, 300, 4096);
        log(logs(), txns, 300, 700, 4096); // a second segment, as after a snapshot's roll
        log(logs(), txns, 700, 900, 4096);
        snapshot(snaps(), txns, 300);
        snapshot(snaps(), txns, 650); // in the middle of a segment: replay skips what it holds
        Recovery.Result r = recover();
        assertThat(r.snapshotZxid()).isEqualTo(650);
        assertThat(r.replayed()).isEqualTo(250);
        assertThat(r.problems()).isEmpty();
        String full = TreeDigest.of(Recovery.recover(dir.resolve("none"), logs(), true, false).stateMachine());
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(full).isEqualTo(digest(txns, 900));
        assertThat(r.stateMachine().sessions()).isEqualTo(applied(txns, 900).sessions());
    }

    @Test
    void tornLastRecordIsCutAtEveryOffset() throws Exception {
        List<Txn> txns = workload(3, 40);
        Path source = dir.resolve("source");
        log(source, txns, 0, 40, 4096);
        Path segment = LogFormat.list(source, LogFormat.LOG_PREFIX).get(0);
        List<Long> offsets = recordOffsets(segment);
        long start = offsets.get(offsets.size() - 1);
        long end = SegmentScanner.scan(segment, null).validEnd();
        String before = digest(txns, 39);
        String all = digest(txns, 40);
        for (long cut = start; cut <= end; cut++) {
            for (boolean zeroFill : new boolean[] {false, true}) {
                Path logDir = dir.resolve("cut-" + cut + "-" + zeroFill);
                Files.createDirectories(logDir);
                Path copy = logDir.resolve(segment.getFileName());
                Files.copy(segment, copy);
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    if (zeroFill) {
                        // A power cut inside the preallocated file: the rest of the record never reached the disk.
                        ch.write(java.nio.ByteBuffer.allocate((int) (end - cut)), cut);
                    } else {
                        ch.truncate(cut);
                    }
                }
                boolean onlyZerosLeft = allZeroFrom(copy, start);
                Recovery.Result r = Recovery.recover(dir.resolve("nosnap"), logDir, true, true);
                if (cut == end) {
                    assertThat(r.lastZxid()).isEqualTo(40);
                    assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(all);
                    assertThat(r.problems()).isEmpty();
                    continue;
                }
                assertThat(r.lastZxid()).as("cut at %d", cut).isEqualTo(39);
                assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(before);
                if (onlyZerosLeft) {
                    // Indistinguishable from the unused preallocated tail: nothing of the record is left.
                    assertThat(r.problems()).isEmpty();
                } else {
                    assertThat(r.problems()).as("cut at %d zero %s", cut, zeroFill).singleElement().asString()
                            .contains(copy.toString()).contains("offset " + start);
                    assertThat(Files.size(copy)).isEqualTo(start);
                }
                // Recovering again finds a clean log.
                Recovery.Result again = Recovery.recover(dir.resolve("nosnap"), logDir, true, true);
                assertThat(again.problems()).isEmpty();
                assertThat(again.lastZxid()).isEqualTo(39);
            }
        }
    }

    private static boolean allZeroFrom(Path file, long from) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int i = (int) from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void corruptMiddleRecordStopsStartupNamingTheFile() throws Exception {
        List<Txn> txns = workload(4, 60);
        log(logs(), txns, 0, 60, 4096);
        Path segment = LogFormat.list(logs(), LogFormat.LOG_PREFIX).get(0);
        long offset = recordOffsets(segment).get(20);
        flipByte(segment, offset + LogFormat.RECORD_HEADER_BYTES + 3);
        long size = Files.size(segment);
        assertThatThrownBy(this::recover).isInstanceOf(RecoveryException.class)
                .hasMessageContaining(segment.toString()).hasMessageContaining("offset " + offset);
        assertThat(Files.size(segment)).isEqualTo(size); // nothing was cut
        // A flipped length field is found the same way.
        flipByte(segment, offset + LogFormat.RECORD_HEADER_BYTES + 3);
        flipByte(segment, offset + 1);
        assertThatThrownBy(this::recover).isInstanceOf(RecoveryException.class)
                .hasMessageContaining(segment.toString());
    }

    @Test
    void corruptMiddleRecordCoveredByASnapshotIsReportedAndStepped() throws Exception {
        List<Txn> txns = workload(5, 60);
        log(logs(), txns, 0, 60, 4096);
        snapshot(snaps(), txns, 40);
        Path segment = LogFormat.list(logs(), LogFormat.LOG_PREFIX).get(0);
        long offset = recordOffsets(segment).get(10);
        flipByte(segment, offset + LogFormat.RECORD_HEADER_BYTES + 1);
        Recovery.Result r = recover();
        assertThat(r.lastZxid()).isEqualTo(60);
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(digest(txns, 60));
        assertThat(r.problems()).singleElement().asString().contains(segment.toString())
                .contains("offset " + offset);
    }

    @Test
    void corruptSnapshotFallsBackToAnOlderOneAndTheLog() throws Exception {
        List<Txn> txns = workload(6, 80);
        log(logs(), txns, 0, 80, 4096);
        snapshot(snaps(), txns, 20);
        Path newest = snapshot(snaps(), txns, 50);
        flipByte(newest, Files.size(newest) / 2);
        Recovery.Result r = recover();
        assertThat(r.snapshotZxid()).isEqualTo(20);
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(digest(txns, 80));
        assertThat(r.problems()).singleElement().asString().contains(newest.toString());
    }

    @Test
    void corruptSnapshotWithoutTheLogToCoverItStopsStartup() throws Exception {
        List<Txn> txns = workload(7, 80);
        log(logs(), txns, 50, 80, 4096); // the entries up to 50 were purged with their snapshot
        Path newest = snapshot(snaps(), txns, 50);
        flipByte(newest, LogFormat.SNAPSHOT_HEADER_BYTES + 3);
        assertThatThrownBy(this::recover).isInstanceOf(RecoveryException.class)
                .hasMessageContaining(newest.toString());
        // Truncated snapshots and bad headers are caught too.
        Path copy = dir.resolve("snapshot.32");
        Files.copy(newest, copy);
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }
        assertThatThrownBy(() -> SnapshotFile.read(copy, true)).isInstanceOf(IOException.class);
    }

    @Test
    void emptyDirectoryRecoversTheInitialTree() throws Exception {
        Recovery.Result r = recover();
        assertThat(r.lastZxid()).isZero();
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(TreeDigest.of(new StateMachine(true)));
    }

    @Test
    void purgeKeepsWhatTheRetainedSnapshotsNeed() throws Exception {
        List<Txn> txns = workload(8, 100);
        for (int i = 0; i < 5; i++) {
            log(logs(), txns, i * 20, i * 20 + 20, 4096);
            if (i > 0) {
                snapshot(snaps(), txns, i * 20 + 5);
            }
        }
        // Snapshots 25, 45, 65, 85; segments from 1, 21, 41, 61, 81.
        List<Path> removed = Purge.run(snaps(), logs(), 3);
        assertThat(removed).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("snapshot.19", "log.1", "log.15");
        Recovery.Result r = recover();
        assertThat(r.snapshotZxid()).isEqualTo(85);
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(digest(txns, 100));
        // The oldest retained snapshot still recovers everything with the log that was kept.
        Files.delete(snaps().resolve("snapshot.55"));
        Files.delete(snaps().resolve("snapshot.41"));
        assertThat(TreeDigest.of(recover().stateMachine())).isEqualTo(digest(txns, 100));
    }
}
