package dev.paddock.wire.jute;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes jute's big-endian binary encoding into a buffer sized beforehand with {@link JuteRecord#size()}.
 * Strings are written from their UTF-8 bytes; {@link Sizes#string} computes the same length.
 *
 * <p>A writer made by {@link #compact} writes Paddock's compact form of the same records instead, for its own
 * log and the entries its members exchange (never for a client): every {@code int} is a zigzag varint and
 * every length or count is an unsigned varint of length + 1 (so -1, null, is one zero byte); longs, bytes
 * and booleans stay as jute writes them (a long here is mostly a session id or a zxid, which use all 64
 * bits). {@link JuteReader#compact} reads it. A writer made by {@link #counting} writes nothing and counts
 * the bytes the compact form takes, so the output can be sized exactly.
 */
public final class JuteWriter {
    /** Null for a counting writer. */
    private final ByteBuffer buf;
    private final boolean compact;
    private int counted;

    private JuteWriter(ByteBuffer buf, boolean compact) {
        this.buf = buf;
        this.compact = compact;
    }

    public static JuteWriter wrap(byte[] bytes) {
        return new JuteWriter(ByteBuffer.wrap(bytes), false);
    }

    public static JuteWriter wrap(ByteBuffer buffer) {
        return new JuteWriter(buffer, false);
    }

    /** Writes the compact form into {@code buffer}, from its position. */
    public static JuteWriter compact(ByteBuffer buffer) {
        return new JuteWriter(buffer, true);
    }

    /** Counts the bytes of the compact form; {@link #position()} is the count. */
    public static JuteWriter counting() {
        return new JuteWriter(null, true);
    }

    /** The bytes {@code record} takes in the compact form. */
    public static int compactSize(JuteRecord record) {
        return counting().writeRecord(record).position();
    }

    public int position() {
        return buf == null ? counted : buf.position();
    }

    public JuteWriter writeInt(int v) {
        if (compact) {
            writeVarLong(((v << 1) ^ (v >> 31)) & 0xffffffffL); // zigzag, as an unsigned 32-bit value
        } else {
            buf.putInt(v);
        }
        return this;
    }

    public JuteWriter writeLong(long v) {
        if (buf == null) {
            counted += Long.BYTES;
        } else {
            buf.putLong(v);
        }
        return this;
    }

    /**
     * An unsigned LEB128 varint (7 bits a byte, low bits first; 1 to 10 bytes). Callers writing a signed value
     * zigzag it first ({@link #zigzag}).
     */
    public JuteWriter writeVarLong(long v) {
        while ((v & ~0x7fL) != 0) {
            put((byte) (v & 0x7f | 0x80));
            v >>>= 7;
        }
        put((byte) v);
        return this;
    }

    /** Maps small negative and positive numbers to small unsigned ones: 0, -1, 1, -2 ... to 0, 1, 2, 3 ... */
    public static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    public JuteWriter writeByte(byte v) {
        put(v);
        return this;
    }

    public JuteWriter writeBool(boolean v) {
        put(v ? (byte) 1 : (byte) 0);
        return this;
    }

    public JuteWriter writeBuffer(byte[] bytes) {
        if (bytes == null) {
            writeLength(-1);
        } else {
            writeLength(bytes.length);
            putBytes(bytes);
        }
        return this;
    }

    public JuteWriter writeString(String s) {
        return writeBuffer(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    public JuteWriter writeRecord(JuteRecord record) {
        record.write(this);
        return this;
    }

    public <T> JuteWriter writeList(List<T> list, BiConsumer<JuteWriter, T> element) {
        if (list == null) {
            writeLength(-1);
        } else {
            writeLength(list.size());
            for (T t : list) {
                element.accept(this, t);
            }
        }
        return this;
    }

    public JuteWriter writeStringList(List<String> list) {
        return writeList(list, JuteWriter::writeString);
    }

    public JuteWriter writeRecordList(List<? extends JuteRecord> list) {
        return writeList(list, JuteWriter::writeRecord);
    }

    /** A length or count; -1 is null. */
    private void writeLength(int length) {
        if (compact) {
            writeVarLong(length + 1L);
        } else {
            buf.putInt(length);
        }
    }

    private void put(byte b) {
        if (buf == null) {
            counted++;
        } else {
            buf.put(b);
        }
    }

    private void putBytes(byte[] bytes) {
        if (buf == null) {
            counted += bytes.length;
        } else {
            buf.put(bytes);
        }
    }
}
