package dev.paddock.server.storage;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes and reads snapshot files: a header with the zxid and the CRC32C of the body as stored, then the body
 * of {@link TreeSnapshot}. A snapshot is written to a temporary name, forced, and renamed into place, so a
 * file with a snapshot name is always complete unless the disk corrupted it, which the checksum catches.
 *
 * <p>The header's version says how the body is stored: {@link LogFormat#SNAPSHOT_VERSION} as is (every
 * snapshot before compression, and a leader's snapshot installed by a learner, which arrives serialised),
 * {@link LogFormat#SNAPSHOT_VERSION_DEFLATE} deflated at level 4. Snapshots are written deflated unless
 * {@value #COMPRESSION_PROPERTY}{@code =none}: a tree's paths and data repeat a lot, and zlib inflates at
 * several hundred MB/s, a small part of a restart that is spent building the tree. Level 4 is the first with
 * lazy matching: on the bench's 1M znodes (a 197 MB body) it deflates to 7.9 MB in 0.9 s of the snapshot
 * thread's CPU, where level 1 gave 10.3 MB in 0.45 s, level 2 9.4 MB in 0.55 s and level 6 7.0 MB in 1.7 s.
 * Both versions are always read, at any level.
 */
public final class SnapshotFile {
    /** {@code deflate} (the default) or {@code none}: how periodic snapshots store their body. */
    public static final String COMPRESSION_PROPERTY = "paddock.snapshotCompression";
    private static final int DEFLATE_LEVEL = 4;

    private SnapshotFile() {
    }

    /** Whether snapshots written now are deflated ({@value #COMPRESSION_PROPERTY}; read at each write). */
    static boolean compress() {
        String v = System.getProperty(COMPRESSION_PROPERTY, "deflate");
        return !v.equalsIgnoreCase("none");
    }

    /** What a snapshot file holds. */
    public record Loaded(StateMachine stateMachine, long zxid) {
    }

    /** Writes the capture into {@code dir}; returns the file. Any thread. */
    public static Path write(Path dir, TreeSnapshot.Capture capture) throws IOException {
        return write(dir, capture, compress());
    }

    /** Writes the capture, deflated or as is; returns the file. Any thread. */
    static Path write(Path dir, TreeSnapshot.Capture capture, boolean deflate) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(LogFormat.snapshotName(capture.zxid()));
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            SnapshotOutput out = new SnapshotOutput(ch, LogFormat.SNAPSHOT_HEADER_BYTES,
                    deflate ? DEFLATE_LEVEL : SnapshotOutput.STORED);
            try {
                capture.writeTo(out);
                out.finish();
            } finally {
                out.release();
            }
            ByteBuffer header = ByteBuffer.allocate(LogFormat.SNAPSHOT_HEADER_BYTES);
            header.putInt(LogFormat.SNAPSHOT_MAGIC)
                    .putInt(deflate ? LogFormat.SNAPSHOT_VERSION_DEFLATE : LogFormat.SNAPSHOT_VERSION)
                    .putLong(capture.zxid()).putInt(out.storedCrc()).flip();
            long p = 0;
            while (header.hasRemaining()) {
                p += ch.write(header, p);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        LogFormat.syncDirectory(dir);
        return target;
    }

    /**
     * Writes a snapshot whose body was serialised elsewhere (a leader's, received for installation) into
     * {@code dir}, with the same header, temporary file, force and rename as {@link #write}. Any thread.
     */
    public static Path writeBody(Path dir, long zxid, byte[] body) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(LogFormat.snapshotName(zxid));
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(LogFormat.SNAPSHOT_HEADER_BYTES);
            header.putInt(LogFormat.SNAPSHOT_MAGIC).putInt(LogFormat.SNAPSHOT_VERSION).putLong(zxid)
                    .putInt((int) crc.getValue()).flip();
            ByteBuffer all = ByteBuffer.allocate(header.remaining() + body.length).put(header).put(body).flip();
            while (all.hasRemaining()) {
                ch.write(all);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LogFormat.syncDirectory(dir);
        return target;
    }

    /** Reads and verifies a snapshot; the message of the exception says what is wrong with it. */
    public static Loaded read(Path file, boolean extendedTypesEnabled) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(LogFormat.SNAPSHOT_HEADER_BYTES);
            while (header.hasRemaining()) {
                if (ch.read(header) < 0) {
                    throw new IOException("truncated header");
                }
            }
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
            long nameZxid = LogFormat.zxidOf(file, LogFormat.SNAPSHOT_PREFIX);
            if (nameZxid >= 0 && nameZxid != zxid) {
                throw new IOException("header zxid 0x" + Long.toHexString(zxid) + " does not match the file name");
            }
            SnapshotInput in = new SnapshotInput(ch, version == LogFormat.SNAPSHOT_VERSION_DEFLATE);
            try {
                StateMachine sm;
                try {
                    sm = TreeSnapshot.read(in, zxid, extendedTypesEnabled);
                } catch (EOFException e) {
                    throw new IOException("truncated body", e);
                } catch (RuntimeException e) {
                    throw new IOException("malformed body: " + e, e);
                }
                boolean atEnd = in.atEnd();
                // The checksum first: a corrupt compressed body most often shows as trailing bytes.
                if (in.storedCrc() != expectedCrc) {
                    throw new IOException("checksum mismatch");
                }
                if (!atEnd) {
                    throw new IOException("bytes after the end of the body");
                }
                return new Loaded(sm, zxid);
            } finally {
                in.release();
            }
        }
    }
}
