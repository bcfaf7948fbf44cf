package dev.paddock.server.storage;

import dev.paddock.server.quorum.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads entries back from the log segments while the {@link SegmentWriter} goes on writing them: the older
 * part of a {@link ReplicaLog}, which lives only on disk (a DIFF for a learner that is behind, entries
 * applied after start-up). Positional reads, not a mapping: the writer may cut or extend a segment
 * meanwhile, which a read past the end survives and a mapped page would not.
 *
 * <p>The caller asks only for entries the writer has already written and says how many there are, so a
 * read never goes past them into a record being written. It remembers where the last read stopped, so
 * reading a long range batch by batch does not scan each segment from its start again. Member thread only.
 */
final class SegmentReader {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path logDir;
    /**
     * One read buffer for every read (member thread only), direct so a read lands in it without the JDK's
     * copy through a temporary direct buffer; it grows to the largest record met.
     */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    /** Where the last read stopped: after the record {@code cursorZxid} of {@code cursorFile}. */
    private Path cursorFile;
    private long cursorOffset;
    private long cursorZxid;
    private boolean cursorBare;

    SegmentReader(Path logDir) {
        this.logDir = logDir;
    }

    /** The log was cut or replaced: where the last read stopped may no longer hold. */
    void forgetPosition() {
        cursorFile = null;
    }

    /**
     * The first {@code count} records with fromExclusive &lt; zxid &lt;= toInclusive, in zxid order.
     *
     * @throws IOException when fewer are found, or a record on the way is damaged
     */
    List<Entry> read(long fromExclusive, long toInclusive, int count) throws IOException {
        List<Entry> out = new ArrayList<>(Math.min(count, 4096));
        if (count <= 0) {
            return out;
        }
        List<Path> segments = LogFormat.list(logDir, LogFormat.LOG_PREFIX);
        int start = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (LogFormat.zxidOf(segments.get(i), LogFormat.LOG_PREFIX) <= fromExclusive + 1) {
                start = i;
            }
        }
        for (int i = start; i < segments.size() && out.size() < count; i++) {
            readSegment(segments.get(i), fromExclusive, toInclusive, count, out);
        }
        if (out.size() < count) {
            throw new IOException("the log in " + logDir + " holds " + out.size() + " of the " + count
                    + " entries after zxid 0x" + Long.toHexString(fromExclusive) + " up to 0x"
                    + Long.toHexString(toInclusive));
        }
        return out;
    }

    private void readSegment(Path file, long from, long to, int count, List<Entry> out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean resume = file.equals(cursorFile) && cursorZxid <= from;
            Buffered in = new Buffered(ch, resume ? cursorOffset : 0, buffer);
            try {
                readRecords(in, file, from, to, count, out, resume);
            } finally {
                buffer = in.buf;
            }
        }
    }

    private void readRecords(Buffered in, Path file, long from, long to, int count, List<Entry> out, boolean resume)
            throws IOException {
        boolean bare = resume ? cursorBare : readHeader(in, file);
        while (out.size() < count && in.ensure(LogFormat.RECORD_HEADER_BYTES)) {
            ByteBuffer b = in.buf;
            int p = b.position();
            int len = b.getInt(p);
            long zxid = b.getLong(p + 4);
            int crc = b.getInt(p + 12);
            if (len == 0 && zxid == 0 && crc == 0) {
                return; // the preallocated end of the segment
            }
            long offset = in.offset();
            if (len <= 0 || len > LogFormat.MAX_RECORD_BYTES || zxid > to) {
                throw new IOException("unexpected record (length " + len + ", zxid 0x" + Long.toHexString(zxid)
                        + ") in " + file + " at offset " + offset);
            }
            if (!in.ensure(LogFormat.RECORD_HEADER_BYTES + len)) {
                throw new IOException("record runs past the end of " + file + " at offset " + offset);
            }
            if (zxid > from) {
                out.add(decode(file, offset, in.buf, len, zxid, crc, bare));
            }
            // ensure may have moved the bytes within the buffer: the record starts at its position now
            in.buf.position(in.buf.position() + LogFormat.RECORD_HEADER_BYTES + len);
            cursorFile = file;
            cursorOffset = in.offset();
            cursorZxid = zxid;
            cursorBare = bare;
        }
    }

    /** Checks the segment header; returns whether the segment holds bare transactions (format 1). */
    private static boolean readHeader(Buffered in, Path file) throws IOException {
        if (!in.ensure(LogFormat.SEGMENT_HEADER_BYTES) || in.buf.getInt(0) != LogFormat.SEGMENT_MAGIC) {
            throw new IOException("bad segment header in " + file);
        }
        int version = in.buf.getInt(4);
        in.buf.position(LogFormat.SEGMENT_HEADER_BYTES);
        return version == 1;
    }

    private static Entry decode(Path file, long offset, ByteBuffer b, int len, long zxid, int crc, boolean bare)
            throws IOException {
        int p = b.position();
        if (LogFormat.recordCrc(b, p, len) != crc) {
            throw new IOException("record checksum mismatch in " + file + " at offset " + offset);
        }
        ByteBuffer payload = b.duplicate();
        payload.position(p + LogFormat.RECORD_HEADER_BYTES).limit(p + LogFormat.RECORD_HEADER_BYTES + len);
        ByteBuffer body = bare ? EntryPayload.fromBareTxn(payload.slice()) : payload.slice();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new Entry(zxid, bytes);
    }

    /** A read buffer over a channel; {@code buf}'s position is the next unread byte. */
    private static final class Buffered {
        private final FileChannel ch;
        private long bufStart;
        ByteBuffer buf;

        Buffered(FileChannel ch, long offset, ByteBuffer buf) {
            this.ch = ch;
            this.bufStart = offset;
            this.buf = buf;
            buf.clear().limit(0);
        }

        long offset() {
            return bufStart + buf.position();
        }

        /** Makes {@code n} bytes readable at the position; false at the end of the file. */
        boolean ensure(int n) throws IOException {
            if (buf.remaining() >= n) {
                return true;
            }
            bufStart += buf.position();
            if (buf.capacity() < n) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(n, buf.capacity() * 2));
                bigger.put(buf);
                buf = bigger;
            } else {
                buf.compact();
            }
            while (buf.position() < n) {
                if (ch.read(buf, bufStart + buf.position()) < 0) {
                    break;
                }
            }
            buf.flip();
            return buf.remaining() >= n;
        }
    }
}
