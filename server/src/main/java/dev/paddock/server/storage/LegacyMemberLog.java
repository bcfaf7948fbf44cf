package dev.paddock.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the data of an ensemble member written by Paddock before standalone and ensembles shared one log
 * (everything under {@code <dataLogDir>/paddock-1/quorum/}: {@code replica.log}, the epoch files and the
 * member's snapshots) to the current layout, once, at start-up:
 * <ol>
 * <li>the snapshots and epoch files move next to the standalone ones (their format did not change);</li>
 * <li>the replica log's records become a segment of the current format (each payload gains its record
 *     version byte), written to a temporary file, forced, then renamed;</li>
 * <li>the old directory is renamed {@code quorum.converted}, kept for going back by hand.</li>
 * </ol>
 * A crash in between repeats the conversion on the next start (every step can be repeated). The old
 * replica log is read as the old code read it: its torn tail (a write that never completed, so was never
 * acknowledged) ends it; any other damage stops start-up with the file and offset.
 */
final class LegacyMemberLog {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyMemberLog.class);
    private static final int MAGIC = 0x50445251; // "PDRQ"
    private static final int HEADER_BYTES = 12;
    private static final int RECORD_HEADER_BYTES = 16;

    private LegacyMemberLog() {
    }

    static void convertIfPresent(StorageLayout layout) throws IOException {
        Path old = layout.legacyMemberDir();
        if (!Files.isDirectory(old)) {
            return;
        }
        LOG.info("Converting the member data in {} to the current layout", old);
        for (Path snapshot : LogFormat.list(old, LogFormat.SNAPSHOT_PREFIX)) {
            Files.move(snapshot, layout.snapDir().resolve(snapshot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String name : new String[] {LogFormat.ACCEPTED_EPOCH_FILE, LogFormat.CURRENT_EPOCH_FILE}) {
            if (Files.exists(old.resolve(name))) {
                Files.move(old.resolve(name), layout.snapDir().resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        LogFormat.syncDirectory(layout.snapDir());
        Path replicaLog = old.resolve("replica.log");
        if (Files.exists(replicaLog)) {
            convertLog(replicaLog, layout.logDir());
        }
        Files.move(old, old.resolveSibling("quorum.converted"), StandardCopyOption.REPLACE_EXISTING);
        LogFormat.syncDirectory(layout.logDir());
        LOG.info("Converted; the old files are in {}", old.resolveSibling("quorum.converted"));
    }

    private static void convertLog(Path replicaLog, Path logDir) throws IOException {
        ByteBuffer in;
        try (FileChannel ch = FileChannel.open(replicaLog, StandardOpenOption.READ)) {
            in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        if (in.limit() < HEADER_BYTES || in.getInt(0) != MAGIC) {
            throw new IOException(replicaLog + " is not a Paddock replica log (bad header)");
        }
        ByteBuffer out = ByteBuffer.allocate(Math.max(1024, in.limit() * 2 + LogFormat.SEGMENT_HEADER_BYTES));
        long first = -1;
        int pos = HEADER_BYTES;
        int records = 0;
        while (pos + RECORD_HEADER_BYTES <= in.limit()) {
            int len = in.getInt(pos);
            long zxid = in.getLong(pos + 4);
            if (len == 0 && zxid == 0) {
                break; // the preallocated tail
            }
            if (len < 0 || pos + RECORD_HEADER_BYTES + len > in.limit() || crc(in, pos, len) != in.getInt(pos + 12)) {
                LOG.warn("{}: a write that never completed at offset {}; the records before it are kept",
                        replicaLog, pos);
                break;
            }
            if (first < 0) {
                first = zxid;
                out.put(LogFormat.segmentHeader(first));
            }
            int start = out.position();
            out.putInt(len + 1).putLong(zxid).putInt(0).put(EntryPayload.VERSION_FIXED);
            out.put(in.duplicate().position(pos + RECORD_HEADER_BYTES).limit(pos + RECORD_HEADER_BYTES + len));
            out.putInt(start + 12, LogFormat.recordCrc(out, start, len + 1));
            pos += RECORD_HEADER_BYTES + len;
            records++;
        }
        if (first < 0) {
            return;
        }
        Path target = logDir.resolve(LogFormat.segmentName(first));
        Path tmp = logDir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("Converted {} records of {} into {}", records, replicaLog, target);
    }

    private static int crc(ByteBuffer in, int pos, int len) {
        CRC32C crc = new CRC32C();
        crc.update(in.duplicate().position(pos).limit(pos + 12));
        crc.update(in.duplicate().position(pos + RECORD_HEADER_BYTES).limit(pos + RECORD_HEADER_BYTES + len));
        return (int) crc.getValue();
    }
}
