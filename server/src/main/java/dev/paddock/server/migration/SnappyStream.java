package dev.paddock.server.migration;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Decompresses the stream format of the snappy-java library (which ZooKeeper writes for
 * {@code zookeeper.snapshot.compression.method=snappy}): a 16-byte header (an 8-byte magic, then two ints,
 * the format version and the oldest compatible one), then blocks of {@code int compressedLength} and one raw
 * snappy block each. The raw block format is snappy's: a varint uncompressed length, then literals and
 * back-references. Written here rather than depending on snappy-java, which needs a native library.
 */
final class SnappyStream extends InputStream {
    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    /** snappy-java writes 32 KiB blocks; anything far above is corruption, not data. */
    private static final int MAX_BLOCK = 64 << 20;

    private final DataInputStream in;
    private byte[] block = new byte[0];
    private int pos;
    private int limit;
    /** Bytes of the compressed stream consumed, for error messages. */
    private long compressedOffset;

    SnappyStream(InputStream in) throws IOException {
        this.in = new DataInputStream(in);
        readHeader();
    }

    private void readHeader() throws IOException {
        byte[] magic = new byte[MAGIC.length];
        this.in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a snappy-java stream (bad magic)");
        }
        this.in.readInt();
        this.in.readInt();
        compressedOffset += 16;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (pos == limit) {
            if (!nextBlock()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(block, pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean nextBlock() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        int rest;
        try {
            rest = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        } catch (EOFException e) {
            throw new IOException("snappy stream truncated in a block header at compressed offset " + compressedOffset);
        }
        int length = (first << 24) | rest;
        if (first == (MAGIC[0] & 0xff) && length == 0x82534e41) {
            // A concatenated stream: snappy-java accepts a second header here.
            byte[] tail = new byte[12];
            in.readFully(tail);
            compressedOffset += 16;
            return true;
        }
        if (length < 0 || length > MAX_BLOCK) {
            throw new IOException("bad snappy block length " + length + " at compressed offset " + compressedOffset);
        }
        byte[] compressed = new byte[length];
        try {
            in.readFully(compressed);
        } catch (EOFException e) {
            throw new IOException("snappy stream truncated in a block at compressed offset " + compressedOffset);
        }
        compressedOffset += 4 + length;
        block = uncompress(compressed);
        pos = 0;
        limit = block.length;
        return true;
    }

    /** One raw snappy block. */
    static byte[] uncompress(byte[] src) throws IOException {
        int p = 0;
        long size = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= src.length || shift > 28) {
                throw new IOException("bad snappy block: uncompressed length");
            }
            int b = src[p++] & 0xff;
            size |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
        }
        if (size > MAX_BLOCK) {
            throw new IOException("bad snappy block: uncompressed length " + size);
        }
        byte[] out = new byte[(int) size];
        int o = elements(src, p, out);
        if (o != out.length) {
            throw new IOException("bad snappy block: " + o + " bytes instead of " + out.length);
        }
        return out;
    }

    /** Decodes the literals and copies from {@code src[p..]} into {@code out}; returns the bytes produced. */
    private static int elements(byte[] src, int p, byte[] out) throws IOException {
        int o = 0;
        try {
            while (p < src.length) {
                int tag = src[p++] & 0xff;
                int kind = tag & 3;
                if (kind == 0) {
                    int len = tag >>> 2;
                    if (len >= 60) {
                        int bytes = len - 59;
                        len = 0;
                        for (int i = 0; i < bytes; i++) {
                            len |= (src[p++] & 0xff) << (8 * i);
                        }
                    }
                    len += 1;
                    if (len <= 0 || len > src.length - p || len > out.length - o) {
                        throw new IOException("bad snappy block: literal overruns");
                    }
                    System.arraycopy(src, p, out, o, len);
                    p += len;
                    o += len;
                    continue;
                }
                int len;
                int offset;
                if (kind == 1) {
                    len = 4 + ((tag >>> 2) & 7);
                    offset = ((tag >>> 5) << 8) | (src[p++] & 0xff);
                } else if (kind == 2) {
                    len = (tag >>> 2) + 1;
                    offset = (src[p] & 0xff) | ((src[p + 1] & 0xff) << 8);
                    p += 2;
                } else {
                    len = (tag >>> 2) + 1;
                    offset = (src[p] & 0xff) | ((src[p + 1] & 0xff) << 8) | ((src[p + 2] & 0xff) << 16)
                            | ((src[p + 3] & 0xff) << 24);
                    p += 4;
                }
                if (offset <= 0 || offset > o || len > out.length - o) {
                    throw new IOException("bad snappy block: copy out of range");
                }
                // Byte by byte: a copy may overlap what it produces (a run).
                for (int i = 0; i < len; i++) {
                    out[o + i] = out[o - offset + i];
                }
                o += len;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("bad snappy block: truncated element");
        }
        return o;
    }
}
