package dev.paddock.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * File names and byte layouts of the log and the snapshots. All integers are big-endian.
 *
 * <pre>
 * log.&lt;first zxid, hex&gt;      header: magic "PDLG" | version | first zxid (8) | CRC32C of the previous 16 bytes
 *                             then records, then zeros up to the preallocated size
 * record                      length of payload (4) | zxid (8) | CRC32C (4) of length, zxid and payload | payload
 *                             (format 2: an {@link EntryPayload}, which starts with its own record version;
 *                             format 1, written before standalone and ensembles shared this log: a bare
 *                             {@link TxnCodec} transaction, read as an EntryPayload with origin 0)
 * snapshot.&lt;zxid, hex&gt;      magic "PDSN" | version | zxid (8) | CRC32C of the body as stored (4) | body (see
 *                             TreeSnapshot): version 1 as is, version 2 deflated (a zlib stream)
 * </pre>
 *
 * A record whose header is all zeros ends the segment (the preallocated tail). Files live in a
 * {@value #SUBDIR} directory of dataDir / dataLogDir, so they never mix with ZooKeeper's {@code version-2}.
 */
public final class LogFormat {
    public static final String SUBDIR = "paddock-1";
    public static final int SEGMENT_MAGIC = 0x50444c47; // "PDLG"
    public static final int SNAPSHOT_MAGIC = 0x5044534e; // "PDSN"
    /** The segment format written now. */
    public static final int VERSION = 2;
    /** The oldest segment format still read. */
    public static final int OLDEST_READ_VERSION = 1;
    /** The snapshot body format (unchanged since the first release), stored as is. */
    public static final int SNAPSHOT_VERSION = 1;
    /** The same body, deflated (zlib stream); the header's CRC32C covers the deflated bytes. */
    public static final int SNAPSHOT_VERSION_DEFLATE = 2;
    /** The files holding the epochs a member promised and adopted (as ZooKeeper's, in dataDir). */
    public static final String ACCEPTED_EPOCH_FILE = "acceptedEpoch";
    public static final String CURRENT_EPOCH_FILE = "currentEpoch";
    public static final int SEGMENT_HEADER_BYTES = 20;
    public static final int RECORD_HEADER_BYTES = 16;
    public static final int SNAPSHOT_HEADER_BYTES = 20;
    /** Upper bound on one record's payload; anything larger is corruption, not data. */
    public static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
    public static final String LOG_PREFIX = "log.";
    public static final String SNAPSHOT_PREFIX = "snapshot.";

    private LogFormat() {
    }

    public static String segmentName(long firstZxid) {
        return LOG_PREFIX + Long.toHexString(firstZxid);
    }

    public static String snapshotName(long zxid) {
        return SNAPSHOT_PREFIX + Long.toHexString(zxid);
    }

    /** The zxid in a log or snapshot file name, or -1 when the name is not one of ours. */
    public static long zxidOf(Path file, String prefix) {
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(prefix.length()), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Files with the prefix in the directory, by zxid ascending. */
    public static List<Path> list(Path dir, String prefix) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : ds) {
                if (zxidOf(p, prefix) >= 0 && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(Comparator.comparingLong(p -> zxidOf(p, prefix)));
        return files;
    }

    public static ByteBuffer segmentHeader(long firstZxid) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
        b.putInt(SEGMENT_MAGIC).putInt(VERSION).putLong(firstZxid);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue());
        b.flip();
        return b;
    }

    /** CRC32C of a record: its length and zxid fields, then its payload. */
    static int recordCrc(ByteBuffer buf, int recordStart, int payloadLength) {
        return recordCrc(buf.duplicate(), new CRC32C(), recordStart, payloadLength);
    }

    /**
     * The same, through a caller's view of the buffer and checksum, both reused record after record (a scan
     * of a million records then allocates neither); moves the view's position and limit.
     */
    static int recordCrc(ByteBuffer view, CRC32C crc, int recordStart, int payloadLength) {
        crc.reset();
        view.limit(recordStart + 12).position(recordStart);
        crc.update(view);
        view.limit(recordStart + RECORD_HEADER_BYTES + payloadLength).position(recordStart + RECORD_HEADER_BYTES);
        crc.update(view);
        return (int) crc.getValue();
    }

    /** Forces a directory's entries (a new or renamed file) to disk, where the platform allows it. */
    public static void syncDirectory(Path dir) {
        try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open directories; the rename itself is still atomic there.
        }
    }
}
