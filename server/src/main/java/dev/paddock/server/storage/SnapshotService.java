package dev.paddock.server.storage;

import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how a server snapshots its state, in every mode. Methods without a thread named run on the
 * request thread.
 *
 * <p>A snapshot is due after a number of applied entries drawn at random between snapCount/2 and snapCount
 * (so the members of an ensemble do not all snapshot at once, as in ZooKeeper), or once the log's in-memory
 * tail holds {@code maxTailBytes}. The request thread captures a copy-on-write view of the state
 * ({@link TreeSnapshot#capture}) and asks the log for a new segment; the snapshot thread writes the file
 * while writes go on; then, back on the request thread, the capture is released and the log forgets the
 * entries the snapshot covers. One snapshot at a time; one that falls due meanwhile waits for it.
 *
 * <p>A snapshot that cannot be written stops the process (as ZooKeeper's does): the log would otherwise
 * grow without bound. Autopurge ({@code autopurge.purgeInterval} hours, {@code autopurge.snapRetainCount})
 * runs on the snapshot thread.
 */
public final class SnapshotService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);
    /** ZooKeeper's ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT. */
    private static final int SNAPSHOT_FAILED_EXIT = 10;

    private final Path snapDir;
    private final Path logDir;
    private final int snapCount;
    private final long maxTailBytes;
    private final RandomGenerator random;
    private final Executor requestThread;
    private final ReplicaLog log;
    private final ScheduledExecutorService background;
    private long appliedSinceSnapshot;
    private long threshold;
    private boolean running;
    private volatile Path lastSnapshot;

    /**
     * @param requestThread runs tasks on the request thread (the snapshot thread hands results back there)
     */
    public SnapshotService(StorageLayout layout, int snapCount, long maxTailBytes, int purgeIntervalHours,
                           int retainCount, ReplicaLog log, Executor requestThread, RandomGenerator random) {
        this.snapDir = layout.snapDir();
        this.logDir = layout.logDir();
        this.snapCount = Math.max(2, snapCount);
        this.maxTailBytes = maxTailBytes;
        this.random = random;
        this.requestThread = requestThread;
        this.log = log;
        ScheduledThreadPoolExecutor bg = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "paddock-snapshot");
            t.setDaemon(true);
            return t;
        });
        bg.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.background = bg;
        this.threshold = nextThreshold();
        if (purgeIntervalHours > 0) {
            int retain = Math.max(3, retainCount);
            background.scheduleWithFixedDelay(() -> purge(retain), 0, purgeIntervalHours, TimeUnit.HOURS);
        }
    }

    private long nextThreshold() {
        return snapCount / 2 + random.nextInt(Math.max(1, snapCount / 2)) + 1;
    }

    /** Counts one applied entry and starts a snapshot when one is due. */
    public void applied(StateMachine stateMachine) {
        appliedSinceSnapshot++;
        if ((appliedSinceSnapshot >= threshold || log.tailBytes() >= maxTailBytes) && !running) {
            start(stateMachine);
        }
    }

    /** The {@code snap} four-letter word. */
    public String snapshotNow(StateMachine stateMachine) {
        if (running) {
            return "A snapshot is already being written.\n";
        }
        long zxid = start(stateMachine);
        return "Snapshot of zxid 0x" + Long.toHexString(zxid) + " started in " + snapDir + "\n";
    }

    public boolean running() {
        return running;
    }

    public Path lastSnapshot() {
        return lastSnapshot;
    }

    private long start(StateMachine stateMachine) {
        long t0 = System.nanoTime();
        TreeSnapshot.Capture capture = TreeSnapshot.capture(stateMachine);
        long captureUs = (System.nanoTime() - t0) / 1000;
        running = true;
        appliedSinceSnapshot = 0;
        threshold = nextThreshold();
        log.roll();
        background.execute(() -> write(capture, captureUs));
        return capture.zxid();
    }

    /** Snapshot thread. */
    private void write(TreeSnapshot.Capture capture, long captureUs) {
        try {
            long w0 = System.nanoTime();
            Path file = SnapshotFile.write(snapDir, capture);
            lastSnapshot = file;
            LOG.info("Snapshot {} written: {} nodes, {} sessions, capture {} us on the request thread, "
                            + "written in {} ms, {} nodes copied on write", file.getFileName(),
                    capture.nodeCount(), capture.sessionCount(), captureUs,
                    (System.nanoTime() - w0) / 1_000_000, capture.copiedOnWrite());
            requestThread.execute(() -> {
                capture.release();
                log.compactTo(capture.zxid());
                running = false;
            });
        } catch (IOException | RuntimeException e) {
            FatalFaults.stop(SNAPSHOT_FAILED_EXIT, "cannot write the snapshot of zxid 0x"
                    + Long.toHexString(capture.zxid()) + " in " + snapDir, e);
        }
    }

    private void purge(int retain) {
        try {
            Purge.run(snapDir, logDir, retain);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Purge of old snapshots and logs failed", e);
        }
    }

    /** Lets a running snapshot finish, then stops the thread. */
    @Override
    public void close() {
        background.shutdown();
        try {
            if (!background.awaitTermination(60, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
