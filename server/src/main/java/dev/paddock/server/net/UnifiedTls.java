package dev.paddock.server.net;

import dev.paddock.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * A port that takes TLS and plaintext: {@code client.portUnification} on the client port, {@code portUnification}
 * on a member's quorum and election ports. The first five bytes tell a TLS record from a length prefix; on the
 * client port a connection that sends only a four-letter word (four bytes, then waits for the answer) is
 * plaintext at once, as ZooKeeper's dual-mode handler decides.
 */
public final class UnifiedTls extends ByteToMessageDecoder {
    private final Supplier<SslContext> contexts;
    private final boolean fourLetterWords;

    /**
     * @param fourLetterWords whether four bytes spelling a four-letter word mean plaintext, and the engine is told
     *                        no peer address (the client port)
     */
    public UnifiedTls(Supplier<SslContext> contexts, boolean fourLetterWords) {
        this.contexts = contexts;
        this.fourLetterWords = fourLetterWords;
    }

    /**
     * The accepting side's handler. Between members ({@code withPeer}) its engine is told the peer's address, so
     * that a client certificate is checked against it; on the client port it is not, as ZooKeeper's Netty engines
     * are not, so a client certificate is checked against the loopback address there.
     */
    public static SslHandler serverHandler(SslContext context, Channel ch, boolean withPeer) {
        InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
        return !withPeer || peer == null || peer.getAddress() == null ? context.newHandler(ch.alloc())
                : context.newHandler(ch.alloc(), peer.getAddress().getHostAddress(), peer.getPort());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 5) {
            if (fourLetterWords && in.readableBytes() == 4 && isFourLetterWord(in)) {
                ctx.pipeline().remove(this);
            }
            return;
        }
        if (SslHandler.isEncrypted(in)) {
            ctx.pipeline().replace(this, "ssl", serverHandler(contexts.get(), ctx.channel(), !fourLetterWords));
        } else {
            ctx.pipeline().remove(this);
        }
    }

    private static boolean isFourLetterWord(ByteBuf in) {
        String word = in.toString(in.readerIndex(), 4, StandardCharsets.US_ASCII);
        return ServerConfig.ALL_FOUR_LETTER_WORDS.contains(word);
    }
}
