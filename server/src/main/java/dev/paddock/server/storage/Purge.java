package dev.paddock.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes old snapshots and the log segments only they need, as ZooKeeper's autopurge does: keeps the
 * newest {@code retain} snapshots, every segment that starts after the oldest kept snapshot, and the one
 * segment that holds the entries just after it.
 */
public final class Purge {
    private static final Logger LOG = LoggerFactory.getLogger(Purge.class);

    private Purge() {
    }

    /** Returns the files removed. */
    public static List<Path> run(Path snapDir, Path logDir, int retain) throws IOException {
        List<Path> removed = new ArrayList<>();
        List<Path> snapshots = LogFormat.list(snapDir, LogFormat.SNAPSHOT_PREFIX);
        if (snapshots.size() <= retain) {
            return removed;
        }
        List<Path> old = snapshots.subList(0, snapshots.size() - retain);
        long oldestKept = LogFormat.zxidOf(snapshots.get(snapshots.size() - retain), LogFormat.SNAPSHOT_PREFIX);
        List<Path> segments = LogFormat.list(logDir, LogFormat.LOG_PREFIX);
        int keepFrom = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (LogFormat.zxidOf(segments.get(i), LogFormat.LOG_PREFIX) <= oldestKept + 1) {
                keepFrom = i;
            }
        }
        List<Path> doomed = new ArrayList<>(old);
        doomed.addAll(segments.subList(0, keepFrom));
        for (Path p : doomed) {
            Files.deleteIfExists(p);
            removed.add(p);
        }
        if (!removed.isEmpty()) {
            LOG.info("Purged {} old files (kept {} snapshots from zxid 0x{})", removed.size(), retain,
                    Long.toHexString(oldestKept));
        }
        return removed;
    }
}
