package dev.paddock.server.admin;

import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.tree.StateMachine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The AdminServer's snapshot, last_snapshot and restore.
 *
 * <p>snapshot (after {@link AdminAuth}): as ZooKeeper 3.9.5, refused with 503 when
 * {@code zookeeper.admin.snapshot.enabled=false}, rate limited to one per
 * {@code zookeeper.admin.rateLimiterIntervalInMS} (ZooKeeper applies that number as microseconds for
 * snapshot; so does Paddock, so a script paced for ZooKeeper is paced the same), answered 429 when too
 * soon; otherwise it writes a snapshot of the current state (as the {@code snap} word does: copy-on-write,
 * clients keep being served) and, once the file is durable, answers with the headers {@code last_zxid} and
 * {@code snapshot_size} and streams the file ({@code streaming=false}: JSON only). The file is Paddock's
 * snapshot format, which {@code bin/paddock dump} reads; ZooKeeper's tools do not.
 *
 * <p>restore is not supported: a restore must replace the state of every member through the log, which
 * Paddock does not do yet. After authentication it is answered 501 with that reason.
 */
public final class SnapshotCommand {
    static final String ENABLED_PROPERTY = "zookeeper.admin.snapshot.enabled";
    static final String RATE_PROPERTY = "zookeeper.admin.rateLimiterIntervalInMS";
    /** How long to wait for a snapshot to become durable before answering 500. */
    static final long WRITE_WAIT_MS = 120_000;
    private static final long POLL_MS = 10;

    private final StateMachine stateMachine;
    private final Path snapDir;
    private final Supplier<String> startSnapshot;
    private final FourLetterWords words;
    private final long intervalNanos = Long.getLong(RATE_PROPERTY, 300_000L) * 1_000L;
    private long lastAllowedNanos = Long.MIN_VALUE;

    /** @param startSnapshot starts a snapshot on the request thread (the snap word's action) */
    public SnapshotCommand(StateMachine stateMachine, Path snapDir, Supplier<String> startSnapshot,
                           FourLetterWords words) {
        this.stateMachine = stateMachine;
        this.snapDir = snapDir;
        this.startSnapshot = startSnapshot;
        this.words = words;
    }

    /** On the request thread. */
    void take(Map<String, String> params, Consumer<AdminResponse> reply) {
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            reply.accept(AdminResponse.error("snapshot", null, AdminCommands.SERVICE_UNAVAILABLE));
            return;
        }
        long now = System.nanoTime();
        if (lastAllowedNanos != Long.MIN_VALUE && now - lastAllowedNanos < intervalNanos) {
            reply.accept(AdminResponse.error("snapshot", null, 429));
            return;
        }
        lastAllowedNanos = now;
        boolean streaming = !"false".equalsIgnoreCase(params.getOrDefault("streaming", "true"));
        // The capture is of the state as it is now, on the request thread: its file is named by this zxid.
        long zxid = stateMachine.lastZxid();
        startSnapshot.get();
        Path file = snapDir.resolve(LogFormat.snapshotName(zxid));
        boolean queued = words.onWorker(() -> awaitFile(file), written -> reply.accept(answer(zxid, written,
                streaming)));
        if (!queued) {
            reply.accept(AdminResponse.error("snapshot", null, AdminCommands.SERVICE_UNAVAILABLE));
        }
    }

    /**
     * Waits (on the disk worker) until the snapshot file exists: it is written as .tmp, forced and renamed,
     * so its name appears only once it is whole. A snapshot already being written when this one was asked
     * for delays it; a full minute or two without the file is reported as ZooKeeper reports a failed one.
     */
    private static Path awaitFile(Path file) {
        long deadline = System.nanoTime() + WRITE_WAIT_MS * 1_000_000;
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return file;
    }

    private static AdminResponse answer(long zxid, Path file, boolean streaming) {
        if (file == null) {
            return AdminResponse.error("snapshot", null, 500);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return AdminResponse.error("snapshot", null, 500);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("last_zxid", "0x" + Long.toHexString(zxid));
        headers.put("snapshot_size", Long.toString(size));
        return new AdminResponse("snapshot", null, AdminResponse.OK, Map.of(), headers, streaming ? file : null);
    }

    /** last_snapshot: the newest snapshot file's zxid (hex) and time (seconds); "ffffffffffffffff", -1 if none. */
    static Map<String, Object> lastSnapshot(Path snapDir) {
        long newest = -1;
        long seconds = -1;
        if (Files.isDirectory(snapDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(snapDir, LogFormat.SNAPSHOT_PREFIX + "*")) {
                for (Path f : files) {
                    long zxid = LogFormat.zxidOf(f, LogFormat.SNAPSHOT_PREFIX);
                    if (zxid > newest) {
                        newest = zxid;
                        seconds = Files.getLastModifiedTime(f).toMillis() / 1000;
                    }
                }
            } catch (IOException e) {
                // A directory that cannot be read has no snapshot to report.
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zxid", Long.toHexString(newest));
        m.put("timestamp", seconds);
        return m;
    }

    static AdminResponse restore() {
        return AdminResponse.error("restore", "restore is not supported by Paddock yet: a restore must replace "
                + "every member's state through the log", 501);
    }
}
