package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static byte[] frame(int len, int bodyByte) {
        ByteBuffer b = ByteBuffer.allocate(4 + len).putInt(len);
        for (int i = 0; i < len; i++) {
            b.put((byte) bodyByte);
        }
        return b.array();
    }

    @Test
    void reassemblesFramesFedInFragments() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        byte[] two = ByteBuffer.allocate(20).put(frame(6, 1)).put(frame(6, 2)).array();
        for (byte b : two) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        byte[] first = ch.readInbound();
        byte[] second = ch.readInbound();
        assertThat(first).containsOnly(1).hasSize(6);
        assertThat(second).containsOnly(2).hasSize(6);
    }

    @Test
    void oversizedAndNegativeLengthsAreCorrupt() {
        EmbeddedChannel big = new EmbeddedChannel(new FrameDecoder(100));
        assertThatThrownBy(() -> big.writeInbound(Unpooled.wrappedBuffer(ByteBuffer.allocate(4).putInt(101).array())))
                .isInstanceOf(CorruptedFrameException.class);
        EmbeddedChannel negative = new EmbeddedChannel(new FrameDecoder(100));
        assertThatThrownBy(() -> negative.writeInbound(Unpooled.wrappedBuffer(ByteBuffer.allocate(4).putInt(-5).array())))
                .isInstanceOf(CorruptedFrameException.class);
    }

    @Test
    void fourLetterWordOnlyAtTheStart() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        ch.writeInbound(Unpooled.wrappedBuffer("ruok".getBytes(StandardCharsets.US_ASCII)));
        FourLetterWord word = ch.readInbound();
        assertThat(word.word()).isEqualTo("ruok");

        EmbeddedChannel later = new EmbeddedChannel(new FrameDecoder(0x7fffffff));
        later.writeInbound(Unpooled.wrappedBuffer(frame(2, 9)));
        assertThat((byte[]) later.readInbound()).hasSize(2);
        // "ruok" after the first frame is just an (absurd) length, not a command.
        later.writeInbound(Unpooled.wrappedBuffer("ruok".getBytes(StandardCharsets.US_ASCII)));
        assertThat((Object) later.readInbound()).isNull();
    }

    @Test
    void nothingAfterAWordIsRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        ch.writeInbound(Unpooled.wrappedBuffer("srvr".getBytes(StandardCharsets.US_ASCII)));
        assertThat(((FourLetterWord) ch.readInbound()).word()).isEqualTo("srvr");
        ch.writeInbound(Unpooled.wrappedBuffer(frame(2, 9)));
        assertThat((Object) ch.readInbound()).isNull();
    }

    /** As ZooKeeper reads it: a whitelisted stmk is followed by the new mask, 8 bytes, big-endian. */
    @Test
    void setTraceMaskWaitsForItsMaskWhenWhitelisted() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100, word -> true));
        ch.writeInbound(Unpooled.wrappedBuffer("stmk".getBytes(StandardCharsets.US_ASCII)));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBuffer.allocate(8).putLong(0x22).array()));
        FourLetterWord word = ch.readInbound();
        assertThat(word).isEqualTo(new FourLetterWord("stmk", 0x22));
    }

    /** ZooKeeper answers a stmk that is not whitelisted at once, without reading a mask. */
    @Test
    void setTraceMaskNotWhitelistedIsAnsweredAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100, word -> false));
        ch.writeInbound(Unpooled.wrappedBuffer("stmk".getBytes(StandardCharsets.US_ASCII)));
        assertThat((FourLetterWord) ch.readInbound()).isEqualTo(new FourLetterWord("stmk", 0));
    }

    @Test
    void telnetCloseIsAKnownWord() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBuffer.allocate(4).putInt(FrameDecoder.TELNET_CLOSE).array()));
        assertThat(((FourLetterWord) ch.readInbound()).word()).isEqualTo("telnet close");
    }
}
