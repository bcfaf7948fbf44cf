package dev.paddock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.SnappyOutputStream;

/** The decoder against what snappy-java (the library ZooKeeper writes its .snappy snapshots with) writes. */
class SnappyStreamTest {
    @Test
    void decodesWhatSnappyJavaWrites() throws IOException {
        Random random = new Random(7);
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            // Runs, repeats and noise, so literals and every kind of copy occur.
            data[i] = (byte) (i % 1000 < 400 ? i % 7 : i % 1000 < 700 ? random.nextInt(256) : data[i - 300]);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(compressed)) {
            out.write(data);
        }
        byte[] back = new SnappyStream(new ByteArrayInputStream(compressed.toByteArray())).readAllBytes();
        assertThat(back).isEqualTo(data);
    }

    @Test
    void aTruncatedStreamIsAnError() throws IOException {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 13);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(compressed)) {
            out.write(data);
        }
        byte[] truncated = java.util.Arrays.copyOf(compressed.toByteArray(), compressed.size() - 5);
        assertThatThrownBy(() -> new SnappyStream(new ByteArrayInputStream(truncated)).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] notSnappy = "plain bytes, no snappy header".getBytes();
        assertThatThrownBy(() -> new SnappyStream(new ByteArrayInputStream(notSnappy)))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
    }
}
