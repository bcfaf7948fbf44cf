package dev.paddock.server.log;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable storage of one server: the transaction log writer, the snapshot policy and the snapshot and
 * purge thread. The methods without a thread named run on the request thread.
 *
 * <p>Snapshots: after a number of applied entries drawn at random between snapCount/2 and snapCount (so
 * the members of an ensemble do not all snapshot at once, as in ZooKeeper), the request thread captures a
 * copy-on-write view of the state ({@link TreeSnapshot#capture}), asks the writer to start a new segment,
 * and the snapshot thread writes the file while writes go on. One snapshot at a time; when the next is due
 * while one is being written, it waits for it.
 */
public final class Storage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

    private final Path snapDir;
    private final Path logDir;
    private final int snapCount;
    private final int retain;
    private final Random random;
    private final Executor requestThread;
    private final LogWriter log;
    private final ScheduledExecutorService background;
    private long appliedSinceSnapshot;
    private long threshold;
    private boolean snapshotRunning;
    private volatile Path lastSnapshot;

    public static Path snapDir(ServerConfig config) {
        return config.dataDir().resolve(LogFormat.SUBDIR);
    }

    public static Path logDir(ServerConfig config) {
        return config.dataLogDir().resolve(LogFormat.SUBDIR);
    }

    /** Loads the newest valid snapshot and replays the log (repairing a torn tail). */
    public static Recovery.Result recover(ServerConfig config) throws IOException, RecoveryException {
        return Recovery.recover(snapDir(config), logDir(config), config.extendedTypesEnabled(), true);
    }

    /**
     * @param requestThread runs tasks on the request thread (the snapshot thread hands results back there)
     * @param onLogFailure  told once when the log cannot be written; no write is acknowledged after that
     */
    public Storage(ServerConfig config, Executor requestThread, Random random, Consumer<Throwable> onLogFailure)
            throws IOException {
        this.snapDir = snapDir(config);
        this.logDir = logDir(config);
        this.snapCount = config.snapCount();
        this.retain = config.snapRetainCount();
        this.random = random;
        this.requestThread = requestThread;
        java.nio.file.Files.createDirectories(snapDir);
        this.log = new LogWriter(logDir, config.preAllocSizeKb() * 1024, config.forceSync(),
                LogWriter.DEFAULT_QUEUE_CAPACITY, onLogFailure);
        ScheduledThreadPoolExecutor bg = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "paddock-snapshot");
            t.setDaemon(true);
            return t;
        });
        bg.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.background = bg;
        this.threshold = nextThreshold();
        if (config.purgeIntervalHours() > 0) {
            background.scheduleWithFixedDelay(this::purge, 0, config.purgeIntervalHours(), TimeUnit.HOURS);
        }
    }

    private long nextThreshold() {
        return snapCount / 2 + random.nextInt(Math.max(1, snapCount / 2)) + 1;
    }

    public void start(BooleanSupplier onDurable) {
        log.onDurable(onDurable);
        log.start();
    }

    public LogWriter log() {
        return log;
    }

    /** Queues an entry for the log; blocks while the log's queue is full. */
    public void append(Txn txn, Object attachment) throws InterruptedException {
        log.append(new LogWriter.Entry(txn, attachment));
    }

    public LogWriter.Entry pollDurable() {
        return log.pollDurable();
    }

    /** Counts one applied entry and starts a snapshot when one is due. */
    public void applied(StateMachine stateMachine) {
        appliedSinceSnapshot++;
        if (appliedSinceSnapshot >= threshold && !snapshotRunning) {
            startSnapshot(stateMachine);
        }
    }

    /** The {@code snap} four-letter word. */
    public String snapshotNow(StateMachine stateMachine) {
        if (snapshotRunning) {
            return "A snapshot is already being written.\n";
        }
        long zxid = startSnapshot(stateMachine);
        return "Snapshot of zxid 0x" + Long.toHexString(zxid) + " started in " + snapDir + "\n";
    }

    public boolean snapshotRunning() {
        return snapshotRunning;
    }

    public Path lastSnapshot() {
        return lastSnapshot;
    }

    private long startSnapshot(StateMachine stateMachine) {
        long t0 = System.nanoTime();
        TreeSnapshot.Capture capture = TreeSnapshot.capture(stateMachine);
        long captureUs = (System.nanoTime() - t0) / 1000;
        snapshotRunning = true;
        appliedSinceSnapshot = 0;
        threshold = nextThreshold();
        try {
            log.roll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            LOG.warn("Cannot start a new log segment: {}", e.getMessage());
        }
        background.execute(() -> {
            try {
                long w0 = System.nanoTime();
                Path file = SnapshotFile.write(snapDir, capture);
                lastSnapshot = file;
                LOG.info("Snapshot {} written: {} nodes, {} sessions, capture {} us on the request thread, "
                                + "written in {} ms, {} nodes copied on write", file.getFileName(),
                        capture.nodeCount(), capture.sessionCount(), captureUs,
                        (System.nanoTime() - w0) / 1_000_000, capture.copiedOnWrite());
            } catch (IOException | RuntimeException e) {
                LOG.error("Snapshot of zxid 0x{} failed", Long.toHexString(capture.zxid()), e);
            } finally {
                requestThread.execute(() -> {
                    capture.release();
                    snapshotRunning = false;
                });
            }
        });
        return capture.zxid();
    }

    private void purge() {
        try {
            Purge.run(snapDir, logDir, retain);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Purge of old snapshots and logs failed", e);
        }
    }

    /** Writes and forces everything queued, lets a running snapshot finish, then stops both threads. */
    @Override
    public void close() {
        log.close();
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
