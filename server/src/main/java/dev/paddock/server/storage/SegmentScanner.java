package dev.paddock.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads one log segment and checks every record. It never decides what a bad record means: it reports
 * where the valid records stop and whether any valid record follows (a corrupt record in the middle) or
 * none does (a torn tail); {@link Recovery} decides.
 */
public final class SegmentScanner {
    private SegmentScanner() {
    }

    public interface Visitor {
        /**
         * A valid record: its zxid, its offset in the file and its payload: a view of the file's read-only mapping
         * (a heap buffer for a format 1 segment), which stays readable after the scan for as long as it is
         * referenced, unless the file is cut below it.
         */
        void record(long zxid, long offset, ByteBuffer payload) throws IOException;

        /**
         * Whether {@link #record} wants the valid record {@code zxid} (checked all the same); false spares
         * building its payload view, for records a reader skips (those a snapshot already holds: a restart from
         * a snapshot walks the million records of the segment it ends in).
         */
        default boolean wants(long zxid) {
            return true;
        }
    }

    /** Where and why the valid records of a segment stop. */
    public record Outcome(Path file, boolean headerValid, long headerZxid, int records, long firstZxid,
                          long lastZxid, long validEnd, long fileSize, String problem, long badOffset,
                          long resumeOffset, long resumeZxid) {
        /** Nothing wrong: the records end in zeros or at the end of the file. */
        public boolean clean() {
            return problem == null;
        }

        /** Bad bytes with no valid record after them. */
        public boolean tornTail() {
            return problem != null && resumeOffset < 0;
        }
    }

    /** Visits the valid records from the start; at the first bad one, stops and looks for a later valid one. */
    public static Outcome scan(Path file, Visitor visitor) throws IOException {
        return scanFrom(file, 0, visitor);
    }

    /**
     * Like {@link #scan}, but starts at {@code offset} (0 = after the header): used to go on after a bad
     * region, at {@link Outcome#resumeOffset}.
     */
    public static Outcome scanFrom(Path file, long offset, Visitor visitor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + " is larger than 2 GiB; not a Paddock log segment");
            }
            ByteBuffer buf = size == 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            buf.order(ByteOrder.BIG_ENDIAN);
            return scan(file, buf, (int) offset, visitor);
        }
    }

    static Outcome scan(Path file, ByteBuffer buf, int offset, Visitor visitor) throws IOException {
        int limit = buf.limit();
        boolean headerValid = false;
        boolean bareTxns = false;
        long headerZxid = -1;
        if (limit >= LogFormat.SEGMENT_HEADER_BYTES && buf.getInt(0) == LogFormat.SEGMENT_MAGIC) {
            CRC32C crc = new CRC32C();
            ByteBuffer h = buf.duplicate();
            h.position(0).limit(16);
            crc.update(h);
            int version = buf.getInt(4);
            if ((int) crc.getValue() == buf.getInt(16) && version >= LogFormat.OLDEST_READ_VERSION
                    && version <= LogFormat.VERSION) {
                headerValid = true;
                headerZxid = buf.getLong(8);
                bareTxns = version == 1;
            }
        }
        if (!headerValid && offset == 0) {
            long resume = findRecord(buf, 0);
            String problem = limit == 0 ? "empty file (no header)" : "bad segment header";
            return new Outcome(file, false, -1, 0, -1, -1, 0, limit, problem, 0, resume,
                    resume < 0 ? -1 : buf.getLong((int) resume + 4));
        }
        int pos = offset == 0 ? LogFormat.SEGMENT_HEADER_BYTES : offset;
        ByteBuffer crcView = buf.duplicate();
        CRC32C recordCrc = new CRC32C();
        int records = 0;
        long first = -1;
        long last = -1;
        while (true) {
            if (limit - pos < LogFormat.RECORD_HEADER_BYTES) {
                if (allZero(buf, pos, limit)) {
                    return new Outcome(file, headerValid, headerZxid, records, first, last, pos, limit, null, -1,
                            -1, -1);
                }
                return new Outcome(file, headerValid, headerZxid, records, first, last, pos, limit,
                        "truncated record header", pos, -1, -1);
            }
            int len = buf.getInt(pos);
            long zxid = buf.getLong(pos + 4);
            int crc = buf.getInt(pos + 12);
            if (len == 0 && zxid == 0 && crc == 0) {
                // The preallocated tail; it must be zeros to the end, or a record hides behind a zeroed header.
                long resume = findRecord(buf, pos + 1);
                if (resume < 0) {
                    return new Outcome(file, headerValid, headerZxid, records, first, last, pos, limit, null, -1,
                            -1, -1);
                }
                return new Outcome(file, headerValid, headerZxid, records, first, last, pos, limit,
                        "zeroed record header", pos, resume, buf.getLong((int) resume + 4));
            }
            String problem = null;
            if (len <= 0 || len > LogFormat.MAX_RECORD_BYTES) {
                problem = "bad record length " + len;
            } else if ((long) pos + LogFormat.RECORD_HEADER_BYTES + len > limit) {
                problem = "record of " + len + " bytes runs past the end of the file";
            } else if (LogFormat.recordCrc(crcView, recordCrc, pos, len) != crc) {
                problem = "record checksum mismatch";
            } else if (last >= 0 && zxid <= last) {
                problem = "zxid 0x" + Long.toHexString(zxid) + " after 0x" + Long.toHexString(last);
            }
            if (problem != null) {
                long resume = findRecord(buf, pos + 1);
                return new Outcome(file, headerValid, headerZxid, records, first, last, pos, limit, problem, pos,
                        resume, resume < 0 ? -1 : buf.getLong((int) resume + 4));
            }
            if (visitor != null && visitor.wants(zxid)) {
                ByteBuffer payload = buf.duplicate();
                payload.position(pos + LogFormat.RECORD_HEADER_BYTES).limit(pos + LogFormat.RECORD_HEADER_BYTES + len);
                // Format 1 segments hold bare transactions; every reader sees entry payloads.
                visitor.record(zxid, pos, bareTxns ? EntryPayload.fromBareTxn(payload.slice()) : payload.slice());
            }
            records++;
            if (first < 0) {
                first = zxid;
            }
            last = zxid;
            pos += LogFormat.RECORD_HEADER_BYTES + len;
        }
    }

    /** The offset of the first valid record at or after {@code from}, or -1 (a byte-by-byte search). */
    static long findRecord(ByteBuffer buf, int from) {
        int limit = buf.limit();
        for (int p = Math.max(from, 0); p + LogFormat.RECORD_HEADER_BYTES <= limit; p++) {
            if (buf.getLong(p) == 0) {
                p += 4; // no record can start in p..p+4: its length would be zero
                continue;
            }
            int len = buf.getInt(p);
            if (len <= 0 || len > LogFormat.MAX_RECORD_BYTES || (long) p + LogFormat.RECORD_HEADER_BYTES + len > limit) {
                continue;
            }
            if (buf.getLong(p + 4) <= 0) {
                continue;
            }
            if (LogFormat.recordCrc(buf, p, len) == buf.getInt(p + 12)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean allZero(ByteBuffer buf, int from, int to) {
        if (from < 0) {
            return false;
        }
        for (int p = from; p < to; p++) {
            if (buf.get(p) != 0) {
                return false;
            }
        }
        return true;
    }
}
