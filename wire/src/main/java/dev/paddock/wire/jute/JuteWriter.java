package dev.paddock.wire.jute;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes jute's big-endian binary encoding into a buffer sized beforehand with {@link JuteRecord#size()}.
 * Strings are written from their UTF-8 bytes; {@link Sizes#string} computes the same length.
 */
public final class JuteWriter {
    private final ByteBuffer buf;

    private JuteWriter(ByteBuffer buf) {
        this.buf = buf;
    }

    public static JuteWriter wrap(byte[] bytes) {
        return new JuteWriter(ByteBuffer.wrap(bytes));
    }

    public static JuteWriter wrap(ByteBuffer buffer) {
        return new JuteWriter(buffer);
    }

    public int position() {
        return buf.position();
    }

    public JuteWriter writeInt(int v) {
        buf.putInt(v);
        return this;
    }

    public JuteWriter writeLong(long v) {
        buf.putLong(v);
        return this;
    }

    public JuteWriter writeByte(byte v) {
        buf.put(v);
        return this;
    }

    public JuteWriter writeBool(boolean v) {
        buf.put(v ? (byte) 1 : (byte) 0);
        return this;
    }

    public JuteWriter writeBuffer(byte[] bytes) {
        if (bytes == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(bytes.length);
            buf.put(bytes);
        }
        return this;
    }

    public JuteWriter writeString(String s) {
        if (s == null) {
            buf.putInt(-1);
        } else {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            buf.putInt(bytes.length);
            buf.put(bytes);
        }
        return this;
    }

    public JuteWriter writeRecord(JuteRecord record) {
        record.write(this);
        return this;
    }

    public <T> JuteWriter writeList(List<T> list, BiConsumer<JuteWriter, T> element) {
        if (list == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(list.size());
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
}
