package dev.paddock.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A snapshot file that came from outside (the AdminServer's restore: what its snapshot command streamed):
 * checks its header and checksum and hands back the body, which the caller decodes at a zxid of its own
 * choosing (a restore relabels the state with a zxid after everything the server logged, so that recovery
 * can never replay older entries on top of it). Nothing here is trusted: every fault is an IOException whose
 * message says what is wrong, never a stop of the process. Any thread.
 */
public final class SnapshotUpload {
    private SnapshotUpload() {
    }

    /** The verified body and the zxid the snapshot's header names (where the uploaded state was taken). */
    public record Body(long sourceZxid, byte[] bytes) {
    }

    /**
     * Reads and verifies {@code file}.
     *
     * @param maxBytes the largest file accepted (the body is held in memory while it is installed, as a
     *                 learner holds a leader's SNAP)
     */
    public static Body read(Path file, long maxBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < LogFormat.SNAPSHOT_HEADER_BYTES) {
                throw new IOException("not a Paddock snapshot: " + size + " bytes, shorter than its header");
            }
            if (size > maxBytes || size - LogFormat.SNAPSHOT_HEADER_BYTES > Integer.MAX_VALUE - 16) {
                throw new IOException("snapshot of " + size + " bytes is larger than the limit of " + maxBytes);
            }
            ByteBuffer header = ByteBuffer.allocate(LogFormat.SNAPSHOT_HEADER_BYTES);
            readFully(ch, header);
            header.flip();
            if (header.getInt() != LogFormat.SNAPSHOT_MAGIC) {
                throw new IOException("not a Paddock snapshot (bad magic)");
            }
            int version = header.getInt();
            if (version != LogFormat.SNAPSHOT_VERSION) {
                throw new IOException("unknown snapshot version " + version);
            }
            long zxid = header.getLong();
            int expectedCrc = header.getInt();
            ByteBuffer body = ByteBuffer.allocate((int) (size - LogFormat.SNAPSHOT_HEADER_BYTES));
            readFully(ch, body);
            CRC32C crc = new CRC32C();
            crc.update(body.array(), 0, body.capacity());
            if ((int) crc.getValue() != expectedCrc) {
                throw new IOException("checksum mismatch: the snapshot is damaged or incomplete");
            }
            return new Body(zxid, body.array());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (ch.read(into) < 0) {
                throw new IOException("truncated snapshot");
            }
        }
    }
}
