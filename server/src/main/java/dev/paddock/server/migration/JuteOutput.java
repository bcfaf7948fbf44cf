package dev.paddock.server.migration;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes jute's buffer and string encodings onto a stream as ZooKeeper's BinaryOutputArchive does: a
 * 4-byte length (-1 for null) and the bytes (UTF-8 for a string). The writing side of {@link JuteStream},
 * shared by the snapshot writer and the mirror's quorum packets.
 */
public final class JuteOutput {
    private JuteOutput() {
    }

    public static void writeBuffer(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    public static void writeString(DataOutputStream out, String s) throws IOException {
        writeBuffer(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }
}
