package dev.paddock.server.storage;

import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The body of a snapshot file as it is read: a buffered DataInput (unsynchronized) from a channel's position
 * to its end, the stored bytes either the body itself or its deflated form (inflated chunk by chunk), with a
 * running CRC32C of the bytes as stored.
 */
final class SnapshotInput implements DataInput {
    private static final int CHUNK = 1 << 20;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    private final CRC32C crc = new CRC32C();
    /** Null when the body is stored as is. */
    private final Inflater inflater;
    private final byte[] stored;
    private boolean eof;

    SnapshotInput(FileChannel ch, boolean deflated) {
        this.ch = ch;
        this.inflater = deflated ? new Inflater() : null;
        this.stored = deflated ? new byte[CHUNK] : null;
        buf.flip();
    }

    int storedCrc() {
        return (int) crc.getValue();
    }

    private void need(int n) throws IOException {
        while (buf.remaining() < n) {
            if (eof) {
                throw new EOFException();
            }
            buf.compact();
            int r = fill(buf.array(), buf.position(), buf.remaining());
            if (r < 0) {
                eof = true;
            } else {
                buf.position(buf.position() + r);
            }
            buf.flip();
        }
    }

    /** Up to len body bytes into dst; -1 at the end of the body. */
    private int fill(byte[] dst, int off, int len) throws IOException {
        if (inflater == null) {
            return readStored(dst, off, len);
        }
        while (true) {
            int n;
            try {
                n = inflater.inflate(dst, off, len);
            } catch (DataFormatException e) {
                throw new IOException("malformed compressed body: " + e.getMessage(), e);
            }
            if (n > 0) {
                return n;
            }
            if (inflater.finished()) {
                return -1;
            }
            if (inflater.needsDictionary()) {
                throw new IOException("malformed compressed body: asks for a dictionary");
            }
            if (inflater.needsInput()) {
                int r = readStored(stored, 0, stored.length);
                if (r < 0) {
                    throw new EOFException("compressed body ends early");
                }
                inflater.setInput(stored, 0, r);
            }
        }
    }

    private int readStored(byte[] dst, int off, int len) throws IOException {
        int r = ch.read(ByteBuffer.wrap(dst, off, len));
        if (r > 0) {
            crc.update(dst, off, r);
        }
        return r;
    }

    /**
     * Whether the body and the file end here: nothing left to inflate or read. Reads what follows (into the
     * checksum), so the caller checks the CRC after this.
     */
    boolean atEnd() throws IOException {
        try {
            need(1);
            return false;
        } catch (EOFException e) {
            if (inflater == null) {
                return true;
            }
            // A compressed stream cut short ends the file but not the body.
            return inflater.finished() && inflater.getRemaining() == 0 && readStored(stored, 0, stored.length) < 0;
        }
    }

    /** Frees the inflater's native memory (also after a body that failed to read). */
    void release() {
        if (inflater != null) {
            inflater.end();
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
