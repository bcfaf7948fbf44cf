package dev.paddock.server.migration;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.Adler32;

/**
 * Reads jute's binary encoding (big-endian ints and longs, length-prefixed buffers and strings, -1 = null)
 * from a stream, knowing its offset, with a running Adler32 over every byte consumed: ZooKeeper seals its
 * snapshots with that running checksum. Any malformed value is an {@link ImportException} naming the file and
 * offset; running out of bytes is an {@link EOFException}, which callers turn into "truncated" or, where
 * ZooKeeper treats it so, into the end of the data.
 */
public final class JuteStream {
    private final InputStream in;
    private final Path file;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    /** Stream offset of buf[0]. */
    private long base;
    /** Bytes of buf before this index are already in the checksum. */
    private int summed;
    private final Adler32 adler = new Adler32();

    public JuteStream(InputStream in, Path file) {
        this.in = in;
        this.file = file;
    }

    Path file() {
        return file;
    }

    public long offset() {
        return base + pos;
    }

    /** The Adler32 of every byte consumed so far. */
    long checksum() {
        adler.update(buf, summed, pos - summed);
        summed = pos;
        return adler.getValue();
    }

    ImportException error(String what) {
        return ImportException.at(file, offset(), what);
    }

    /** Makes n bytes (at most the buffer size) available from pos on. */
    private void need(int n) throws IOException {
        if (limit - pos >= n) {
            return;
        }
        checksum();
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        base += pos;
        limit -= pos;
        pos = 0;
        summed = 0;
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                throw new EOFException(file + ": end of data at offset " + (base + limit));
            }
            limit += r;
        }
    }

    /** True when no byte is left. */
    boolean atEnd() throws IOException {
        if (pos < limit) {
            return false;
        }
        try {
            need(1);
            return false;
        } catch (EOFException e) {
            return true;
        }
    }

    int readByte() throws IOException {
        need(1);
        return buf[pos++] & 0xff;
    }

    boolean readBoolean() throws IOException {
        // As DataInput.readBoolean, which jute uses: any non-zero byte is true.
        return readByte() != 0;
    }

    public int readInt() throws IOException {
        need(4);
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public long readLong() throws IOException {
        long hi = readInt() & 0xffffffffL;
        return (hi << 32) | (readInt() & 0xffffffffL);
    }

    public void readFully(byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            need(1);
            int n = Math.min(b.length - off, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            off += n;
        }
    }

    /** A jute buffer: null for length -1; a length outside [0, max] is corruption. */
    public byte[] readBuffer(String what, int max) throws IOException {
        long at = offset();
        int len = readInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > max) {
            throw ImportException.at(file, at, "bad length " + len + " for " + what);
        }
        byte[] b = new byte[len];
        readFully(b);
        return b;
    }

    /** A jute ustring, decoded as ZooKeeper decodes it (a JDK UTF-8 decode, lenient with CESU-8). */
    public String readString(String what, int max) throws IOException {
        byte[] b = readBuffer(what, max);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
