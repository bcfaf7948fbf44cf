package dev.paddock.server.storage;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.LogTail;
import dev.paddock.server.quorum.ReplicaStorage;
import dev.paddock.server.quorum.Snapshot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one durable log of every server, standalone or ensemble member: the {@link ReplicaStorage} of its
 * {@code quorum.Member}. Segments on disk ({@code log.<first zxid>}, written by {@link SegmentWriter} with
 * group commit), snapshots and the epoch files beside them; in memory, the entries after the newest
 * snapshot the member has taken or installed (a {@link LogTail}), which is what the member applies from and
 * what a leader sends in a DIFF. {@link #compactTo} moves that base after each snapshot, so the in-memory
 * tail stays within about snapCount entries or {@code maxTailBytes} (the snapshot service takes a snapshot
 * when either is reached).
 *
 * <p>The disk sits behind {@link LogDevice} and {@link Epochs}, so the glue simulation runs this class
 * unchanged over a simulated disk. Everything except the device's own thread runs on the member's (request)
 * thread.
 */
public final class ReplicaLog implements ReplicaStorage, AutoCloseable {
    private final LogTail tail = new LogTail();
    private final Epochs epochs;
    private final LogDevice device;
    /** Incremented by each truncation and reset; durable points of older generations are stale. */
    private int generation;
    /** What is durable when the device has not yet reported for the current generation. */
    private long durableAtGenerationStart;

    /**
     * Opens the log that {@link Recovery#load} read: the entries after its snapshot become the tail (durable:
     * they were read from disk), and the unused preallocated end of the newest segment is cut off.
     *
     * @param wake      called on the writer thread when the durable point moved; false = ask again
     * @param onFailure told once when the log cannot be written (the process must stop)
     */
    public static ReplicaLog open(Path snapDir, Path logDir, Recovery.Result recovered, long preAllocBytes,
                                  boolean forceSync, BooleanSupplier wake, Consumer<Throwable> onFailure)
            throws IOException {
        if (recovered.lastSegment() != null) {
            try (FileChannel ch = FileChannel.open(recovered.lastSegment(), StandardOpenOption.WRITE)) {
                if (ch.size() > recovered.lastSegmentEnd()) {
                    ch.truncate(recovered.lastSegmentEnd());
                    ch.force(true);
                }
            }
        }
        EpochFiles epochs = new EpochFiles(snapDir);
        long last = recovered.entries().isEmpty() ? recovered.snapshotZxid()
                : recovered.entries().get(recovered.entries().size() - 1).zxid();
        SegmentWriter writer = new SegmentWriter(snapDir, logDir, preAllocBytes, forceSync,
                new LogDevice.Durable(0, last), wake, onFailure);
        writer.start();
        return new ReplicaLog(recovered.snapshotZxid(), recovered.entries(), epochs, writer);
    }

    /**
     * A log whose disk holds a snapshot at {@code snapshotZxid} and {@code entries} after it (all durable),
     * written through {@code device} from now on. The device must report generation 0 for them.
     */
    public ReplicaLog(long snapshotZxid, List<Entry> entries, Epochs epochs, LogDevice device) {
        this.epochs = epochs;
        this.device = device;
        tail.resetTo(snapshotZxid);
        for (Entry e : entries) {
            tail.append(e);
        }
        this.durableAtGenerationStart = tail.lastZxid();
    }

    @Override
    public long acceptedEpoch() {
        return epochs.acceptedEpoch();
    }

    @Override
    public int acceptedLeader() {
        return epochs.acceptedLeader();
    }

    @Override
    public void acceptEpoch(long epoch, int leaderId) {
        epochs.accept(epoch, leaderId);
    }

    @Override
    public long currentEpoch() {
        return epochs.currentEpoch();
    }

    @Override
    public void setCurrentEpoch(long epoch) {
        epochs.setCurrent(epoch);
    }

    @Override
    public long lastZxid() {
        return tail.lastZxid();
    }

    @Override
    public long durableZxid() {
        LogDevice.Durable d = device.durable();
        long durable = d.generation() == generation ? d.zxid() : durableAtGenerationStart;
        return Math.min(durable, tail.lastZxid());
    }

    @Override
    public long baseZxid() {
        return tail.base();
    }

    @Override
    public boolean contains(long zxid) {
        return tail.contains(zxid);
    }

    @Override
    public long floorZxid(long zxid) {
        return tail.floorZxid(zxid);
    }

    @Override
    public List<Entry> entries(long fromExclusive, long toInclusive) {
        return tail.entries(fromExclusive, toInclusive);
    }

    @Override
    public void append(Entry entry) {
        tail.append(entry);
        device.submit(new LogDevice.Append(entry, generation));
    }

    /**
     * Cuts the log after {@code zxid} at once as the member sees it; the disk cuts it later, in queue order.
     * Until it has, the cut history is not durable even up to {@code zxid}: the disk still holds the entries
     * above it, which a crash would bring back. A learner synced by TRUNC records the new epoch and
     * acknowledges once its history is durable; had it done so before the cut reached the disk, a crash
     * would leave the old entries after the truncation point under the new epoch, and as leader it would
     * commit them, entries the ensemble had already replaced (glue simulation, GlueRegressionTest). So the
     * durable point stays below {@code zxid} until the device reports the truncation, as it stays below an
     * installed snapshot until the reset is written.
     */
    @Override
    public void truncateAfter(long zxid) {
        long durable = Math.min(durableZxid(), zxid - 1);
        tail.truncateAfter(zxid);
        generation++;
        durableAtGenerationStart = durable;
        device.submit(new LogDevice.Truncate(zxid, generation));
    }

    @Override
    public void resetTo(Snapshot snapshot) {
        tail.resetTo(snapshot.zxid());
        generation++;
        // Nothing at or after the snapshot counts as durable until the writer has written it.
        durableAtGenerationStart = snapshot.zxid() - 1;
        device.submit(new LogDevice.Reset(snapshot.zxid(), snapshot.state(), generation));
    }

    /** Entries queued after this go to a new segment (called when a snapshot is captured). */
    public void roll() {
        device.submit(new LogDevice.Roll(generation));
    }

    /**
     * Forgets the in-memory entries up to {@code zxid}, which a durable snapshot now covers (the segments
     * stay until purged). Entries not yet applied are never dropped: the caller passes an applied zxid.
     */
    public void compactTo(long zxid) {
        if (zxid > tail.base() && zxid <= tail.lastZxid()) {
            tail.compactTo(zxid);
        }
    }

    /** Payload bytes held in memory after the base. */
    public long tailBytes() {
        return tail.payloadBytes();
    }

    public long fsyncCount() {
        return device.fsyncCount();
    }

    /** Writes and forces everything queued, then stops the writer. */
    @Override
    public void close() {
        device.close();
    }
}
