package dev.paddock.server.storage;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's storage, opened the same way in every mode: a data directory from an older Paddock is brought
 * to the current layout, {@link Recovery#load} reads the newest valid snapshot and the log after it
 * (strictly), and the log and the snapshot service start. The state machine stays at the snapshot: the
 * member applies the logged entries once it knows they are committed.
 *
 * <p>One background thread ({@code paddock-snapshot}) writes the snapshots and runs autopurge
 * ({@code autopurge.purgeInterval} hours, {@code autopurge.snapRetainCount}).
 */
public final class ServerStorage implements MemberStorage {
    private static final Logger LOG = LoggerFactory.getLogger(ServerStorage.class);
    /** The log's in-memory tail triggers a snapshot at this size, whatever snapCount says. */
    public static final long DEFAULT_MAX_TAIL_BYTES = 256L * 1024 * 1024;

    private final StorageLayout layout;
    private final Recovery.Result recovered;
    private final ReplicaLog log;
    private final SnapshotService snapshots;
    /** The last zxid read at start-up when there was log after the snapshot; 0 once a snapshot covers it. */
    private long snapshotAfterReplayZxid;
    private final ScheduledThreadPoolExecutor background;

    private ServerStorage(StorageLayout layout, Recovery.Result recovered, ReplicaLog log, SnapshotService snapshots,
                          ScheduledThreadPoolExecutor background) {
        this.layout = layout;
        this.recovered = recovered;
        this.log = log;
        this.snapshots = snapshots;
        this.snapshotAfterReplayZxid = recovered.replayed() == 0 ? 0 : recovered.lastZxid();
        this.background = background;
    }

    /**
     * @param requestThread runs the snapshot service's hand-backs on the request thread
     * @param wake          called on the log writer's thread when entries became durable; false = ask again
     * @param everyEntryCommitted whether everything this server logged is committed (a standalone server, the
     *                      only member of its quorum): then start-up applies the log as it reads it
     *                      ({@link Recovery#loadApplying}) instead of leaving it for the member to read back
     * @throws RecoveryException when the data on disk cannot be read without losing acknowledged entries
     */
    public static ServerStorage open(ServerConfig config, Executor requestThread, RandomGenerator random,
                                     BooleanSupplier wake, boolean everyEntryCommitted)
            throws IOException, RecoveryException {
        StorageLayout layout = StorageLayout.of(config);
        Files.createDirectories(layout.snapDir());
        Files.createDirectories(layout.logDir());
        LegacyMemberLog.convertIfPresent(layout);
        ReplicaLog.TailBound window = ReplicaLog.TailBound.fromSystemProperties();
        Recovery.Result recovered = everyEntryCommitted
                ? Recovery.loadApplying(layout.snapDir(), layout.logDir(), config.extendedTypesEnabled(), true, window)
                : Recovery.load(layout.snapDir(), layout.logDir(), config.extendedTypesEnabled(), true, window);
        LOG.info("Read snapshot zxid 0x{} ({} nodes, {} sessions) in {} ms and {} log entries after it in {} ms",
                Long.toHexString(recovered.snapshotZxid()), recovered.stateMachine().tree().nodeCount(),
                recovered.stateMachine().sessions().size(), recovered.loadSnapshotMs(), recovered.replayed(),
                recovered.replayMs());
        ReplicaLog log = ReplicaLog.open(layout.snapDir(), layout.logDir(), recovered,
                config.preAllocSizeKb() * 1024L, config.forceSync(), window, wake,
                t -> FatalFaults.stop(FatalFaults.STORAGE_ERROR,
                        "Severe unrecoverable error writing the transaction log in " + layout.logDir(), t));
        ScheduledThreadPoolExecutor background = snapshotThread();
        SnapshotService snapshots = new SnapshotService(config.snapCount(), DEFAULT_MAX_TAIL_BYTES, log,
                fileWriter(layout), background, requestThread, random);
        if (config.purgeIntervalHours() > 0) {
            int retain = Math.max(3, config.snapRetainCount());
            background.scheduleWithFixedDelay(() -> purge(layout, retain), 0, config.purgeIntervalHours(),
                    TimeUnit.HOURS);
        }
        return new ServerStorage(layout, recovered, log, snapshots, background);
    }

    private static ScheduledThreadPoolExecutor snapshotThread() {
        ScheduledThreadPoolExecutor bg = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "paddock-snapshot");
            t.setDaemon(true);
            return t;
        });
        bg.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return bg;
    }

    /** Snapshots as files in the layout's snapshot directory ({@link SnapshotFile}). */
    static SnapshotService.Writer fileWriter(StorageLayout layout) {
        return new SnapshotService.Writer() {
            @Override
            public String write(TreeSnapshot.Capture capture) throws IOException {
                return SnapshotFile.write(layout.snapDir(), capture).getFileName().toString();
            }

            @Override
            public String where() {
                return layout.snapDir().toString();
            }
        };
    }

    private static void purge(StorageLayout layout, int retain) {
        try {
            Purge.run(layout.snapDir(), layout.logDir(), retain);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Purge of old snapshots and logs failed", e);
        }
    }

    public StorageLayout layout() {
        return layout;
    }

    /** What start-up read: the state machine at the snapshot and the entries after it. */
    public Recovery.Result recovered() {
        return recovered;
    }

    @Override
    public StateMachine recoveredState() {
        return recovered.stateMachine();
    }

    @Override
    public ReplicaLog log() {
        return log;
    }

    public SnapshotService snapshots() {
        return snapshots;
    }

    @Override
    public void applied(StateMachine stateMachine) {
        if (!snapshotAfterReplay(stateMachine)) {
            snapshots.applied(stateMachine);
        }
    }

    @Override
    public void tookRecoveredState(StateMachine stateMachine) {
        snapshotAfterReplay(stateMachine);
    }

    /**
     * As ZooKeeper does after loading: once the log read at start-up is applied, a snapshot, so the next start
     * reads it instead of replaying the same log again. Copy-on-write, so clients are served while it is
     * written. True when it started one.
     */
    private boolean snapshotAfterReplay(StateMachine stateMachine) {
        if (snapshotAfterReplayZxid == 0 || stateMachine.lastZxid() < snapshotAfterReplayZxid) {
            return false;
        }
        snapshotAfterReplayZxid = 0;
        LOG.info("After applying the log read at start-up: {}", snapshots.snapshotNow(stateMachine).strip());
        return true;
    }

    @Override
    public String snapshotNow(StateMachine stateMachine) {
        return snapshots.snapshotNow(stateMachine);
    }

    /** Lets a running snapshot finish, then writes and forces everything queued. */
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
        log.close();
    }
}
