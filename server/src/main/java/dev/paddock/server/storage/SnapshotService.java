package dev.paddock.server.storage;

import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.IOException;
import java.util.concurrent.Executor;
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
 * ({@link TreeSnapshot#capture}) and asks the log for a new segment; the background executor writes it
 * (through the {@link Writer}) while writes go on; then, back on the request thread, the capture is
 * released and the log forgets the entries the snapshot covers. One snapshot at a time; one that falls due
 * meanwhile waits for it.
 *
 * <p>The writer and both executors are injected so that the glue simulation runs this policy unchanged, with
 * the background write as an event it can interleave with applies and installs. {@link ServerStorage} wires
 * the snapshot thread and {@link SnapshotFile}.
 *
 * <p>A snapshot that cannot be written stops the process (as ZooKeeper's does): the log would otherwise
 * grow without bound.
 */
public final class SnapshotService {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);
    /** ZooKeeper's ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT. */
    private static final int SNAPSHOT_FAILED_EXIT = 10;

    /** Makes a capture durable; any thread. */
    public interface Writer {
        /** Writes the capture durably; returns what to call it in log lines (the file name). */
        String write(TreeSnapshot.Capture capture) throws IOException;

        /** Where snapshots go, for the {@code snap} command's answer and error messages. */
        String where();
    }

    private final int snapCount;
    private final long maxTailBytes;
    private final RandomGenerator random;
    private final ReplicaLog log;
    private final Writer writer;
    private final Executor background;
    private final Executor requestThread;
    private long appliedSinceSnapshot;
    private long threshold;
    private boolean running;

    /**
     * @param background    runs the writes (the snapshot thread)
     * @param requestThread runs tasks on the request thread (the background write hands results back there)
     */
    public SnapshotService(int snapCount, long maxTailBytes, ReplicaLog log, Writer writer, Executor background,
                           Executor requestThread, RandomGenerator random) {
        this.snapCount = Math.max(2, snapCount);
        this.maxTailBytes = maxTailBytes;
        this.random = random;
        this.log = log;
        this.writer = writer;
        this.background = background;
        this.requestThread = requestThread;
        this.threshold = nextThreshold();
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

    /** What {@link #snapshotNow} answers when it starts none (the AdminServer's snapshot tells by it). */
    public static final String ALREADY_RUNNING = "A snapshot is already being written.\n";

    /** The {@code snap} four-letter word. */
    public String snapshotNow(StateMachine stateMachine) {
        if (running) {
            return ALREADY_RUNNING;
        }
        long zxid = start(stateMachine);
        return "Snapshot of zxid 0x" + Long.toHexString(zxid) + " started in " + writer.where() + "\n";
    }

    public boolean running() {
        return running;
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

    /** Background (the snapshot thread). */
    private void write(TreeSnapshot.Capture capture, long captureUs) {
        try {
            long w0 = System.nanoTime();
            String name = writer.write(capture);
            LOG.info("Snapshot {} written: {} nodes, {} sessions, capture {} us on the request thread, "
                            + "written in {} ms, {} nodes copied on write", name,
                    capture.nodeCount(), capture.sessionCount(), captureUs,
                    (System.nanoTime() - w0) / 1_000_000, capture.copiedOnWrite());
            requestThread.execute(() -> {
                capture.release();
                log.compactTo(capture.zxid());
                running = false;
            });
        } catch (IOException | RuntimeException e) {
            FatalFaults.stop(SNAPSHOT_FAILED_EXIT, "cannot write the snapshot of zxid 0x"
                    + Long.toHexString(capture.zxid()) + " in " + writer.where(), e);
        }
    }
}
