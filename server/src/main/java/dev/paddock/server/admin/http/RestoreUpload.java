package dev.paddock.server.admin.http;

import dev.paddock.server.admin.AdminCommands;
import dev.paddock.server.admin.RestoreCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Streams the body of {@code POST <commandURL>/restore} (a snapshot, larger than any other request may be)
 * into the restore command's file as it arrives, instead of letting the aggregator after this handler hold it
 * in memory: the aggregator sees the request with an empty body, and {@link AdminHttpHandler} finds the
 * file in the channel's {@link #UPLOADED} attribute. A body beyond {@link RestoreCommand#maxBytes()} is
 * answered 413 and the connection closed. A body is written only when the request carries an
 * {@code Authorization} header and restore is enabled (the command checks the credentials themselves on the
 * request thread, which alone reads the root's ACL); otherwise it is dropped as it arrives. One per channel,
 * on the admin event loop.
 */
final class RestoreUpload extends ChannelInboundHandlerAdapter {
    static final AttributeKey<Path> UPLOADED = AttributeKey.valueOf("paddock.admin.restore.upload");
    private static final Set<String> NAMES = Set.of("restore", "rest");

    private final String commandUrl;
    private final AdminCommands commands;
    private boolean inBody;
    private boolean refused;
    private Path file;
    private FileChannel out;
    private long written;

    RestoreUpload(String commandUrl, AdminCommands commands) {
        this.commandUrl = commandUrl;
        this.commands = commands;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest) && isRestore(request)) {
            begin(request);
            ctx.fireChannelRead(request);
            return;
        }
        if (inBody && msg instanceof HttpContent content) {
            try {
                if (!refused) {
                    write(ctx, content.content());
                }
            } finally {
                content.release();
            }
            if (content instanceof LastHttpContent && !refused) {
                finish(ctx);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean isRestore(HttpRequest request) {
        if (!request.method().equals(HttpMethod.POST)) {
            return false;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        return path.startsWith(commandUrl + "/") && NAMES.contains(path.substring(commandUrl.length() + 1));
    }

    private void begin(HttpRequest request) {
        inBody = true;
        refused = false;
        written = 0;
        RestoreCommand command = commands.restoreCommand();
        boolean wanted = command != null && request.headers().contains(HttpHeaderNames.AUTHORIZATION);
        file = wanted ? command.beginUpload() : null;
        if (file != null) {
            try {
                out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                command.abandonUpload(file);
                file = null;
            }
        }
        // The aggregator must not count this body against its limit (nor answer 413 from Content-Length).
        request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        HttpUtil.setContentLength(request, 0);
    }

    private void write(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (out == null) {
            return; // not wanted: dropped as it arrives
        }
        written += bytes.readableBytes();
        if (written > commands.restoreCommand().maxBytes()) {
            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the snapshot is larger than "
                    + RestoreCommand.MAX_BYTES_PROPERTY + " (" + commands.restoreCommand().maxBytes() + " bytes)\n");
            return;
        }
        try {
            while (bytes.isReadable()) {
                bytes.readBytes(out, bytes.readableBytes());
            }
        } catch (IOException e) {
            refuse(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot write the upload: " + e.getMessage() + "\n");
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        inBody = false;
        if (out != null) {
            try {
                out.close();
                ctx.channel().attr(UPLOADED).set(file);
            } catch (IOException e) {
                commands.restoreCommand().abandonUpload(file);
            }
            out = null;
            file = null;
        }
        ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Gives up on this body: the file goes, the client is told, the connection closes. */
    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        refused = true;
        abandon();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        HttpUtil.setContentLength(response, body.length);
        // The rest of the body is not read: the client must not send another request on this connection.
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void abandon() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // The file is deleted next; nothing else to do.
            }
            out = null;
        }
        if (file != null) {
            commands.restoreCommand().abandonUpload(file);
            file = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abandon();
        Path pending = ctx.channel().attr(UPLOADED).getAndSet(null);
        if (pending != null) {
            commands.restoreCommand().abandonUpload(pending);
        }
        super.channelInactive(ctx);
    }
}
