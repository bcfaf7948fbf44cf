package dev.paddock.server.storage;

import dev.paddock.server.quorum.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's writer thread, with group commit: it takes every operation queued since its last fsync, appends
 * the entries to the current segment with one write and forces them with one fsync, then publishes the new
 * durable point. While one fsync runs the next batch gathers, so throughput grows with the writes in flight
 * and every entry is durable before anyone hears of it.
 *
 * <p>Truncation (a leader's TRUNC), reset (an installed snapshot) and roll (a new segment after a snapshot
 * capture) are operations in the same queue, so they happen exactly between the appends queued before and
 * after them; nobody has to wait for the writer to drain (ZooKeeper bug class H3 of the review: a cut made
 * while entries were still queued). Each operation carries the caller's generation, which a truncation or
 * reset increments, so a durable point reported for an older generation is never taken for a newer one.
 *
 * <p>When it forces its writes, a {@link ZeroFiller} keeps zeros written and forced ahead of it in the open
 * segment, so an fsync writes the records' data and no block allocation; otherwise a segment grows in
 * {@code preAllocSize} steps of a sparse extension. A segment is cut to its last record when it is closed.
 *
 * <p>The queue is bounded ({@link #QUEUE_CAPACITY}); the thread never blocks on anyone else: it reports
 * through a non-blocking {@code wake} and retries it if refused. An I/O error is fatal: the writer stops
 * and reports it; nothing after the failed batch is ever made durable.
 */
final class SegmentWriter implements LogDevice {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentWriter.class);
    static final int QUEUE_CAPACITY = 16_384;
    static final int MAX_BATCH = 4_096;
    /** The most zeros kept ahead of the writer (a whole preAllocSize of zeros per segment would be wasted). */
    static final long MAX_ZEROS_AHEAD = 8L << 20;
    /**
     * {@code false} turns the zeros ahead off (a copy-on-write file system, btrfs or ZFS, gains nothing from
     * them and writes them twice): segments then grow sparsely, as ZooKeeper's do.
     */
    static final String ZERO_FILL_PROPERTY = "paddock.logZeroFill";

    private final Path snapDir;
    private final Path logDir;
    private final long preAllocBytes;
    private final boolean forceSync;
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final Consumer<Throwable> onFailure;
    private final BooleanSupplier wake;
    /** Zeros ahead of the writer when it forces its writes (else null: the segment grows sparsely). */
    private final ZeroFiller filler;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile Durable durable;
    private volatile long fsyncCount;

    private FileChannel channel;
    private Path segment;
    private long position;
    private long allocated;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    /** Reads written entries back on the member thread (the files are shared with this thread's writes). */
    private final SegmentReader reader;

    /**
     * @param wake      called on this thread after the durable point moved; returns false to be asked again
     * @param onFailure told once when the log cannot be written
     */
    SegmentWriter(Path snapDir, Path logDir, long preAllocBytes, boolean forceSync, Durable initial,
                  BooleanSupplier wake, Consumer<Throwable> onFailure) throws IOException {
        this.snapDir = snapDir;
        this.logDir = logDir;
        this.preAllocBytes = Math.max(preAllocBytes, 4096);
        this.forceSync = forceSync;
        this.durable = initial;
        this.wake = wake;
        this.onFailure = onFailure;
        Files.createDirectories(logDir);
        this.reader = new SegmentReader(logDir);
        boolean zeroFill = forceSync && !"false".equalsIgnoreCase(System.getProperty(ZERO_FILL_PROPERTY, "true"));
        this.filler = zeroFill ? new ZeroFiller(Math.min(this.preAllocBytes, MAX_ZEROS_AHEAD)) : null;
        this.thread = new Thread(this::run, "paddock-log-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public Durable durable() {
        return durable;
    }

    @Override
    public long fsyncCount() {
        return fsyncCount;
    }

    @Override
    public boolean nothingQueued() {
        return queue.isEmpty();
    }

    /** Queues an operation; blocks while the queue is full, throws once the writer failed or closed. */
    @Override
    public void submit(Op op) {
        if (op instanceof Truncate || op instanceof Reset) {
            reader.forgetPosition(); // same thread as read: the member's
        }
        try {
            checkUsable();
            while (!queue.offer(op, 100, TimeUnit.MILLISECONDS)) {
                checkUsable();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the log queue was full", e);
        }
    }

    @Override
    public List<Entry> read(long fromExclusive, long toInclusive, int count) {
        try {
            return reader.read(fromExclusive, toInclusive, count);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the written log back from " + logDir, e);
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("the transaction log failed", failure);
        }
        if (!running) {
            throw new IllegalStateException("the transaction log is closed");
        }
    }

    private void run() {
        List<Op> batch = new ArrayList<>(MAX_BATCH);
        boolean wakeOwed = false;
        try {
            while (running || !queue.isEmpty()) {
                Op first = queue.poll(wakeOwed ? 1 : 50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    wakeOwed |= process(batch);
                    batch.clear();
                }
                if (wakeOwed) {
                    wakeOwed = !wake.getAsBoolean();
                }
            }
            closeSegment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("Transaction log failed writing {}; no further write is made durable", segment, t);
            onFailure.accept(t);
        } finally {
            if (filler != null) {
                filler.close();
            }
        }
    }

    /** Runs a batch in order; returns whether the durable point moved. */
    private boolean process(List<Op> batch) throws IOException {
        buffer.clear();
        Durable reached = null;
        for (Op op : batch) {
            if (op instanceof Append a) {
                buffer(a.entry());
                reached = new Durable(a.generation(), a.entry().zxid());
            } else if (op instanceof Roll) {
                flush();
                closeSegment();
            } else if (op instanceof Truncate t) {
                flush();
                truncateAfter(t.zxid());
                reached = new Durable(t.generation(), t.zxid());
            } else if (op instanceof Reset r) {
                flush();
                reset(r);
                reached = new Durable(r.generation(), r.zxid());
            }
        }
        flush();
        if (reached == null) {
            return false;
        }
        durable = reached;
        return true;
    }

    private void buffer(Entry e) throws IOException {
        if (channel == null) {
            openSegment(e.zxid());
        }
        byte[] payload = e.payload();
        int need = LogFormat.RECORD_HEADER_BYTES + payload.length;
        if (buffer.remaining() < need) {
            grow(need);
        }
        int start = buffer.position();
        buffer.putInt(payload.length).putLong(e.zxid()).putInt(0).put(payload);
        buffer.putInt(start + 12, LogFormat.recordCrc(buffer, start, payload.length));
    }

    /** Writes the buffered records to the segment and forces them. */
    private void flush() throws IOException {
        buffer.flip();
        if (buffer.hasRemaining()) {
            int bytes = buffer.remaining();
            if (filler != null) {
                filler.beforeWrite(position + bytes);
            } else if (position + bytes > allocated) {
                // Extend the preallocated region (a sparse extension, as ZooKeeper does), so an fsync rarely
                // has to record a new file length.
                while (position + bytes > allocated) {
                    allocated += preAllocBytes;
                }
                channel.write(ByteBuffer.allocate(1), allocated - 1);
            }
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            if (forceSync) {
                channel.force(false);
            }
            fsyncCount++;
        }
        buffer.clear();
    }

    private void grow(int need) {
        int capacity = buffer.capacity();
        while (capacity - buffer.position() < need) {
            capacity *= 2;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
    }

    private void openSegment(long firstZxid) throws IOException {
        segment = logDir.resolve(LogFormat.segmentName(firstZxid));
        channel = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        ByteBuffer header = LogFormat.segmentHeader(firstZxid);
        long p = 0;
        while (header.hasRemaining()) {
            p += channel.write(header, p);
        }
        position = LogFormat.SEGMENT_HEADER_BYTES;
        allocated = preAllocBytes;
        if (filler == null) {
            channel.write(ByteBuffer.allocate(1), allocated - 1);
        }
        channel.force(true);
        LogFormat.syncDirectory(logDir);
        if (filler != null) {
            filler.attach(channel, position);
        }
        LOG.info("Creating new log file: {}", segment.getFileName());
    }

    /** Closes the current segment, cutting its unused preallocated tail: a closed segment ends at its data. */
    private void closeSegment() throws IOException {
        if (channel == null) {
            return;
        }
        if (filler != null) {
            filler.detach();
        }
        channel.truncate(position);
        if (forceSync) {
            channel.force(true);
        }
        channel.close();
        channel = null;
        segment = null;
    }

    /** Drops every record above {@code zxid}: later segments go, the one holding it is cut after it. */
    private void truncateAfter(long zxid) throws IOException {
        closeSegment();
        List<Path> segments = LogFormat.list(logDir, LogFormat.LOG_PREFIX);
        for (int i = segments.size() - 1; i >= 0; i--) {
            Path file = segments.get(i);
            if (LogFormat.zxidOf(file, LogFormat.LOG_PREFIX) > zxid) {
                Files.delete(file);
                continue;
            }
            long[] end = {LogFormat.SEGMENT_HEADER_BYTES};
            SegmentScanner.scan(file, (recordZxid, offset, payload) -> {
                if (recordZxid <= zxid) {
                    end[0] = offset + LogFormat.RECORD_HEADER_BYTES + payload.remaining();
                }
            });
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end[0]);
                ch.force(true);
            }
            break;
        }
        LogFormat.syncDirectory(logDir);
        LOG.info("Truncated the log after zxid 0x{}", Long.toHexString(zxid));
    }

    /** Makes the installed snapshot durable, then removes the log it replaces. */
    private void reset(Reset r) throws IOException {
        closeSegment();
        SnapshotFile.writeBody(snapDir, r.zxid(), r.snapshotBody());
        for (Path file : LogFormat.list(logDir, LogFormat.LOG_PREFIX)) {
            Files.delete(file);
        }
        LogFormat.syncDirectory(logDir);
        LOG.info("Log reset to the installed snapshot at zxid 0x{}", Long.toHexString(r.zxid()));
    }

    /** Writes and forces everything queued, then stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        if (filler != null) {
            filler.close(); // the writer closes it as it ends; this covers a writer never started
        }
    }
}
