package dev.paddock.server.net;

import dev.paddock.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits the client stream into length-prefixed frames of at most jute.maxbuffer bytes. The first four
 * bytes of a connection may instead be a four-letter word, as ZooKeeper allows. A negative or oversized
 * length is a {@link CorruptedFrameException}, which closes this connection only.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private boolean first = true;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int len = in.getInt(in.readerIndex());
            if (first) {
                first = false;
                String word = asFourLetterWord(in);
                if (word != null) {
                    in.skipBytes(4);
                    out.add(new FourLetterWord(word));
                    in.skipBytes(in.readableBytes());
                    return;
                }
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

    private static String asFourLetterWord(ByteBuf in) {
        byte[] four = new byte[4];
        in.getBytes(in.readerIndex(), four);
        String word = new String(four, StandardCharsets.US_ASCII);
        return ServerConfig.ALL_FOUR_LETTER_WORDS.contains(word) ? word : null;
    }
}
