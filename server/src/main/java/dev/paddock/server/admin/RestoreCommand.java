package dev.paddock.server.admin;

import dev.paddock.server.migration.ZkSnapshotBody;
import dev.paddock.server.stats.AdminCommandStats;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.SnapshotUpload;
import dev.paddock.server.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AdminServer's restore (POST, after {@link AdminAuth}), as ZooKeeper 3.9.5 answers it: 503 when
 * {@code zookeeper.admin.restore.enabled=false}, 429 when the rate limit (one restore per
 * {@code zookeeper.admin.rateLimiterIntervalInMS}, milliseconds here, 5 minutes by default; the window
 * starts with the server, as ZooKeeper's limiter does) says so, 500 when the snapshot cannot be restored,
 * else 200 with {@code last_zxid}. The body is a snapshot as the snapshot command streams it: Paddock's,
 * or ZooKeeper's (uncompressed, read as an import reads it, {@link ZkSnapshotBody}); the HTTP side writes it to {@value #UPLOAD_NAME} in the snapshot directory, at most
 * {@code paddock.admin.restore.maxBytes} (1 GiB by default; ZooKeeper has no limit), one upload at a time.
 *
 * <p>Beyond ZooKeeper, whose restore swaps the in-memory database only (a restart brings back the old
 * state and log), Paddock's restore is durable: the state takes a new zxid after everything logged, the log
 * is reset to it, and the answer comes once its snapshot file is on disk. Standalone only (an ensemble
 * member answers 500 saying why): ZooKeeper restores each member on its own, which in Paddock would leave
 * members whose logs disagree.
 */
public final class RestoreCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCommand.class);
    static final String ENABLED_PROPERTY = "zookeeper.admin.restore.enabled";
    public static final String MAX_BYTES_PROPERTY = "paddock.admin.restore.maxBytes";
    static final long DEFAULT_MAX_BYTES = 1L << 30;
    public static final String UPLOAD_NAME = "restore.upload";
    /** How long the log writer may take to reset the log to the restored snapshot before 500 is answered. */
    static final long RESET_WAIT_MS = 120_000;
    private static final long POLL_MS = 10;

    /** The server's side of a restore (the write path's), on the request thread. */
    public interface Target {
        /**
         * Replaces the state with the snapshot body; returns the restored state's zxid.
         *
         * @throws IOException when the body does not decode (nothing changed)
         * @throws Refused     when the server cannot restore now or at all (nothing changed)
         */
        long restore(byte[] body) throws IOException, Refused;
    }

    /** A restore the server refuses, with the HTTP status to answer. */
    public static final class Refused extends Exception {
        private final int status;

        public Refused(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    private final boolean extendedTypes;
    private final Path snapDir;
    private final Path logDir;
    private final Path uploadFile;
    private final long maxBytes = Long.getLong(MAX_BYTES_PROPERTY, DEFAULT_MAX_BYTES);
    private final Target target;
    private final Executor requestThread;
    private final Clock clock;
    private final AdminCommandStats stats;
    /** Taken by the HTTP thread when a body starts, released when its command has used or refused the file. */
    private final AtomicBoolean uploading = new AtomicBoolean();
    /** Reads and verifies the upload, then waits for the durable snapshot: off the request thread; one at a time. */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(2), r -> {
                Thread t = new Thread(r, "paddock-admin-restore");
                t.setDaemon(true);
                return t;
            });
    /** ZooKeeper's interval for restore, in milliseconds (its limiter reads the same number as ms here). */
    private final long intervalMs = Long.getLong(SnapshotCommand.RATE_PROPERTY, 300_000L);
    private long windowStartMs;
    private int remaining = 1;

    /** @param extendedTypes how a ZooKeeper snapshot's ephemeral owners read (zookeeper.extendedTypesEnabled) */
    public RestoreCommand(Path snapDir, Path logDir, boolean extendedTypes, Target target, Executor requestThread,
                          Clock clock, AdminCommandStats stats) {
        this.stats = stats;
        this.extendedTypes = extendedTypes;
        this.snapDir = snapDir;
        this.logDir = logDir;
        this.uploadFile = snapDir.resolve(UPLOAD_NAME);
        this.target = target;
        this.requestThread = requestThread;
        this.clock = clock;
        this.windowStartMs = clock.monotonicMs();
        worker.allowCoreThreadTimeOut(true);
        try {
            // An upload cut short by a crash is of no use to anyone.
            Files.deleteIfExists(uploadFile);
        } catch (IOException e) {
            LOG.warn("Cannot remove the leftover restore upload {}", uploadFile, e);
        }
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"));
    }

    /**
     * The HTTP thread, when a restore's body begins: the file to write it to, or null when the body is not
     * wanted (restore disabled, or another upload under way) and should be dropped; the command then answers
     * as without a body.
     */
    public Path beginUpload() {
        if (!enabled() || !uploading.compareAndSet(false, true)) {
            return null;
        }
        try {
            Files.createDirectories(snapDir);
            Files.deleteIfExists(uploadFile);
        } catch (IOException e) {
            uploading.set(false);
            LOG.warn("Cannot prepare the restore upload {}", uploadFile, e);
            return null;
        }
        return uploadFile;
    }

    /** The largest body written to the upload file; a larger one is refused (413). */
    public long maxBytes() {
        return maxBytes;
    }

    /** The HTTP thread gave up on an upload it began (too large, connection gone): frees the file. */
    public void abandonUpload(Path file) {
        release(file);
    }

    private void release(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove the restore upload {}", file, e);
        }
        uploading.set(false);
    }

    /** On the request thread; {@code upload} is the body's file, null when there is none. */
    void run(Path upload, Consumer<AdminResponse> reply) {
        if (!enabled()) {
            release(upload);
            reply.accept(AdminResponse.error("restore", null, AdminCommands.SERVICE_UNAVAILABLE));
            return;
        }
        if (upload == null) {
            reply.accept(AdminResponse.error("restore", "no snapshot in the request body", 400));
            return;
        }
        if (!allow()) {
            release(upload);
            stats.restoreRateLimited();
            reply.accept(AdminResponse.error("restore", null, 429));
            return;
        }
        try {
            worker.execute(() -> read(upload, reply));
        } catch (RejectedExecutionException e) {
            release(upload);
            reply.accept(AdminResponse.error("restore", "a restore is under way", AdminCommands.SERVICE_UNAVAILABLE));
        }
    }

    /** ZooKeeper's RateLimiter(1, interval): one per window; a call after the window opens a new one. */
    private boolean allow() {
        long now = clock.monotonicMs();
        if (now > windowStartMs + intervalMs) {
            remaining = 1;
            windowStartMs = now;
        }
        if (remaining > 0) {
            remaining--;
            return true;
        }
        return false;
    }

    /** The worker: the body into memory (checked), then the swap on the request thread. */
    private void read(Path upload, Consumer<AdminResponse> reply) {
        SnapshotUpload.Body body;
        try {
            body = ZkSnapshotBody.isZooKeeperSnapshot(upload)
                    ? new SnapshotUpload.Body(-1, ZkSnapshotBody.read(upload, extendedTypes))
                    : SnapshotUpload.read(upload, maxBytes);
        } catch (IOException e) {
            failed(reply, "not a snapshot Paddock can restore: " + e.getMessage());
            return;
        } finally {
            release(upload);
        }
        LOG.info("Restoring a {} snapshot ({} bytes as Paddock's)", body.sourceZxid() < 0 ? "ZooKeeper"
                : "Paddock zxid 0x" + Long.toHexString(body.sourceZxid()), body.bytes().length);
        try {
            requestThread.execute(() -> swap(body, reply));
        } catch (RejectedExecutionException e) {
            reply.accept(AdminResponse.error("restore", "the server is busy", AdminCommands.SERVICE_UNAVAILABLE));
        }
    }

    private void swap(SnapshotUpload.Body body, Consumer<AdminResponse> reply) {
        long started = clock.monotonicMs();
        long zxid;
        try {
            zxid = target.restore(body.bytes());
        } catch (IOException e) {
            failed(reply, "not a snapshot Paddock can restore: " + e.getMessage());
            return;
        } catch (Refused e) {
            LOG.warn("Restore refused: {}", e.getMessage());
            if (e.status == 500) {
                stats.restoreError();
            }
            reply.accept(AdminResponse.error("restore", e.getMessage(), e.status));
            return;
        }
        Path file = snapDir.resolve(LogFormat.snapshotName(zxid));
        try {
            worker.execute(() -> durable(zxid, file, started, reply));
        } catch (RejectedExecutionException e) {
            // The pool has room for this one (the restore holds the only upload), so this is a shutdown.
            reply.accept(AdminResponse.error("restore", "the server is stopping", AdminCommands.SERVICE_UNAVAILABLE));
        }
    }

    /**
     * Answers once the log is reset to the restored state: its snapshot is on disk and no older segment is left
     * (the log writer does both in that order), so from then on a restart, even a crash, comes back to it.
     */
    private void durable(long zxid, Path file, long started, Consumer<AdminResponse> reply) {
        long deadline = clock.monotonicMs() + RESET_WAIT_MS;
        while (!Files.exists(file) || olderSegmentLeft(zxid)) {
            if (clock.monotonicMs() > deadline) {
                failed(reply, "the log was not reset to the restored state's snapshot " + file + " in time");
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed(reply, "interrupted while waiting for the restored state's snapshot");
                return;
            }
        }
        stats.restoreTime(clock.monotonicMs() - started);
        LOG.info("Restore done: the state is the snapshot's, at zxid 0x{}", Long.toHexString(zxid));
        reply.accept(AdminResponse.ok("restore", Map.of("last_zxid", zxid)));
    }

    private boolean olderSegmentLeft(long zxid) {
        try {
            return LogFormat.list(logDir, LogFormat.LOG_PREFIX).stream()
                    .anyMatch(p -> LogFormat.zxidOf(p, LogFormat.LOG_PREFIX) <= zxid);
        } catch (IOException e) {
            return true; // asked again until the deadline
        }
    }

    private void failed(Consumer<AdminResponse> reply, String why) {
        stats.restoreError();
        LOG.warn("Restore failed: {}", why);
        reply.accept(AdminResponse.error("restore", why, 500));
    }
}
