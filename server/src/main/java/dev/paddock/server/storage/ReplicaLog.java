package dev.paddock.server.storage;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.LogTail;
import dev.paddock.server.quorum.ReplicaStorage;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.Zxid;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one durable log of every server, standalone or ensemble member: the {@link ReplicaStorage} of its
 * {@code quorum.Member}. Segments on disk ({@code log.<first zxid>}, written by {@link SegmentWriter} with
 * group commit), snapshots and the epoch files beside them.
 *
 * <p>In memory it keeps only the newest entries (a {@link LogTail}): every entry not yet durable, and a
 * window of the newest durable ones, at most {@link TailBound#maxEntries} and {@link TailBound#maxBytes} of
 * payload (ZooKeeper keeps 500 committed proposals, {@code zookeeper.commitLogCount}). Older entries after
 * the snapshot base live only in the segments; {@link ZxidRuns} says which zxids they are, and
 * {@link LogDevice#read} reads them back when a leader builds a DIFF for a learner that is behind or the
 * member applies them after start-up. Entries do not stay on the heap until the next snapshot, so under
 * sustained writes young collections do not copy and promote them (issue 16). {@link #compactTo} moves the
 * base after each snapshot.
 *
 * <p>The disk sits behind {@link LogDevice} and {@link Epochs}, so the glue simulation runs this class
 * unchanged over a simulated disk. Everything except the device's own thread runs on the member's (request)
 * thread.
 */
public final class ReplicaLog implements ReplicaStorage, AutoCloseable {
    /**
     * How much of the durable log stays in memory. 500 entries is ZooKeeper's commitLogCount: enough for the
     * entries in flight between logging and applying (a leader's pipeline, an observer's INFORMs) and for a
     * learner a little behind; 4 MiB keeps large entries from making the window large.
     */
    public record TailBound(int maxEntries, long maxBytes) {
        public static final TailBound DEFAULT = new TailBound(500, 4L * 1024 * 1024);

        public TailBound {
            if (maxEntries < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("a tail bound of " + maxEntries + " entries, " + maxBytes + " bytes");
            }
        }

        /** ZooKeeper's {@code zookeeper.commitLogCount} and {@code paddock.commitLogBytes}, if set. */
        public static TailBound fromSystemProperties() {
            return new TailBound(Math.max(1, Integer.getInteger("zookeeper.commitLogCount", DEFAULT.maxEntries)),
                    Math.max(1, Long.getLong("paddock.commitLogBytes", DEFAULT.maxBytes)));
        }
    }

    /** The newest entries, after {@code tail.base()}, which is the newest entry on disk only (or the base). */
    private final LogTail tail = new LogTail();
    /** The entries after {@link #base} up to {@code tail.base()}: on disk only. */
    private final ZxidRuns onDisk;
    /**
     * The zxids in {@code onDisk} whose entries are reconfigurations: a member looks for its logged
     * configurations after start-up and after a truncation, and should not read the whole log back for them.
     */
    private final ZxidRuns reconfigsOnDisk;
    private final TailBound bound;
    private final Epochs epochs;
    private final LogDevice device;
    /** Entries up to here live only in the snapshot. */
    private long base;
    /** Payload bytes logged since the base (what {@code maxTailBytes} bounds before a snapshot is due). */
    private long loggedBytes;
    /** Incremented by each truncation and reset; durable points of older generations are stale. */
    private int generation;
    /** What is durable when the device has not yet reported for the current generation. */
    private long durableAtGenerationStart;

    /**
     * Opens the log that {@link Recovery#load} read: its window of the newest entries stays in memory, the
     * older ones after its snapshot are read back from the segments when needed (all durable: they were read
     * from disk), and the unused preallocated end of the newest segment is cut off.
     *
     * @param wake      called on the writer thread when the durable point moved; false = ask again
     * @param onFailure told once when the log cannot be written (the process must stop)
     */
    public static ReplicaLog open(Path snapDir, Path logDir, Recovery.Result recovered, long preAllocBytes,
                                  boolean forceSync, TailBound bound, BooleanSupplier wake,
                                  Consumer<Throwable> onFailure) throws IOException {
        if (recovered.lastSegment() != null) {
            try (FileChannel ch = FileChannel.open(recovered.lastSegment(), StandardOpenOption.WRITE)) {
                if (ch.size() > recovered.lastSegmentEnd()) {
                    ch.truncate(recovered.lastSegmentEnd());
                    ch.force(true);
                }
            }
        }
        EpochFiles epochs = new EpochFiles(snapDir);
        SegmentWriter writer = new SegmentWriter(snapDir, logDir, preAllocBytes, forceSync,
                new LogDevice.Durable(0, recovered.lastZxid()), wake, onFailure);
        writer.start();
        return new ReplicaLog(recovered.snapshotZxid(), recovered.olderEntries(), recovered.olderReconfigs(),
                recovered.entries(), recovered.loggedBytes(), epochs, writer, bound);
    }

    /**
     * A log whose disk holds a snapshot at {@code snapshotZxid} and {@code entries} after it (all durable),
     * written through {@code device} from now on. The device must report generation 0 for them.
     */
    public ReplicaLog(long snapshotZxid, List<Entry> entries, Epochs epochs, LogDevice device) {
        this(snapshotZxid, entries, epochs, device, TailBound.DEFAULT);
    }

    /** As above, keeping in memory what {@code bound} allows of the durable entries. */
    public ReplicaLog(long snapshotZxid, List<Entry> entries, Epochs epochs, LogDevice device, TailBound bound) {
        this(snapshotZxid, new ZxidRuns(), new ZxidRuns(), entries, payloadBytes(entries), epochs, device, bound);
    }

    /**
     * @param older          the zxids after the snapshot that are on disk only, all below {@code recent}
     * @param olderReconfigs those of {@code older} whose entries are reconfigurations
     * @param recent         the newest entries, in memory
     */
    ReplicaLog(long snapshotZxid, ZxidRuns older, ZxidRuns olderReconfigs, List<Entry> recent, long loggedBytes,
               Epochs epochs, LogDevice device, TailBound bound) {
        this.epochs = epochs;
        this.device = device;
        this.bound = bound;
        this.onDisk = older;
        this.reconfigsOnDisk = olderReconfigs;
        this.base = snapshotZxid;
        this.loggedBytes = loggedBytes;
        tail.resetTo(older.isEmpty() ? snapshotZxid : older.last());
        for (Entry e : recent) {
            tail.append(e);
        }
        this.durableAtGenerationStart = tail.lastZxid();
        trim();
    }

    private static long payloadBytes(List<Entry> entries) {
        long n = 0;
        for (Entry e : entries) {
            n += e.payload().length;
        }
        return n;
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

    /**
     * Also lets the entries that became durable since leave memory beyond the window: the member asks this
     * each time the device reports progress.
     */
    @Override
    public long durableZxid() {
        long durable = durablePoint();
        trim(durable);
        return durable;
    }

    @Override
    public boolean nothingQueued() {
        return device.nothingQueued();
    }

    private long durablePoint() {
        LogDevice.Durable d = device.durable();
        long durable = d.generation() == generation ? d.zxid() : durableAtGenerationStart;
        return Math.min(durable, tail.lastZxid());
    }

    private void trim() {
        trim(durablePoint());
    }

    /**
     * Moves the oldest in-memory entries to the on-disk index while the window is over its bound. Only
     * durable entries go: what the device has not written yet it could not read back.
     */
    private void trim(long durable) {
        int drop = 0;
        long bytes = tail.payloadBytes();
        int size = tail.size();
        while (drop < size && (size - drop > bound.maxEntries() || bytes > bound.maxBytes())) {
            Entry oldest = tail.get(drop);
            if (oldest.zxid() > durable) {
                break;
            }
            bytes -= oldest.payload().length;
            drop++;
        }
        if (drop == 0) {
            return;
        }
        for (int i = 0; i < drop; i++) {
            Entry e = tail.get(i);
            onDisk.add(e.zxid());
            if (EntryPayload.isReconfig(e.payload())) {
                reconfigsOnDisk.add(e.zxid());
            }
        }
        tail.compactTo(tail.get(drop - 1).zxid());
    }

    @Override
    public long baseZxid() {
        return base;
    }

    @Override
    public boolean contains(long zxid) {
        return zxid > base && (tail.contains(zxid) || onDisk.contains(zxid));
    }

    @Override
    public long floorZxid(long zxid) {
        if (zxid < base) {
            return -1;
        }
        if (zxid >= tail.base()) {
            return tail.floorZxid(zxid);
        }
        long floor = onDisk.floor(zxid);
        return floor < 0 ? base : floor;
    }

    @Override
    public List<Entry> entries(long fromExclusive, long toInclusive) {
        return entries(fromExclusive, toInclusive, Integer.MAX_VALUE);
    }

    /** The first {@code maxEntries} of {@link #entries(long, long)}; older ones are read back from disk. */
    @Override
    public List<Entry> entries(long fromExclusive, long toInclusive, int maxEntries) {
        if (fromExclusive < base) {
            throw new IllegalStateException("entries from " + Zxid.hex(fromExclusive) + " below base " + Zxid.hex(base));
        }
        if (toInclusive <= fromExclusive || maxEntries <= 0) {
            return List.of();
        }
        long memoryFrom = tail.base();
        if (fromExclusive >= memoryFrom) {
            List<Entry> inMemory = tail.entries(fromExclusive, toInclusive);
            return inMemory.size() <= maxEntries ? inMemory : inMemory.subList(0, maxEntries);
        }
        long diskTo = Math.min(toInclusive, memoryFrom);
        int count = (int) Math.min(maxEntries, onDisk.countBetween(fromExclusive, diskTo));
        List<Entry> result = new ArrayList<>(device.read(fromExclusive, diskTo, count));
        checkRead(result, fromExclusive, diskTo, count);
        if (toInclusive > memoryFrom && result.size() < maxEntries) {
            for (Entry e : tail.entries(memoryFrom, toInclusive)) {
                if (result.size() >= maxEntries) {
                    break;
                }
                result.add(e);
            }
        }
        return result;
    }

    /**
     * Only the reconfigurations: those on disk found by the index and read back one by one, those in memory
     * by their opcode; never the whole log.
     */
    @Override
    public Iterable<Entry> reconfigCandidates(long fromExclusive, long toInclusive, int batch) {
        if (fromExclusive < base) {
            throw new IllegalStateException("entries from " + Zxid.hex(fromExclusive) + " below base " + Zxid.hex(base));
        }
        List<Entry> found = new ArrayList<>();
        long memoryFrom = tail.base();
        for (long zxid : reconfigsOnDisk.between(fromExclusive, Math.min(toInclusive, memoryFrom))) {
            found.addAll(entries(zxid - 1, zxid, 1));
        }
        if (toInclusive > memoryFrom) {
            for (Entry e : tail.entries(Math.max(fromExclusive, memoryFrom), toInclusive)) {
                if (EntryPayload.isReconfig(e.payload())) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    /** What the device read back must be exactly the zxids the index holds. */
    private void checkRead(List<Entry> read, long fromExclusive, long toInclusive, int count) {
        long previous = fromExclusive;
        for (Entry e : read) {
            if (e.zxid() <= previous || e.zxid() > toInclusive || !onDisk.contains(e.zxid())) {
                throw new IllegalStateException("the log read back " + Zxid.hex(e.zxid()) + " after "
                        + Zxid.hex(previous) + ", which its index of entries on disk does not hold");
            }
            previous = e.zxid();
        }
        if (read.size() != count) {
            throw new IllegalStateException("the log read back " + read.size() + " of " + count + " entries after "
                    + Zxid.hex(fromExclusive));
        }
    }

    @Override
    public void append(Entry entry) {
        tail.append(entry);
        loggedBytes += entry.payload().length;
        device.submit(new LogDevice.Append(entry, generation));
        trim();
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
        long durable = Math.min(durablePoint(), zxid - 1);
        if (zxid >= tail.base()) {
            tail.truncateAfter(zxid);
        } else {
            // The cut is in the part on disk only: nothing in memory stays.
            onDisk.truncateAfter(zxid);
            reconfigsOnDisk.truncateAfter(zxid);
            tail.resetTo(onDisk.isEmpty() ? base : onDisk.last());
        }
        generation++;
        durableAtGenerationStart = durable;
        device.submit(new LogDevice.Truncate(zxid, generation));
    }

    @Override
    public void resetTo(Snapshot snapshot) {
        base = snapshot.zxid();
        onDisk.clear();
        reconfigsOnDisk.clear();
        loggedBytes = 0;
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
        if (zxid <= base || zxid > tail.lastZxid()) {
            return;
        }
        base = zxid;
        if (zxid >= tail.base()) {
            onDisk.clear();
            reconfigsOnDisk.clear();
            tail.compactTo(zxid);
        } else {
            onDisk.dropUpTo(zxid);
            reconfigsOnDisk.dropUpTo(zxid);
        }
        // Roughly what is logged after the new base: the entries in memory (what was appended while the
        // snapshot was written is mostly still there); it only decides when the next snapshot is due.
        loggedBytes = tail.payloadBytes();
    }

    /**
     * Payload bytes logged after the base, in memory or on disk only: a snapshot is due when they reach
     * {@code maxTailBytes}, as ZooKeeper's {@code snapSizeLimitInKb} bounds the log since its last snapshot.
     */
    public long tailBytes() {
        return loggedBytes;
    }

    /** Entries held in memory (the window and what is not yet durable). */
    public int memoryEntries() {
        return tail.size();
    }

    /** Payload bytes held in memory. */
    public long memoryBytes() {
        return tail.payloadBytes();
    }

    /** Entries after the base that are on disk only. */
    public long diskOnlyEntries() {
        return onDisk.count();
    }

    public TailBound bound() {
        return bound;
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
