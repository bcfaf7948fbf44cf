package dev.paddock.wire.jute;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Reads jute's big-endian binary encoding from a buffer that holds one whole frame. Every length is
 * checked against the bytes actually left, so a hostile length can never allocate more than the frame.
 * A reader made by {@link #compact} reads the compact form {@link JuteWriter#compact} writes.
 */
public final class JuteReader {
    private final ByteBuffer buf;
    private final boolean compact;

    private JuteReader(ByteBuffer buf, boolean compact) {
        this.buf = buf;
        this.compact = compact;
    }

    public static JuteReader of(byte[] bytes) {
        return new JuteReader(ByteBuffer.wrap(bytes), false);
    }

    public static JuteReader of(byte[] bytes, int offset, int length) {
        return new JuteReader(ByteBuffer.wrap(bytes, offset, length).slice(), false);
    }

    /** Reads from the buffer's position to its limit; the buffer itself is not moved. */
    public static JuteReader of(ByteBuffer buffer) {
        return new JuteReader(buffer.slice(), false);
    }

    /** Reads the compact form from the buffer's position to its limit; the buffer itself is not moved. */
    public static JuteReader compact(ByteBuffer buffer) {
        return new JuteReader(buffer.slice(), true);
    }

    public int remaining() {
        return buf.remaining();
    }

    public int position() {
        return buf.position();
    }

    private void need(int bytes, String what) {
        if (buf.remaining() < bytes) {
            throw new MarshallingException("truncated " + what + ": need " + bytes + " bytes, "
                    + buf.remaining() + " left");
        }
    }

    public int readInt() {
        if (compact) {
            long zigzag = readVarLong(5);
            if (zigzag > 0xffffffffL) {
                throw new MarshallingException("varint " + zigzag + " does not fit an int");
            }
            int v = (int) zigzag;
            return (v >>> 1) ^ -(v & 1);
        }
        need(4, "int");
        return buf.getInt();
    }

    /** An unsigned varint as {@link JuteWriter#writeVarLong} writes it (at most 10 bytes). */
    public long readVarLong() {
        return readVarLong(10);
    }

    /** The inverse of {@link JuteWriter#zigzag}. */
    public static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private long readVarLong(int maxBytes) {
        long v = 0;
        for (int i = 0; i < maxBytes; i++) {
            need(1, "varint");
            byte b = buf.get();
            v |= (long) (b & 0x7f) << (7 * i);
            if (b >= 0) {
                return v;
            }
        }
        throw new MarshallingException("varint longer than " + maxBytes + " bytes");
    }

    public long readLong() {
        need(8, "long");
        return buf.getLong();
    }

    public byte readByte() {
        need(1, "byte");
        return buf.get();
    }

    public boolean readBool() {
        return readByte() != 0;
    }

    /** A length-prefixed byte array; length -1 means null. */
    public byte[] readBuffer() {
        int len = readLength("buffer", 1);
        if (len < 0) {
            return null;
        }
        byte[] bytes = new byte[len];
        buf.get(bytes);
        return bytes;
    }

    /** A length-prefixed UTF-8 string; length -1 means null. */
    public String readString() {
        int len = readLength("string", 1);
        if (len < 0) {
            return null;
        }
        if (buf.hasArray()) {
            String s = new String(buf.array(), buf.arrayOffset() + buf.position(), len, StandardCharsets.UTF_8);
            buf.position(buf.position() + len);
            return s;
        }
        byte[] bytes = new byte[len]; // a direct or read-only buffer has no accessible array
        buf.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A count-prefixed list; count -1 means null. Each element must take at least {@code minElementBytes}. */
    public <T> List<T> readList(Function<JuteReader, T> element, int minElementBytes) {
        int count = readLength("list", Math.max(1, minElementBytes));
        if (count < 0) {
            return null;
        }
        if (count == 0) {
            return Collections.emptyList();
        }
        List<T> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(element.apply(this));
        }
        return list;
    }

    public List<String> readStringList() {
        return readList(JuteReader::readString, 4);
    }

    private int readLength(String what, int bytesPerUnit) {
        int len;
        if (compact) {
            long plusOne = readVarLong(5);
            if (plusOne > Integer.MAX_VALUE) {
                throw new MarshallingException(what + " length " + (plusOne - 1) + " is too large");
            }
            len = (int) plusOne - 1;
            bytesPerUnit = 1; // a compact element can be a single byte
        } else {
            len = readInt();
        }
        if (len < -1) {
            throw new MarshallingException("negative " + what + " length " + len);
        }
        if (len > 0 && (long) len * bytesPerUnit > buf.remaining()) {
            throw new MarshallingException(what + " length " + len + " exceeds the " + buf.remaining()
                    + " bytes left in the frame");
        }
        return len;
    }
}
