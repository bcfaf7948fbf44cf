package dev.paddock.server.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ZooKeeper files of a data directory: snapshots in {@code <dataDir>/version-2}, logs in
 * {@code <dataLogDir>/version-2} (the same directory when dataLogDir is not set), and the
 * {@code currentEpoch}/{@code acceptedEpoch} files beside the snapshots. Names carry a zxid in lower-case hex
 * without padding, so they are sorted by number, not by name (ZooKeeper's {@code Util.sortDataDir}).
 */
record ZkDataDir(Path snapDir, Path logDir, List<Named> snapshots, List<Named> logs) {
    static final String SUBDIR = "version-2";

    /** A file and the zxid its name carries. */
    record Named(Path file, long zxid) {
    }

    static ZkDataDir of(Path dataDir, Path dataLogDir) throws IOException {
        Path snapDir = dataDir.resolve(SUBDIR);
        Path logDir = dataLogDir.resolve(SUBDIR);
        List<Named> snapshots = list(snapDir, "snapshot");
        List<Named> logs = list(logDir, "log");
        return new ZkDataDir(snapDir, logDir, snapshots, logs);
    }

    boolean isEmpty() {
        return snapshots.isEmpty() && logs.isEmpty();
    }

    /** Files named {@code prefix.<hex>[.suffix]}, oldest first; names that do not parse are not ZooKeeper's. */
    private static List<Named> list(Path dir, String prefix) throws IOException {
        List<Named> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + ".*")) {
            for (Path f : files) {
                String[] parts = f.getFileName().toString().split("\\.");
                if (!Files.isRegularFile(f) || parts.length < 2 || parts.length > 3 || !parts[0].equals(prefix)) {
                    continue;
                }
                if (parts.length == 3 && !(prefix.equals("snapshot") && (parts[2].equals("gz")
                        || parts[2].equals("snappy")))) {
                    continue;
                }
                try {
                    out.add(new Named(f, Long.parseUnsignedLong(parts[1], 16)));
                } catch (NumberFormatException e) {
                    // Not a name ZooKeeper writes (ZooKeeper ignores it too).
                }
            }
        }
        out.sort(Comparator.comparingLong(Named::zxid));
        return out;
    }

    /** ZooKeeper's {@code currentEpoch} file: the epoch of the last leader it synchronised with (0 if none). */
    long currentEpoch() throws IOException {
        return epochFile("currentEpoch");
    }

    /** ZooKeeper's {@code acceptedEpoch} file: the newest epoch it promised to a leader (0 if none). */
    long acceptedEpoch() throws IOException {
        return epochFile("acceptedEpoch");
    }

    private long epochFile(String name) throws IOException {
        Path p = snapDir.resolve(name);
        if (!Files.isRegularFile(p)) {
            return 0;
        }
        String text = Files.readString(p, StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ImportException(p + ": not an epoch number: \"" + text + "\"");
        }
    }
}
