package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.applied;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deflated snapshot bodies (header version 2) and the plain ones written before them (version 1). */
class SnapshotCompressionTest {
    @TempDir
    Path dir;

    private static Path write(Path dir, StateMachine sm, boolean deflate) throws IOException {
        TreeSnapshot.Capture c = TreeSnapshot.capture(sm);
        try {
            return SnapshotFile.write(dir, c, deflate);
        } finally {
            c.release();
        }
    }

    private static int headerVersion(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file), 4, 4).getInt();
    }

    @Test
    void deflatedSnapshotRoundTripsAndIsSmallerThanThePlainOne() throws Exception {
        List<Txn> txns = workload(21, 2000);
        StateMachine sm = applied(txns, 1500);
        Path deflated = write(dir.resolve("deflated"), sm, true);
        Path plain = write(dir.resolve("plain"), sm, false);
        assertThat(headerVersion(deflated)).isEqualTo(LogFormat.SNAPSHOT_VERSION_DEFLATE);
        assertThat(headerVersion(plain)).isEqualTo(LogFormat.SNAPSHOT_VERSION);
        assertThat(Files.size(deflated)).isLessThan(Files.size(plain));

        SnapshotFile.Loaded loaded = SnapshotFile.read(deflated, true);
        assertThat(loaded.zxid()).isEqualTo(1500);
        assertThat(TreeDigest.of(loaded.stateMachine())).isEqualTo(TreeDigest.of(sm));
        // It goes on exactly like the original (sequence counters, sessions).
        for (Txn t : txns.subList(1500, 2000)) {
            assertThat(loaded.stateMachine().apply(t)).isEqualTo(sm.apply(t));
        }
        assertThat(TreeDigest.of(loaded.stateMachine())).isEqualTo(TreeDigest.of(sm));
    }

    @Test
    void plainSnapshotOfTheOldFormatIsStillRead() throws Exception {
        StateMachine sm = applied(workload(22, 800), 800);
        // Version 1 as every release before compression wrote it: the serialised body stored as is.
        byte[] body = TreeSnapshot.serializeNow(sm);
        Path old = SnapshotFile.writeBody(dir, 800, body);
        byte[] file = Files.readAllBytes(old);
        assertThat(headerVersion(old)).isEqualTo(LogFormat.SNAPSHOT_VERSION);
        assertThat(Arrays.copyOfRange(file, LogFormat.SNAPSHOT_HEADER_BYTES, file.length)).isEqualTo(body);

        assertThat(TreeDigest.of(SnapshotFile.read(old, true).stateMachine())).isEqualTo(TreeDigest.of(sm));
    }

    @Test
    void recoveryReadsANewerDeflatedSnapshotOverAnOlderPlainOne() throws Exception {
        List<Txn> txns = workload(23, 900);
        Path olderPlain = write(dir, applied(txns, 400), false);
        StateMachine newer = applied(txns, 900);
        Path newerDeflated = write(dir, newer, true);
        Recovery.Result r = Recovery.load(dir, dir.resolve("no-log"), true, false);
        assertThat(r.snapshot()).isEqualTo(newerDeflated);
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(TreeDigest.of(newer));
        // A damaged newer snapshot falls back to the older plain one.
        flipByte(newerDeflated, (int) Files.size(newerDeflated) / 2);
        Recovery.Result fallback = Recovery.load(dir, dir.resolve("no-log"), true, false);
        assertThat(fallback.snapshot()).isEqualTo(olderPlain);
        assertThat(fallback.problems()).hasSize(1);
    }

    @Test
    void damagedDeflatedBodiesAreRefused() throws Exception {
        StateMachine sm = applied(workload(24, 600), 600);
        Path good = write(dir, sm, true);
        byte[] bytes = Files.readAllBytes(good);

        Path flipped = dir.resolve("flipped");
        byte[] f = bytes.clone();
        f[LogFormat.SNAPSHOT_HEADER_BYTES + f.length / 3] ^= 0x10;
        Files.write(flipped, f);
        assertThatThrownBy(() -> SnapshotFile.read(flipped, true)).isInstanceOf(IOException.class);

        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 7));
        assertThatThrownBy(() -> SnapshotFile.read(truncated, true)).isInstanceOf(IOException.class);

        Path trailing = dir.resolve("trailing");
        Files.write(trailing, Arrays.copyOf(bytes, bytes.length + 5));
        assertThatThrownBy(() -> SnapshotFile.read(trailing, true)).isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
    }

    private static void flipByte(Path file, int offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[offset] ^= 0x5a;
        Files.write(file, b);
    }
}
