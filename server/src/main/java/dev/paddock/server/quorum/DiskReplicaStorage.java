package dev.paddock.server.quorum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ensemble member's durable protocol state on disk: {@code acceptedEpoch} and {@code currentEpoch}
 * files (replaced atomically), and {@code replica.log}: a header with the base zxid, then records of
 * length, zxid, CRC32C and payload. Appends go through one writer thread that forces each batch with one
 * fsync (group commit) and reports the durable zxid; a torn tail is cut at start-up. The entries after the
 * base are also kept in memory, as the leader serves diffs from them.
 */
public final class DiskReplicaStorage implements ReplicaStorage, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskReplicaStorage.class);
    private static final int HEADER_BYTES = 12;
    private static final int MAGIC = 0x50445251; // "PDRQ"
    private static final int RECORD_HEADER_BYTES = 16;
    private static final int QUEUE_CAPACITY = 16_384;

    private final Path dir;
    private final Path logFile;
    private final boolean forceSync;
    /**
     * The file is extended this much at a time (sparsely, as ZooKeeper does), so that an fsync rarely has to
     * record a new file length: growing the file on every batch roughly doubles the cost of each fsync.
     */
    private final long preallocBytes;
    /** Where the next record goes; everything after it up to the file's end is preallocated zeros. */
    private long writeOffset;
    private long allocated;
    private final LongConsumer onDurable;
    private final LogTail tail = new LogTail();
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private FileChannel channel;
    private long acceptedEpoch;
    private int acceptedLeader = -1;
    private long currentEpoch;
    private volatile long durableZxid;
    private volatile boolean running = true;
    /** Guards the file between the writer thread and truncation on the member's thread. */
    private final Object fileLock = new Object();

    /**
     * @param onDurable called on the writer thread with the newest durable zxid after each forced batch
     */
    public DiskReplicaStorage(Path dir, boolean forceSync, LongConsumer onDurable) throws IOException {
        this(dir, forceSync, 64L * 1024 * 1024, onDurable);
    }

    public DiskReplicaStorage(Path dir, boolean forceSync, long preallocBytes, LongConsumer onDurable)
            throws IOException {
        this.dir = dir;
        this.logFile = dir.resolve("replica.log");
        this.forceSync = forceSync;
        this.preallocBytes = Math.max(4096, preallocBytes);
        this.onDurable = onDurable;
        Files.createDirectories(dir);
        String accepted = readSmallFile("acceptedEpoch");
        if (accepted != null) {
            String[] parts = accepted.split(" ");
            acceptedEpoch = Long.parseLong(parts[0]);
            acceptedLeader = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }
        String current = readSmallFile("currentEpoch");
        currentEpoch = current == null ? 0 : Long.parseLong(current.strip());
        open();
        durableZxid = lastZxid();
        writer = new Thread(this::writeLoop, "paddock-replica-log");
        writer.setDaemon(true);
        writer.start();
    }

    private String readSmallFile(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.US_ASCII).strip() : null;
    }

    private void writeSmallFile(String name, String value) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                c.write(ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII)));
                c.force(true);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // Not every file system lets a directory be forced; the rename is still atomic.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    /** Reads the log, cutting a torn or corrupt tail (it was never acknowledged: acks follow the fsync). */
    private void open() throws IOException {
        channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.size() < HEADER_BYTES) {
            writeHeader(0);
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        channel.read(header, 0);
        header.flip();
        if (header.getInt() != MAGIC) {
            throw new IOException(logFile + " is not a Paddock replica log");
        }
        tail.resetTo(header.getLong());
        long offset = HEADER_BYTES;
        long size = channel.size();
        ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER_BYTES);
        while (offset + RECORD_HEADER_BYTES <= size) {
            rh.clear();
            channel.read(rh, offset);
            rh.flip();
            int len = rh.getInt();
            long zxid = rh.getLong();
            int crc = rh.getInt();
            if (len < 0 || offset + RECORD_HEADER_BYTES + len > size || zxid <= lastZxid()) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(len);
            channel.read(payload, offset + RECORD_HEADER_BYTES);
            if (crc != crcOf(len, zxid, payload.array())) {
                break;
            }
            offset += RECORD_HEADER_BYTES + len;
            tail.append(new Entry(zxid, payload.array()));
        }
        if (offset < size) {
            if (!zeroAt(offset, size)) {
                LOG.warn("{}: cutting {} bytes after offset {} (a write that never completed)", logFile, size - offset,
                        offset);
            }
            channel.truncate(offset);
            channel.force(true);
        }
        writeOffset = offset;
        allocated = offset;
    }

    /** Whether the record header at {@code offset} is all zeros: the preallocated tail, not a torn write. */
    private boolean zeroAt(long offset, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(RECORD_HEADER_BYTES, size - offset));
        channel.read(b, offset);
        for (byte x : b.array()) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Makes room for {@code bytes} more at {@link #writeOffset} by extending the file sparsely. */
    private void ensureAllocated(long bytes) throws IOException {
        if (writeOffset + bytes <= allocated) {
            return;
        }
        allocated = Math.max(allocated + preallocBytes, writeOffset + bytes);
        channel.write(ByteBuffer.wrap(new byte[1]), allocated - 1);
    }

    private void writeHeader(long newBase) throws IOException {
        channel.truncate(0);
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putLong(newBase);
        h.flip();
        channel.write(h, 0);
        channel.force(true);
        tail.resetTo(newBase);
        writeOffset = HEADER_BYTES;
        allocated = HEADER_BYTES;
    }

    private static int crcOf(int len, long zxid, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(12).putInt(len).putLong(zxid).array());
        crc.update(payload);
        return (int) crc.getValue();
    }

    private void writeLoop() {
        List<Entry> batch = new ArrayList<>();
        while (running) {
            try {
                Entry first = queue.take();
                batch.add(first);
                queue.drainTo(batch, 4096);
                long last;
                synchronized (fileLock) {
                    long bytes = 0;
                    for (Entry e : batch) {
                        bytes += RECORD_HEADER_BYTES + e.payload().length;
                    }
                    ensureAllocated(bytes);
                    long offset = writeOffset;
                    for (Entry e : batch) {
                        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + e.payload().length);
                        b.putInt(e.payload().length).putLong(e.zxid()).putInt(crcOf(e.payload().length, e.zxid(),
                                e.payload())).put(e.payload());
                        b.flip();
                        while (b.hasRemaining()) {
                            offset += channel.write(b, offset);
                        }
                    }
                    writeOffset = offset;
                    if (forceSync) {
                        channel.force(false);
                    }
                    last = batch.get(batch.size() - 1).zxid();
                    durableZxid = Math.max(durableZxid, last);
                }
                batch.clear();
                onDurable.accept(last);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // A member that cannot write its log must not acknowledge anything again.
                LOG.error("replica log write failed; stopping acknowledgements", e);
                running = false;
                return;
            }
        }
    }

    @Override
    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    @Override
    public int acceptedLeader() {
        return acceptedLeader;
    }

    @Override
    public void acceptEpoch(long epoch, int leaderId) {
        writeSmallFile("acceptedEpoch", epoch + " " + leaderId);
        acceptedEpoch = epoch;
        acceptedLeader = leaderId;
    }

    @Override
    public long currentEpoch() {
        return currentEpoch;
    }

    @Override
    public void setCurrentEpoch(long epoch) {
        writeSmallFile("currentEpoch", Long.toString(epoch));
        currentEpoch = epoch;
    }

    @Override
    public long lastZxid() {
        return tail.lastZxid();
    }

    @Override
    public long durableZxid() {
        return Math.min(Math.max(durableZxid, tail.base()), tail.lastZxid());
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
        try {
            queue.put(entry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the replica log queue was full", e);
        }
    }

    /** Waits until the writer has written everything queued, so the file matches {@link #entries}. */
    private void quiesce() {
        long target = lastZxid();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (durableZxid < target && tail.size() > 0 && running && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    @Override
    public void truncateAfter(long zxid) {
        quiesce();
        synchronized (fileLock) {
            try {
                int keep = tail.truncateAfter(zxid);
                // The file holds exactly the kept records after the header, so their sizes give the cut.
                long cut = HEADER_BYTES;
                for (int i = 0; i < keep; i++) {
                    cut += RECORD_HEADER_BYTES + tail.get(i).payload().length;
                }
                channel.truncate(cut);
                channel.force(true);
                writeOffset = cut;
                allocated = cut;
                durableZxid = Math.min(durableZxid, lastZxid());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot truncate " + logFile, e);
            }
        }
    }

    @Override
    public void resetTo(long snapshotZxid) {
        quiesce();
        synchronized (fileLock) {
            try {
                writeHeader(snapshotZxid);
                durableZxid = snapshotZxid;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reset " + logFile, e);
            }
        }
    }

    /**
     * Drops the entries up to {@code zxid}, which a durable snapshot now covers, by rewriting the log from
     * that point (write a new file, force it, rename it over the old one). Called on the member's thread.
     */
    public void compactTo(long zxid) {
        if (zxid <= tail.base() || zxid > durableZxid()) {
            return;
        }
        quiesce();
        synchronized (fileLock) {
            try {
                Path tmp = dir.resolve("replica.log.tmp");
                int keepFrom = tail.indexOf(zxid) + 1;
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putLong(zxid);
                    h.flip();
                    out.write(h);
                    for (int i = keepFrom; i < tail.size(); i++) {
                        Entry e = tail.get(i);
                        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + e.payload().length);
                        b.putInt(e.payload().length).putLong(e.zxid()).putInt(crcOf(e.payload().length, e.zxid(),
                                e.payload())).put(e.payload());
                        b.flip();
                        while (b.hasRemaining()) {
                            out.write(b);
                        }
                    }
                    out.force(true);
                }
                channel.close();
                Files.move(tmp, logFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                channel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                tail.compactTo(zxid);
                writeOffset = channel.size();
                allocated = writeOffset;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compact " + logFile, e);
            }
        }
    }

    /** Entries kept after the base (in memory and on disk). */
    public int entryCount() {
        return tail.size();
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(5_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing {}", logFile, e);
        }
    }
}
