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
 * <p>Everything except the writer thread runs on the member's (request) thread.
 */
public final class ReplicaLog implements ReplicaStorage, AutoCloseable {
    private final LogTail tail = new LogTail();
    private final EpochFiles epochs;
    private final SegmentWriter writer;
    /** Incremented by each truncation and reset; durable points of older generations are stale. */
    private int generation;
    /** What is durable when the writer has not yet reported for the current generation. */
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
        return new ReplicaLog(snapDir, logDir, recovered, preAllocBytes, forceSync, wake, onFailure);
    }

    private ReplicaLog(Path snapDir, Path logDir, Recovery.Result recovered, long preAllocBytes, boolean forceSync,
                       BooleanSupplier wake, Consumer<Throwable> onFailure) throws IOException {
        this.epochs = new EpochFiles(snapDir);
        tail.resetTo(recovered.snapshotZxid());
        for (Entry e : recovered.entries()) {
            tail.append(e);
        }
        this.durableAtGenerationStart = tail.lastZxid();
        this.writer = new SegmentWriter(snapDir, logDir, preAllocBytes, forceSync,
                new SegmentWriter.Durable(0, tail.lastZxid()), wake, onFailure);
        writer.start();
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
        SegmentWriter.Durable d = writer.durable();
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
        writer.submit(new SegmentWriter.Append(entry, generation));
    }

    @Override
    public void truncateAfter(long zxid) {
        long durable = Math.min(durableZxid(), zxid);
        tail.truncateAfter(zxid);
        generation++;
        durableAtGenerationStart = durable;
        writer.submit(new SegmentWriter.Truncate(zxid, generation));
    }

    @Override
    public void resetTo(Snapshot snapshot) {
        tail.resetTo(snapshot.zxid());
        generation++;
        // Nothing at or after the snapshot counts as durable until the writer has written it.
        durableAtGenerationStart = snapshot.zxid() - 1;
        writer.submit(new SegmentWriter.Reset(snapshot.zxid(), snapshot.state(), generation));
    }

    /** Entries queued after this go to a new segment (called when a snapshot is captured). */
    public void roll() {
        writer.submit(new SegmentWriter.Roll(generation));
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
        return writer.fsyncCount();
    }

    /** Writes and forces everything queued, then stops the writer. */
    @Override
    public void close() {
        writer.close();
    }
}
