package io.wsk.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.wsk.limits.BreachLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last HTTP handler of every connection: turns malformed requests into clear error replies,
 * hands each well-formed request to the endpoint mounted at the longest matching prefix, and
 * closes connections that hold resources without using them.
 *
 * <p>A connection must complete a request within the request timeout of opening or of
 * its previous exchange, unless the server itself holds a request (a long-poll): this closes
 * idle keep-alive connections, connections that never send anything, and slowloris clients that
 * dribble headers or a body (an idle timeout alone would not catch a byte every few seconds).
 * One check per HTTP connection reschedules itself; it stops once the connection becomes a
 * WebSocket, so idle WebSocket sessions carry no timer.
 */
final class HttpRouter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /**
     * Shared by every connection: whatever a client can make happen on its connection, it can make
     * happen on thousands, so even an unexpected error is logged once per interval, not per client.
     */
    private static final BreachLog UNEXPECTED = new BreachLog(log, "unexpected errors on HTTP connections");

    private final Routes routes;
    private final long requestTimeoutNanos;
    /** The request being answered on this connection, told when the client goes away. */
    private HttpExchange inFlight;
    /** When the last complete request arrived (or the connection opened). */
    private long lastRequestNanos;
    /** The pending deadline check; cancelled when the router leaves the pipeline (a WebSocket upgrade). */
    private ScheduledFuture<?> deadline;

    HttpRouter(Routes routes, long requestTimeoutNanos) {
        this.routes = routes;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastRequestNanos = System.nanoTime();
        scheduleDeadline(ctx, requestTimeoutNanos);
        ctx.fireChannelActive();
    }

    private void scheduleDeadline(ChannelHandlerContext ctx, long delayNanos) {
        deadline = ctx.executor().schedule(() -> checkDeadline(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The connection became a WebSocket: drop the deadline check at once. Left to fire, it would
     * keep this router, and through it the upgrade request and its headers, alive for the whole
     * request timeout: about 2 KB per new WebSocket for 30 s.
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ScheduledFuture<?> check = deadline;
        deadline = null;
        inFlight = null;
        if (check != null) {
            check.cancel(false);
        }
    }

    private void checkDeadline(ChannelHandlerContext ctx) {
        if (ctx.isRemoved() || !ctx.channel().isActive()) {
            return;
        }
        HttpExchange exchange = inFlight;
        if (exchange != null && !exchange.isResponded()) {
            // The server holds this request (a long-poll); its own timers bound it.
            scheduleDeadline(ctx, requestTimeoutNanos);
            return;
        }
        long lastUse = exchange == null ? lastRequestNanos : Math.max(lastRequestNanos, exchange.respondedAtNanos());
        long idle = System.nanoTime() - lastUse;
        if (idle >= requestTimeoutNanos) {
            log.debug("closing {}: no complete request for {} s", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toSeconds(idle));
            ctx.close();
        } else {
            scheduleDeadline(ctx, requestTimeoutNanos - idle);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastRequestNanos = System.nanoTime();
        try {
            DecoderResult result = request.decoderResult();
            if (result.isFailure()) {
                rejectMalformed(ctx, result.cause());
                return;
            }
            HttpExchange exchange = new HttpExchange(ctx, request);
            HttpEndpoint endpoint = routes.match(exchange.path());
            if (endpoint == null) {
                exchange.respondText(HttpResponseStatus.NOT_FOUND, "Not Found", null);
                return;
            }
            inFlight = exchange;
            endpoint.handle(exchange);
        } finally {
            request.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpExchange exchange = inFlight;
        inFlight = null;
        if (exchange != null) {
            exchange.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // The client reset the connection, or closed it in the middle of a request: its loss.
            log.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            UNEXPECTED.record(ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Headers too large, a request line too long, or bytes that are not HTTP: answer and close. */
    private static void rejectMalformed(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status;
        if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
        }
        log.debug("malformed request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
