package dev.paddock.server.net;

import dev.paddock.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code client.portUnification}: the plaintext client port also takes TLS. The first five bytes tell a TLS
 * record from a client's length prefix; a connection that sends only a four-letter word (four bytes, then
 * waits for the answer) is plaintext at once, as ZooKeeper's dual-mode handler decides.
 */
final class UnifiedTls extends ByteToMessageDecoder {
    private final SslContext context;

    UnifiedTls(SslContext context) {
        this.context = context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 5) {
            if (in.readableBytes() == 4 && isFourLetterWord(in)) {
                ctx.pipeline().remove(this);
            }
            return;
        }
        if (SslHandler.isEncrypted(in)) {
            ctx.pipeline().replace(this, "ssl", context.newHandler(ctx.alloc()));
        } else {
            ctx.pipeline().remove(this);
        }
    }

    private static boolean isFourLetterWord(ByteBuf in) {
        String word = in.toString(in.readerIndex(), 4, StandardCharsets.US_ASCII);
        return ServerConfig.ALL_FOUR_LETTER_WORDS.contains(word);
    }
}
