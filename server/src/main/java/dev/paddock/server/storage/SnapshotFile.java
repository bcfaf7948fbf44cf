package dev.paddock.server.storage;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes and reads snapshot files: a header with the zxid and the CRC32C of the body, then the body of
 * {@link TreeSnapshot}. A snapshot is written to a temporary name, forced, and renamed into place, so a
 * file with a snapshot name is always complete unless the disk corrupted it, which the checksum catches.
 * Uncompressed: restore is bound by building the tree, not by reading the bytes.
 */
public final class SnapshotFile {
    private static final int CHUNK = 1 << 20;

    private SnapshotFile() {
    }

    /** What a snapshot file holds. */
    public record Loaded(StateMachine stateMachine, long zxid) {
    }

    /** Writes the capture into {@code dir}; returns the file. Any thread. */
    public static Path write(Path dir, TreeSnapshot.Capture capture) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(LogFormat.snapshotName(capture.zxid()));
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ChunkedOutput out = new ChunkedOutput(ch, LogFormat.SNAPSHOT_HEADER_BYTES);
            capture.writeTo(out);
            out.flush();
            ByteBuffer header = ByteBuffer.allocate(LogFormat.SNAPSHOT_HEADER_BYTES);
            header.putInt(LogFormat.SNAPSHOT_MAGIC).putInt(LogFormat.SNAPSHOT_VERSION).putLong(capture.zxid())
                    .putInt((int) out.crc.getValue()).flip();
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
            if (version != LogFormat.SNAPSHOT_VERSION) {
                throw new IOException("unknown snapshot version " + version);
            }
            long zxid = header.getLong();
            int expectedCrc = header.getInt();
            long nameZxid = LogFormat.zxidOf(file, LogFormat.SNAPSHOT_PREFIX);
            if (nameZxid >= 0 && nameZxid != zxid) {
                throw new IOException("header zxid 0x" + Long.toHexString(zxid) + " does not match the file name");
            }
            ChunkedInput in = new ChunkedInput(ch);
            StateMachine sm;
            try {
                sm = TreeSnapshot.read(in, zxid, extendedTypesEnabled);
            } catch (EOFException e) {
                throw new IOException("truncated body", e);
            } catch (RuntimeException e) {
                throw new IOException("malformed body: " + e, e);
            }
            if (!in.atEnd()) {
                throw new IOException("bytes after the end of the body");
            }
            if ((int) in.crc.getValue() != expectedCrc) {
                throw new IOException("checksum mismatch");
            }
            return new Loaded(sm, zxid);
        }
    }

    /** Buffered DataOutput into a channel from a position on, with a running CRC32C (unsynchronized). */
    static final class ChunkedOutput implements DataOutput {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        private final CRC32C crc = new CRC32C();
        private long position;

        ChunkedOutput(FileChannel ch, long position) {
            this.ch = ch;
            this.position = position;
        }

        private void ensure(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) {
                position += ch.write(buf, position);
            }
            buf.clear();
        }

        @Override
        public void write(int b) throws IOException {
            ensure(1);
            buf.put((byte) b);
        }

        @Override
        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void writeBoolean(boolean v) throws IOException {
            write(v ? 1 : 0);
        }

        @Override
        public void writeByte(int v) throws IOException {
            write(v);
        }

        @Override
        public void writeShort(int v) throws IOException {
            ensure(2);
            buf.putShort((short) v);
        }

        @Override
        public void writeChar(int v) throws IOException {
            ensure(2);
            buf.putChar((char) v);
        }

        @Override
        public void writeInt(int v) throws IOException {
            ensure(4);
            buf.putInt(v);
        }

        @Override
        public void writeLong(long v) throws IOException {
            ensure(8);
            buf.putLong(v);
        }

        @Override
        public void writeFloat(float v) throws IOException {
            writeInt(Float.floatToIntBits(v));
        }

        @Override
        public void writeDouble(double v) throws IOException {
            writeLong(Double.doubleToLongBits(v));
        }

        @Override
        public void writeBytes(String s) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeChars(String s) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeUTF(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(b.length);
            write(b);
        }
    }

    /** Buffered DataInput from a channel's position to its end, with a running CRC32C (unsynchronized). */
    static final class ChunkedInput implements DataInput {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        private final CRC32C crc = new CRC32C();
        private boolean eof;

        ChunkedInput(FileChannel ch) {
            this.ch = ch;
            buf.flip();
        }

        private void need(int n) throws IOException {
            while (buf.remaining() < n) {
                if (eof) {
                    throw new EOFException();
                }
                buf.compact();
                int start = buf.position();
                int r = ch.read(buf);
                if (r < 0) {
                    eof = true;
                } else {
                    crc.update(buf.array(), start, r);
                }
                buf.flip();
            }
        }

        boolean atEnd() throws IOException {
            try {
                need(1);
                return false;
            } catch (EOFException e) {
                return true;
            }
        }

        @Override
        public void readFully(byte[] b) throws IOException {
            readFully(b, 0, b.length);
        }

        @Override
        public void readFully(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                need(1);
                int n = Math.min(len, buf.remaining());
                buf.get(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public int skipBytes(int n) throws IOException {
            readFully(new byte[n]);
            return n;
        }

        @Override
        public boolean readBoolean() throws IOException {
            return readByte() != 0;
        }

        @Override
        public byte readByte() throws IOException {
            need(1);
            return buf.get();
        }

        @Override
        public int readUnsignedByte() throws IOException {
            return readByte() & 0xff;
        }

        @Override
        public short readShort() throws IOException {
            need(2);
            return buf.getShort();
        }

        @Override
        public int readUnsignedShort() throws IOException {
            return readShort() & 0xffff;
        }

        @Override
        public char readChar() throws IOException {
            need(2);
            return buf.getChar();
        }

        @Override
        public int readInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        @Override
        public long readLong() throws IOException {
            need(8);
            return buf.getLong();
        }

        @Override
        public float readFloat() throws IOException {
            return Float.intBitsToFloat(readInt());
        }

        @Override
        public double readDouble() throws IOException {
            return Double.longBitsToDouble(readLong());
        }

        @Override
        public String readLine() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String readUTF() throws IOException {
            byte[] b = new byte[readInt()];
            readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
