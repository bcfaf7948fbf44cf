package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.applied;
import static dev.paddock.server.storage.LogTestSupport.entry;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage hazards the code review found by reading (H1-H5), each as the scenario that would have hit
 * it, against the one storage engine every mode now uses.
 */
class StorageHazardTest {
    @TempDir
    Path dir;

    private final List<FatalFaults.Fault> faults = new ArrayList<>();
    private final Consumer<FatalFaults.Fault> previous = FatalFaults.setHandler(faults::add);

    @AfterEach
    void restoreHandler() {
        FatalFaults.setHandler(previous);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private ReplicaLog openLog(Path snapDir, Path logDir, Consumer<Throwable> onFailure) throws Exception {
        Files.createDirectories(snapDir);
        Recovery.Result r = Recovery.load(snapDir, logDir, true, true);
        return ReplicaLog.open(snapDir, logDir, r, 4096, false, ReplicaLog.TailBound.DEFAULT, () -> true, onFailure);
    }

    /**
     * H1: a leader asked for a SNAP while its own periodic snapshot is being written used to fail (one
     * capture at a time). It now serialises without a guard; the learner installs it and the log makes it
     * durable before anything after it counts as durable.
     */
    @Test
    void h1_snapSyncWhileASnapshotIsBeingWritten() throws Exception {
        List<Txn> txns = workload(31, 300);
        StateMachine leader = applied(txns, 200);
        TreeSnapshot.Capture running = TreeSnapshot.capture(leader);
        byte[] body = TreeSnapshot.serializeNow(leader);
        running.release();
        StateMachine learner = TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(body)), 200, true);
        assertThat(TreeDigest.of(learner)).isEqualTo(TreeDigest.of(leader));

        try (ReplicaLog log = openLog(dir, dir, t -> { })) {
            for (int i = 0; i < 50; i++) {
                log.append(entry(txns.get(i)));
            }
            log.resetTo(new Snapshot(200, body));
            assertThat(log.durableZxid()).as("nothing durable until the snapshot is written").isLessThan(200);
            for (int i = 200; i < 210; i++) {
                log.append(entry(txns.get(i)));
            }
            await(() -> log.durableZxid() == 210, "durable after the reset");
        }
        Recovery.Result r = Recovery.recover(dir, dir, true, false);
        assertThat(r.snapshotZxid()).isEqualTo(200);
        assertThat(TreeDigest.of(r.stateMachine())).isEqualTo(TreeDigest.of(applied(txns, 210)));
    }

    /** H2: the copy-on-write guard is released on the request thread, never on the snapshot thread. */
    @Test
    void h2_theCaptureIsReleasedOnTheRequestThread() throws Exception {
        List<Txn> txns = workload(32, 100);
        StateMachine sm = applied(txns, 100);
        Queue<Runnable> requestThread = new ArrayDeque<>();
        Path snaps = dir.resolve("snaps");
        ExecutorService snapshotThread = Executors.newSingleThreadExecutor();
        try (ReplicaLog log = openLog(snaps, dir.resolve("logs"), t -> { })) {
            SnapshotService service = new SnapshotService(1000, 1L << 30, log,
                    ServerStorage.fileWriter(new StorageLayout(snaps, dir.resolve("logs"))), snapshotThread,
                    requestThread::add, new SplittableRandom(1));
            assertThat(service.snapshotNow(sm)).contains("zxid 0x64");
            await(() -> !requestThread.isEmpty(), "snapshot written");
            assertThat(LogFormat.list(snaps, LogFormat.SNAPSHOT_PREFIX)).hasSize(1);
            assertThatThrownBy(() -> TreeSnapshot.capture(sm)).hasMessageContaining("already being written");
            assertThat(service.running()).isTrue();
            requestThread.poll().run();
            assertThat(service.running()).isFalse();
            TreeSnapshot.capture(sm).release();
        } finally {
            snapshotThread.shutdown();
        }
    }

    /**
     * H4: a log write failure used to stop only the writer thread, and the request thread then blocked for
     * good on the full queue. Now it stops the process (the fatal handler), and appends fail at once.
     */
    @Test
    void h4_aLogWriteFailureStopsTheProcessAndNothingBlocks() throws Exception {
        Path logDir = dir.resolve("logs");
        List<Txn> txns = workload(33, 10);
        List<Throwable> failures = new ArrayList<>();
        try (ReplicaLog log = openLog(dir, logDir, t -> {
            failures.add(t);
            FatalFaults.stop(FatalFaults.STORAGE_ERROR, "log failed", t);
        })) {
            // A directory where the next segment must go makes creating it fail.
            Files.createDirectories(logDir.resolve(LogFormat.segmentName(1)));
            log.append(entry(txns.get(0)));
            await(() -> !faults.isEmpty(), "the fatal handler is told");
            assertThat(faults.get(0).exitStatus()).isEqualTo(FatalFaults.STORAGE_ERROR);
            assertThat(log.durableZxid()).isZero();
            assertThatThrownBy(() -> log.append(entry(txns.get(1)))).hasMessageContaining("transaction log failed");
        }
        assertThat(failures).hasSize(1);
    }

    /**
     * H5: a corrupt record in the middle of a member's log used to cut everything after it with a WARN,
     * losing acknowledged entries. Now start-up refuses, in every mode, naming the file and the offset.
     */
    @Test
    void h5_aCorruptRecordInTheMiddleStopsStartUpNamingFileAndOffset() throws Exception {
        Path data = dir.resolve("data");
        Path paddock = data.resolve(LogFormat.SUBDIR);
        Files.createDirectories(paddock);
        List<Txn> txns = workload(34, 100);
        LogTestSupport.log(paddock, txns, 0, 100, 4096);
        Path segment = LogFormat.list(paddock, LogFormat.LOG_PREFIX).get(0);
        long offset = LogTestSupport.recordOffsets(segment).get(40);
        LogTestSupport.flipByte(segment, offset + 20);
        long sizeBefore = Files.size(segment);
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("dataDir", data.toString());
        cfg.put("clientPort", Integer.toString(ServerTestSupport.freePort()));
        cfg.put("clientPortAddress", "127.0.0.1");
        var config = ServerTestSupport.config(dir, cfg);
        assertThatThrownBy(() -> PaddockServer.start(config))
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("offset " + offset);
        assertThat(Files.size(segment)).as("nothing was cut").isEqualTo(sizeBefore);
    }
}
