package dev.paddock.server.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A snapshot file that came from outside (the AdminServer's restore: what its snapshot command streamed):
 * checks its header and checksum and hands back the body, which the caller decodes at a zxid of its own
 * choosing (a restore relabels the state with a zxid after everything the server logged, so that recovery
 * can never replay older entries on top of it). Nothing here is trusted: every fault is an IOException whose
 * message says what is wrong, never a stop of the process. Any thread.
 */
public final class SnapshotUpload {
    /** The largest body a byte array holds: the inflated body is decoded from one array. */
    private static final long MAX_BODY = Integer.MAX_VALUE - 16;

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
            if (version != LogFormat.SNAPSHOT_VERSION && version != LogFormat.SNAPSHOT_VERSION_DEFLATE) {
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
            byte[] stored = body.array();
            return new Body(zxid, version == LogFormat.SNAPSHOT_VERSION_DEFLATE ? inflate(stored) : stored);
        }
    }

    /** The body of a deflated (version 2) snapshot, as the checksum-verified bytes decompress. */
    private static byte[] inflate(byte[] stored) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, stored.length * 4));
            byte[] chunk = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated deflated snapshot body");
                }
                if ((long) out.size() + n > MAX_BODY) {
                    throw new IOException("snapshot body larger than " + MAX_BODY + " bytes once inflated");
                }
                out.write(chunk, 0, n);
            }
            if (inflater.getRemaining() > 0) {
                throw new IOException("bytes after the deflated snapshot body");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("damaged deflated snapshot body: " + e.getMessage(), e);
        } finally {
            inflater.end();
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
