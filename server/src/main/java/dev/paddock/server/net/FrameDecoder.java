package dev.paddock.server.net;

import dev.paddock.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * Splits the client stream into length-prefixed frames of at most jute.maxbuffer bytes. The first four
 * bytes of a connection may instead be a four-letter word, as ZooKeeper allows; nothing after a word is
 * read (the connection closes once it is answered). A negative or oversized length is a
 * {@link CorruptedFrameException}, which closes this connection only.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    /** The bytes a telnet client sends when it closes (IAC IP IAC DO), which ZooKeeper knows as a command. */
    static final int TELNET_CLOSE = 0xfff4fffd;
    /** The word whose answer needs 8 more bytes: the new trace mask. */
    private static final String SET_TRACE_MASK = "stmk";

    private final int maxFrameBytes;
    private final Predicate<String> whitelisted;
    private boolean first = true;
    private boolean wordSeen;

    FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, word -> true);
    }

    /** {@code whitelisted} decides whether {@code stmk} waits for its mask (ZooKeeper answers at once if not). */
    FrameDecoder(int maxFrameBytes, Predicate<String> whitelisted) {
        this.maxFrameBytes = maxFrameBytes;
        this.whitelisted = whitelisted;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (wordSeen) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int len = in.getInt(in.readerIndex());
            if (first) {
                String word = asFourLetterWord(len, whitelisted);
                if (word != null) {
                    decodeWord(word, in, out);
                    return;
                }
                first = false;
            }
            if (len < 0 || len > maxFrameBytes) {
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException("Len error " + len + " (jute.maxbuffer is " + maxFrameBytes + ")");
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            byte[] frame = new byte[len];
            in.readBytes(frame);
            out.add(frame);
        }
    }

    /** A whitelisted stmk is followed by its mask (a long), as ZooKeeper reads it; wait for all 12 bytes. */
    private void decodeWord(String word, ByteBuf in, List<Object> out) {
        long argument = 0;
        if (word.equals(SET_TRACE_MASK) && whitelisted.test(word)) {
            if (in.readableBytes() < 12) {
                return;
            }
            argument = in.getLong(in.readerIndex() + 4);
        }
        first = false;
        wordSeen = true;
        in.skipBytes(in.readableBytes());
        out.add(new FourLetterWord(word, argument));
    }

    /**
     * The word the first four bytes spell, or null. ZooKeeper's words are words whether whitelisted or not
     * (it answers that they are not); Paddock's own ({@code snap}) only when whitelisted, so that otherwise
     * the connection fares as with ZooKeeper, for which it is no word at all.
     */
    private static String asFourLetterWord(int firstInt, Predicate<String> whitelisted) {
        if (firstInt == TELNET_CLOSE) {
            return ServerConfig.TELNET_CLOSE;
        }
        byte[] four = ByteBuffer.allocate(4).putInt(firstInt).array();
        String word = new String(four, StandardCharsets.US_ASCII);
        if (ServerConfig.ZOOKEEPER_FOUR_LETTER_WORDS.contains(word)) {
            return word;
        }
        return ServerConfig.ALL_FOUR_LETTER_WORDS.contains(word) && whitelisted.test(word) ? word : null;
    }
}
