package dev.paddock.server.admin;

import dev.paddock.server.stats.AdminCommandStats;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;

/**
 * The AdminServer's snapshot and last_snapshot.
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
 * <p>restore, which takes what this command streams, is {@link RestoreCommand}.
 */
public final class SnapshotCommand {
    static final String ENABLED_PROPERTY = "zookeeper.admin.snapshot.enabled";
    static final String RATE_PROPERTY = "zookeeper.admin.rateLimiterIntervalInMS";
    /** How long to wait for a snapshot to become durable before answering 500. */
    static final long WRITE_WAIT_MS = 120_000;
    private static final long POLL_MS = 10;
    static final int WAITING = 4;

    private final StateMachine stateMachine;
    private final Path snapDir;
    private final BooleanSupplier startSnapshot;
    /**
     * Waits for written snapshots, off the request thread and apart from the four-letter words' worker (a
     * snapshot of a large tree takes a while); at most {@value #WAITING} queued, more are answered 503. Its
     * thread ends when idle, so a server that is never asked for a snapshot has none.
     */
    private final ThreadPoolExecutor waiter = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WAITING), r -> {
                Thread t = new Thread(r, "paddock-admin-snapshot");
                t.setDaemon(true);
                return t;
            });
    /** ZooKeeper's interval, read as it reads it for snapshot: microseconds (300000: 300 ms). */
    private final long intervalMs = Long.getLong(RATE_PROPERTY, 300_000L) / 1_000L;
    private final Clock clock;
    private final AdminCommandStats stats;
    private long lastAllowedMs = Long.MIN_VALUE;

    /**
     * @param startSnapshot starts a snapshot of the current state on the request thread (the snap word's
     *                      action); false when one is already being written, so none was started
     */
    public SnapshotCommand(StateMachine stateMachine, Path snapDir, BooleanSupplier startSnapshot, Clock clock,
                           AdminCommandStats stats) {
        this.clock = clock;
        this.stats = stats;
        this.stateMachine = stateMachine;
        this.snapDir = snapDir;
        this.startSnapshot = startSnapshot;
        waiter.allowCoreThreadTimeOut(true);
    }

    /** On the request thread. */
    void take(Map<String, String> params, Consumer<AdminResponse> reply) {
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            reply.accept(AdminResponse.error("snapshot", null, AdminCommands.SERVICE_UNAVAILABLE));
            return;
        }
        long now = clock.monotonicMs();
        if (lastAllowedMs != Long.MIN_VALUE && now - lastAllowedMs < intervalMs) {
            stats.snapshotRateLimited();
            reply.accept(AdminResponse.error("snapshot", null, 429));
            return;
        }
        lastAllowedMs = now;
        boolean streaming = !"false".equalsIgnoreCase(params.getOrDefault("streaming", "true"));
        // The capture is of the state as it is now, on the request thread: its file is named by this zxid.
        long zxid = stateMachine.lastZxid();
        Path file = snapDir.resolve(LogFormat.snapshotName(zxid));
        // Only the request thread queues here, so room seen now is still there after the snapshot starts.
        if (waiter.getQueue().remainingCapacity() == 0) {
            reply.accept(AdminResponse.error("snapshot", null, AdminCommands.SERVICE_UNAVAILABLE));
            return;
        }
        if (!startSnapshot.getAsBoolean()) {
            // One snapshot at a time (the periodic one is being written): this one was not taken.
            reply.accept(AdminResponse.error("snapshot", "a snapshot is already being written; ask again",
                    AdminCommands.SERVICE_UNAVAILABLE));
            return;
        }
        waiter.execute(() -> {
            AdminResponse answer = answer(zxid, awaitFile(file, clock), streaming);
            if (answer.status() != AdminResponse.OK) {
                stats.snapshotError();
            }
            reply.accept(answer);
        });
    }

    /**
     * Waits (on the waiter thread) until the snapshot file exists: it is written as .tmp, forced and renamed,
     * so its name appears only once it is whole. Two minutes without the file is reported as ZooKeeper
     * reports a failed snapshot (500); a snapshot that cannot be written stops the server anyway.
     */
    private static Path awaitFile(Path file, Clock clock) {
        long deadline = clock.monotonicMs() + WRITE_WAIT_MS;
        while (!Files.exists(file)) {
            if (clock.monotonicMs() > deadline) {
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
}
