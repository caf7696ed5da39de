package io.wsk.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP request and its single response.
 *
 * <p>The request body ({@link #body()}) is valid only while the endpoint's {@code handle} runs;
 * the headers, method and query stay readable afterwards, so a long-polling GET can be held and
 * answered later, from any thread.
 */
public final class HttpExchange {

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder query;
    private final boolean keepAlive;
    private volatile boolean responded;
    /** When the response was handed to Netty (System.nanoTime), 0 before. */
    private volatile long respondedAtNanos;
    private volatile Runnable abortHandler;

    HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request) {
        this.ctx = ctx;
        this.request = request;
        this.query = new QueryStringDecoder(request.uri());
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    public HttpMethod method() {
        return request.method();
    }

    public String path() {
        return query.path();
    }

    public String uri() {
        return request.uri();
    }

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public QueryStringDecoder query() {
        return query;
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** The request itself, for handing to a WebSocket handshaker during {@code handle}. */
    public FullHttpRequest request() {
        return request;
    }

    /** The body; valid only during {@code handle}. */
    public ByteBuf body() {
        return request.content();
    }

    public Channel channel() {
        return ctx.channel();
    }

    public ChannelHandlerContext context() {
        return ctx;
    }

    public SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    /** The client's IP address as text, or an empty string for a non-IP socket. */
    public String remoteIp() {
        SocketAddress address = remoteAddress();
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "";
    }

    public boolean isResponded() {
        return responded;
    }

    long respondedAtNanos() {
        return respondedAtNanos;
    }

    /**
     * Runs {@code handler} if the client closes the connection before a response is written
     * (an aborted long-poll). Called on the connection's event loop.
     */
    public void onAbort(Runnable handler) {
        this.abortHandler = handler;
    }

    void connectionClosed() {
        Runnable handler = abortHandler;
        if (!responded && handler != null) {
            responded = true;
            handler.run();
        }
    }

    /** Sends a response with {@code body} (ownership taken) and the given content type. */
    public void respond(HttpResponseStatus status, CharSequence contentType, ByteBuf body,
                        Consumer<HttpHeaders> extraHeaders) {
        if (responded) {
            body.release();
            return;
        }
        responded = true;
        respondedAtNanos = System.nanoTime();
        abortHandler = null;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        HttpHeaders headers = response.headers();
        if (contentType != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (extraHeaders != null) {
            extraHeaders.accept(headers);
        }
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Sends a plain-text response. */
    public void respondText(HttpResponseStatus status, String text, Consumer<HttpHeaders> extraHeaders) {
        respond(status, "text/plain; charset=UTF-8",
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), extraHeaders);
    }

    /** Sends an empty response. */
    public void respondEmpty(HttpResponseStatus status, Consumer<HttpHeaders> extraHeaders) {
        respond(status, null, Unpooled.EMPTY_BUFFER, extraHeaders);
    }

    /** Marks the exchange as answered by other means (the connection became a WebSocket). */
    public void takeOver() {
        responded = true;
        abortHandler = null;
    }
}
