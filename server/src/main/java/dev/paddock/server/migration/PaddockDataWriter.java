package dev.paddock.server.migration;

import dev.paddock.server.storage.EpochFiles;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.SnapshotFile;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes an imported state as a Paddock data directory with the storage engine's own formats: a snapshot at
 * the imported zxid and the two epoch files (ZooKeeper's current and accepted epochs, each at least the epoch
 * of the last zxid), so the first epoch Paddock establishes (one more than the largest accepted epoch) is
 * larger than any ZooKeeper used, and its zxids follow ZooKeeper's. No log
 * segment: the snapshot holds everything.
 *
 * <p>Atomic: everything is written and forced in {@code paddock-1.import} beside the target, which is then
 * renamed to {@code paddock-1}. A failure (or a crash) leaves no {@code paddock-1}, so the next start
 * imports again; a leftover {@code paddock-1.import} is removed first.
 */
final class PaddockDataWriter {
    static final String TEMP_SUFFIX = ".import";

    private PaddockDataWriter() {
    }

    /** @return the snapshot file written, under its final name */
    static Path write(Path dataDir, StateMachine state, long acceptedEpoch, long currentEpoch) throws IOException {
        Path target = dataDir.resolve(LogFormat.SUBDIR);
        if (Files.exists(target)) {
            throw new ImportException(target + " already exists: this data directory already holds Paddock data");
        }
        Path tmp = dataDir.resolve(LogFormat.SUBDIR + TEMP_SUFFIX);
        deleteTree(tmp);
        Path snapshot;
        try {
            Files.createDirectories(tmp);
            TreeSnapshot.Capture capture = TreeSnapshot.capture(state);
            try {
                snapshot = SnapshotFile.write(tmp, capture);
            } finally {
                capture.release();
            }
            EpochFiles epochs = new EpochFiles(tmp);
            epochs.accept(acceptedEpoch, -1);
            epochs.setCurrent(currentEpoch);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            LogFormat.syncDirectory(dataDir);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        return target.resolve(snapshot.getFileName());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
