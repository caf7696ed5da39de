package io.wsk.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * One keep-alive HTTP/1.1 connection that carries one request at a time: polling has at most one
 * GET and one POST in flight, so it keeps one of these for each and never needs a pool. Opens (or
 * reopens, after the server closed it) on demand. I/O thread only.
 */
final class HttpConnection {

    private final TransportContext context;
    private Channel channel;
    private BiConsumer<FullHttpResponse, Throwable> pending;
    private boolean closed;

    HttpConnection(TransportContext context) {
        this.context = context;
    }

    /**
     * Sends {@code request} (taking ownership); {@code done} gets the response (which it must
     * release) or the failure, exactly once, unless the connection is closed first.
     */
    void send(FullHttpRequest request, BiConsumer<FullHttpResponse, Throwable> done) {
        if (closed) {
            request.release();
            return;
        }
        if (pending != null) {
            request.release();
            throw new IllegalStateException("a request is already in flight");
        }
        pending = done;
        if (channel != null && channel.isActive()) {
            write(request);
            return;
        }
        context.connect(p -> p.addLast(new HttpClientCodec(), new HttpObjectAggregator(context.options.maxIncomingBytes()),
                new ResponseHandler())).addListener(f -> {
                    if (closed) {
                        ((io.netty.channel.ChannelFuture) f).channel().close();
                        request.release();
                    } else if (f.isSuccess()) {
                        channel = ((io.netty.channel.ChannelFuture) f).channel();
                        write(request);
                    } else {
                        request.release();
                        complete(null, f.cause());
                    }
                });
    }

    private void write(FullHttpRequest request) {
        HttpUtil.setKeepAlive(request, true);
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                complete(null, f.cause());
            }
        });
    }

    private void complete(FullHttpResponse response, Throwable error) {
        BiConsumer<FullHttpResponse, Throwable> done = pending;
        pending = null;
        if (done == null || closed) {
            ReferenceCountUtil.release(response);
            return;
        }
        done.accept(response, error);
    }

    void close() {
        closed = true;
        pending = null;
        if (channel != null) {
            channel.close();
        }
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        ResponseHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            context.cookies.store(response.headers());
            if (response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
                ctx.close(); // the next request reconnects
            }
            complete(response, null);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null && ctx.channel() == channel) {
                complete(null, new IOException("connection closed by the server"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            if (ctx.channel() == channel) {
                complete(null, cause);
            }
        }
    }
}
