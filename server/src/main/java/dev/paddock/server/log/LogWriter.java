package dev.paddock.server.log;

import dev.paddock.server.tree.Txn;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction log's writer thread, with group commit: it takes every entry queued since its last
 * fsync, appends them to the current segment in one write and forces them with one fsync, then hands them
 * back as durable. While one fsync runs, the next batch gathers, so throughput grows with the writes in
 * flight and every entry is still durable before it is handed back.
 *
 * <p>The queue is bounded: {@link #append} blocks while it is full. The thread never blocks on anyone
 * else: it reports durable entries through a non-blocking {@code wake} and retries it if refused. An I/O
 * error is fatal: the writer stops and reports it; nothing after the failed batch is ever acknowledged.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;
    private static final int MAX_BATCH = 4_096;
    private static final Object ROLL = new Object();

    /** A logged entry and what its owner needs back once it is durable. */
    public record Entry(Txn txn, Object attachment) {
    }

    private final Path dir;
    private final long preAllocBytes;
    private final boolean forceSync;
    private final BlockingQueue<Object> queue;
    private final ConcurrentLinkedQueue<Entry> durable = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final Consumer<Throwable> onFailure;
    private volatile BooleanSupplier wake = () -> true;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long durableZxid;
    private volatile long fsyncCount;
    private volatile long entryCount;

    private FileChannel channel;
    private Path segment;
    private long position;
    private long allocated;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

    public LogWriter(Path dir, long preAllocBytes, boolean forceSync, int queueCapacity, Consumer<Throwable> onFailure)
            throws IOException {
        this.dir = dir;
        this.preAllocBytes = Math.max(preAllocBytes, 4096);
        this.forceSync = forceSync;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.onFailure = onFailure;
        Files.createDirectories(dir);
        this.thread = new Thread(this::run, "paddock-log-writer");
        this.thread.setDaemon(true);
    }

    /** Called by the writer thread when entries became durable; returns false to be asked again later. */
    public void onDurable(BooleanSupplier wake) {
        this.wake = wake;
    }

    public void start() {
        thread.start();
    }

    /** Queues an entry; blocks while the queue is full. Entries must come in zxid order. */
    public void append(Entry entry) throws InterruptedException {
        checkUsable();
        while (!queue.offer(entry, 100, TimeUnit.MILLISECONDS)) {
            checkUsable();
        }
    }

    /** Entries queued after this one go to a new segment. */
    public void roll() throws InterruptedException {
        checkUsable();
        while (!queue.offer(ROLL, 100, TimeUnit.MILLISECONDS)) {
            checkUsable();
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

    /** The next durable entry, in zxid order, or null. */
    public Entry pollDurable() {
        return durable.poll();
    }

    public long durableZxid() {
        return durableZxid;
    }

    public long fsyncCount() {
        return fsyncCount;
    }

    public long entryCount() {
        return entryCount;
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        List<Entry> written = new ArrayList<>(MAX_BATCH);
        boolean wakeOwed = false;
        try {
            while (running || !queue.isEmpty()) {
                Object first = queue.poll(wakeOwed ? 1 : 50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    writeBatch(batch, written);
                    batch.clear();
                    if (!written.isEmpty()) {
                        durableZxid = written.get(written.size() - 1).txn().zxid();
                        entryCount += written.size();
                        durable.addAll(written);
                        written.clear();
                        wakeOwed = true;
                    }
                }
                if (wakeOwed) {
                    wakeOwed = !wake.getAsBoolean();
                }
            }
            closeSegment(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("Transaction log failed writing {}; no further write is acknowledged", segment, t);
            try {
                onFailure.accept(t);
            } catch (RuntimeException e) {
                LOG.error("log failure handler failed", e);
            }
        }
    }

    private void writeBatch(List<Object> batch, List<Entry> written) throws IOException {
        buffer.clear();
        for (Object item : batch) {
            if (item == ROLL) {
                flush(written);
                closeSegment(true);
                continue;
            }
            Entry e = (Entry) item;
            Txn txn = e.txn();
            if (channel == null) {
                openSegment(txn.zxid());
            }
            int payload = TxnCodec.size(txn);
            int need = LogFormat.RECORD_HEADER_BYTES + payload;
            if (buffer.remaining() < need) {
                grow(need);
            }
            int start = buffer.position();
            buffer.position(start + LogFormat.RECORD_HEADER_BYTES);
            TxnCodec.write(txn, buffer);
            if (buffer.position() != start + need) {
                throw new IllegalStateException("size of " + txn.request().opCode() + " is " + payload
                        + " but it wrote " + (buffer.position() - start - LogFormat.RECORD_HEADER_BYTES));
            }
            buffer.putInt(start, payload);
            buffer.putLong(start + 4, txn.zxid());
            buffer.putInt(start + 12, LogFormat.recordCrc(buffer, start, payload));
            written.add(e);
        }
        flush(written);
    }

    /** Writes the buffered records to the segment and forces them. */
    private void flush(List<Entry> written) throws IOException {
        buffer.flip();
        if (buffer.hasRemaining()) {
            int bytes = buffer.remaining();
            if (position + bytes > allocated) {
                // Extend the preallocated region (a sparse extension, as ZooKeeper does).
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
        segment = dir.resolve(LogFormat.segmentName(firstZxid));
        channel = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        ByteBuffer header = LogFormat.segmentHeader(firstZxid);
        long p = 0;
        while (header.hasRemaining()) {
            p += channel.write(header, p);
        }
        position = LogFormat.SEGMENT_HEADER_BYTES;
        allocated = preAllocBytes;
        channel.write(ByteBuffer.allocate(1), allocated - 1);
        channel.force(true);
        LogFormat.syncDirectory(dir);
        LOG.info("Creating new log file: {}", segment.getFileName());
    }

    /** Closes the current segment, cutting its unused preallocated tail when the segment is complete. */
    private void closeSegment(boolean truncate) throws IOException {
        if (channel == null) {
            return;
        }
        if (truncate) {
            channel.truncate(position);
            if (forceSync) {
                channel.force(true);
            }
        }
        channel.close();
        channel = null;
        segment = null;
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
    }
}
