package dev.paddock.wire.jute;

/**
 * A record of the jute binary encoding. Each implementation also has a static {@code read(JuteReader)}.
 * {@link #size()} is exact, so callers can allocate the output buffer once.
 */
public interface JuteRecord {
    void write(JuteWriter out);

    /** Encoded size in bytes. */
    int size();

    /** Encodes this record alone into a new array. */
    default byte[] toBytes() {
        byte[] bytes = new byte[size()];
        JuteWriter out = JuteWriter.wrap(bytes);
        write(out);
        if (out.position() != bytes.length) {
            throw new IllegalStateException(getClass().getSimpleName() + ".size() is " + bytes.length
                    + " but write() produced " + out.position() + " bytes");
        }
        return bytes;
    }
}
