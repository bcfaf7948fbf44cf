package dev.paddock.server.admin.http;

import dev.paddock.server.admin.AdminCommands;
import dev.paddock.server.admin.AdminResponse;
import dev.paddock.server.admin.Json;
import dev.paddock.server.fault.ConnectionFaults;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One admin connection: routes a request to {@link AdminCommands} on the request thread and writes the
 * answer as ZooKeeper's servlet does (JSON with the command's status, its extra headers, or the snapshot
 * file). Paths outside the command URL are 404; methods other than GET and POST are 405.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String JSON = "application/json";

    private final String commandUrl;
    private final AdminCommands commands;
    private final Executor requestThread;

    AdminHttpHandler(String commandUrl, AdminCommands commands, Executor requestThread) {
        this.commandUrl = commandUrl;
        this.commands = commands;
        this.requestThread = requestThread;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            plain(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n", false);
            return;
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.POST)) {
            plain(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n", keepAlive);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.equals(commandUrl) || path.equals(commandUrl + "/")) {
            plain(ctx, HttpResponseStatus.OK, links(), keepAlive);
            return;
        }
        if (!path.startsWith(commandUrl + "/")) {
            plain(ctx, HttpResponseStatus.NOT_FOUND, "not found\n", keepAlive);
            return;
        }
        Map<String, String> params = new HashMap<>();
        uri.parameters().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        // A restore's body is in a file already (RestoreUpload); from here on the command owns it.
        java.nio.file.Path upload = ctx.channel().attr(RestoreUpload.UPLOADED).getAndSet(null);
        AdminCommands.Request r = new AdminCommands.Request(path.substring(commandUrl.length() + 1), params,
                request.headers().get(HttpHeaderNames.AUTHORIZATION), remoteIp(ctx), method.equals(HttpMethod.POST),
                upload);
        try {
            requestThread.execute(() -> {
                try {
                    commands.answer(r, answer -> write(ctx, answer, keepAlive));
                } catch (RuntimeException e) {
                    // One command's bug: this request's failure only, as for a four-letter word.
                    ConnectionFaults.closing(String.valueOf(ctx.channel().remoteAddress()),
                            "answering admin command " + r.name(), e);
                    ctx.close();
                }
            });
        } catch (RejectedExecutionException e) {
            if (upload != null && commands.restoreCommand() != null) {
                commands.restoreCommand().abandonUpload(upload);
            }
            plain(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is busy\n", false);
        }
    }

    /** ZooKeeper's listing: one link per primary name, sorted, each followed by a line break tag. */
    private String links() {
        StringBuilder sb = new StringBuilder();
        for (String name : AdminCommands.primaryNames()) {
            sb.append("<a href=\"").append(commandUrl).append('/').append(name).append("\">").append(name)
                    .append("</a>\n<br/>\n");
        }
        return sb.toString();
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
        if (answer.body() != null) {
            stream(ctx, answer, status, keepAlive);
            return;
        }
        byte[] body = Json.write(answer.toMap()).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        answer.headers().forEach((k, v) -> response.headers().add(k, v));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        send(ctx, response, body.length, keepAlive);
    }

    /** snapshot: the headers, then the file itself (zero-copy where the platform allows). */
    private static void stream(ChannelHandlerContext ctx, AdminResponse answer, HttpResponseStatus status,
                               boolean keepAlive) {
        RandomAccessFile file;
        long length;
        try {
            file = new RandomAccessFile(answer.body().toFile(), "r");
            length = file.length();
        } catch (IOException e) {
            write(ctx, new AdminResponse(answer.command(), null, 500, Map.of(), Map.of(), null), keepAlive);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        answer.headers().forEach((k, v) -> response.headers().add(k, v));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(response, length);
        ctx.write(response);
        ctx.write(new DefaultFileRegion(file.getChannel(), 0, length));
        ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void plain(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html;charset=utf-8");
        send(ctx, response, body.length, keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, int length, boolean keepAlive) {
        HttpUtil.setContentLength(response, length);
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String remoteIp(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close(); // admin.idleTimeout
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a malformed request: this connection only.
        ctx.close();
    }
}
