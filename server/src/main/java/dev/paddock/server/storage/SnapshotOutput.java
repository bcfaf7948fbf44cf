package dev.paddock.server.storage;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;

/**
 * The body of a snapshot file as it is written: a buffered DataOutput (unsynchronized, unlike
 * DataOutputStream over a BufferedOutputStream, whose lock every small write would take) into a channel
 * from a position on, either stored as is or deflated chunk by chunk, with a running CRC32C of the bytes
 * as stored. {@link #finish} ends the body; {@link #storedCrc} is then what the header records.
 */
final class SnapshotOutput implements DataOutput {
    /** The level that means: no compression at all (not even deflate's stored blocks). */
    static final int STORED = -2;
    private static final int CHUNK = 1 << 20;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    private final CRC32C crc = new CRC32C();
    /** Null when the body is stored as is. */
    private final Deflater deflater;
    private final byte[] deflated;
    private long position;

    /** @param deflateLevel a {@link Deflater} level, or -2 to store the body as is */
    SnapshotOutput(FileChannel ch, long position, int deflateLevel) {
        this.ch = ch;
        this.position = position;
        this.deflater = deflateLevel == STORED ? null : new Deflater(deflateLevel);
        this.deflated = deflater == null ? null : new byte[CHUNK];
    }

    int storedCrc() {
        return (int) crc.getValue();
    }

    /** Writes what is buffered and, when deflating, the end of the compressed stream; frees the deflater. */
    void finish() throws IOException {
        flush();
        if (deflater != null) {
            try {
                deflater.finish();
                while (!deflater.finished()) {
                    store(deflated, 0, deflater.deflate(deflated));
                }
            } finally {
                deflater.end();
            }
        }
    }

    /** Frees the deflater's native memory after a body that failed to write (finish does it otherwise). */
    void release() {
        if (deflater != null) {
            deflater.end();
        }
    }

    private void store(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        ByteBuffer w = ByteBuffer.wrap(b, off, len);
        while (w.hasRemaining()) {
            position += ch.write(w, position);
        }
    }

    private void ensure(int n) throws IOException {
        if (buf.remaining() < n) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (deflater == null) {
            store(buf.array(), 0, buf.position());
        } else {
            deflater.setInput(buf.array(), 0, buf.position());
            while (!deflater.needsInput()) {
                store(deflated, 0, deflater.deflate(deflated));
            }
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
