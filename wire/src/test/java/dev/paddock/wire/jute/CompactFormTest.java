package dev.paddock.wire.jute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact form's primitives: zigzag ints, lengths as length + 1, fixed longs, and what it refuses. */
class CompactFormTest {
    private static byte[] write(java.util.function.Consumer<JuteWriter> body) {
        JuteWriter counter = JuteWriter.counting();
        body.accept(counter);
        ByteBuffer buf = ByteBuffer.allocate(counter.position());
        body.accept(JuteWriter.compact(buf));
        assertThat(buf.remaining()).as("counted exactly").isZero();
        return buf.array();
    }

    @Test
    void intsAreZigzagVarintsOfOneToFiveBytes() {
        int[] values = {0, -1, 1, 63, -64, 64, 8191, 8192, 1 << 20, (1 << 27) - 1, 1 << 27, Integer.MAX_VALUE,
                Integer.MIN_VALUE, -100_000};
        int[] sizes = {1, 1, 1, 1, 1, 2, 2, 3, 4, 4, 5, 5, 5, 3};
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            byte[] bytes = write(w -> w.writeInt(v));
            assertThat(bytes).as("%d", v).hasSize(sizes[i]);
            JuteReader in = JuteReader.compact(ByteBuffer.wrap(bytes));
            assertThat(in.readInt()).isEqualTo(v);
            assertThat(in.remaining()).isZero();
        }
    }

    @Test
    void lengthsCountOneMoreSoThatNullIsAZeroByte() {
        assertThat(write(w -> w.writeBuffer(null))).containsExactly(0);
        assertThat(write(w -> w.writeString(""))).containsExactly(1);
        assertThat(write(w -> w.writeString("ab"))).containsExactly(3, 'a', 'b');
        assertThat(write(w -> w.writeStringList(null))).containsExactly(0);
        assertThat(write(w -> w.writeStringList(List.of("x")))).containsExactly(2, 2, 'x');
        JuteReader in = JuteReader.compact(ByteBuffer.wrap(new byte[] {0, 1, 3, 'a', 'b', 2, 2, 'x'}));
        assertThat(in.readBuffer()).isNull();
        assertThat(in.readString()).isEmpty();
        assertThat(in.readString()).isEqualTo("ab");
        assertThat(in.readStringList()).containsExactly("x");
    }

    @Test
    void longsBytesAndBooleansKeepTheirWidth() {
        byte[] bytes = write(w -> w.writeLong(-2).writeByte((byte) 5).writeBool(true));
        assertThat(bytes).hasSize(10);
        JuteReader in = JuteReader.compact(ByteBuffer.wrap(bytes));
        assertThat(in.readLong()).isEqualTo(-2);
        assertThat(in.readByte()).isEqualTo((byte) 5);
        assertThat(in.readBool()).isTrue();
    }

    @Test
    void varLongsRoundTripThroughZigzag() {
        for (long v : new long[] {0, 1, -1, 1_764_700_000_000L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            byte[] bytes = write(w -> w.writeVarLong(JuteWriter.zigzag(v)));
            assertThat(bytes.length).isBetween(1, 10);
            assertThat(JuteReader.unzigzag(JuteReader.compact(ByteBuffer.wrap(bytes)).readVarLong())).isEqualTo(v);
        }
    }

    @Test
    void malformedInputIsAMarshallingException() {
        // An int over five bytes, an int over 32 bits, a length beyond the frame, a length over 2^31, a cut varint.
        byte[][] bad = {
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
            {5, 'a'},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            {(byte) 0x80},
        };
        assertThatThrownBy(() -> JuteReader.compact(ByteBuffer.wrap(bad[0])).readInt())
                .isInstanceOf(MarshallingException.class);
        assertThatThrownBy(() -> JuteReader.compact(ByteBuffer.wrap(bad[1])).readInt())
                .isInstanceOf(MarshallingException.class);
        assertThatThrownBy(() -> JuteReader.compact(ByteBuffer.wrap(bad[2])).readString())
                .isInstanceOf(MarshallingException.class);
        assertThatThrownBy(() -> JuteReader.compact(ByteBuffer.wrap(bad[3])).readBuffer())
                .isInstanceOf(MarshallingException.class);
        assertThatThrownBy(() -> JuteReader.compact(ByteBuffer.wrap(bad[4])).readInt())
                .isInstanceOf(MarshallingException.class);
    }

    @Test
    void theJuteFormIsUnchanged() {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 2);
        JuteWriter.wrap(buf).writeBuffer(null).writeString("ab");
        assertThat(buf.array()).containsExactly(-1, -1, -1, -1, 0, 0, 0, 2, 'a', 'b');
    }
}
