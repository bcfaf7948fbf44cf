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
 */
public final class JuteReader {
    private final ByteBuffer buf;

    private JuteReader(ByteBuffer buf) {
        this.buf = buf;
    }

    public static JuteReader of(byte[] bytes) {
        return new JuteReader(ByteBuffer.wrap(bytes));
    }

    public static JuteReader of(byte[] bytes, int offset, int length) {
        return new JuteReader(ByteBuffer.wrap(bytes, offset, length).slice());
    }

    /** Reads from the buffer's position to its limit; the buffer itself is not moved. */
    public static JuteReader of(ByteBuffer buffer) {
        return new JuteReader(buffer.slice());
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
        need(4, "int");
        return buf.getInt();
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
        int len = readInt();
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
