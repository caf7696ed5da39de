package io.wsk.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.EnginePacketDecoder;
import io.wsk.protocol.EnginePacketType;
import io.wsk.protocol.PacketParseException;

import java.util.List;

/**
 * Engine.IO over one WebSocket (protocol.md 1.5): a text frame per text packet, a binary frame
 * per binary message. Used alone, or as the target of an upgrade (then with the session's sid).
 */
final class WebSocketTransport extends Transport {

    static final String NAME = ClientOptions.WEBSOCKET;

    private Channel channel;
    private boolean open;
    private int inFlight;

    WebSocketTransport(TransportContext context, String sid, TransportListener listener) {
        super(context, sid, listener);
    }

    @Override
    String name() {
        return NAME;
    }

    @Override
    void open() {
        HttpHeaders headers = new DefaultHttpHeaders();
        context.options.extraHeaders().forEach(headers::set);
        context.cookies.addTo(headers);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                context.address.webSocketUri(sid), WebSocketVersion.V13, null, false, headers,
                context.options.maxIncomingBytes());
        ChannelFuture connecting = context.connect(p -> p.addLast(new HttpClientCodec(),
                new HttpObjectAggregator(8192), new Handler(handshaker)));
        channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                failed("transport error", new TransportException("websocket error: " + f.cause(), f.cause()));
            } else if (!closed) {
                // Only once connected (through a proxy: once the tunnel is open), so that a
                // refused tunnel fails the connect, named, not this write with the proxy's raw error.
                handshaker.handshake(channel).addListener(h -> {
                    if (!h.isSuccess()) {
                        failed("transport error", new TransportException("websocket error: " + h.cause(), h.cause()));
                    }
                });
            }
        });
    }

    @Override
    boolean writable() {
        return open && !closed && inFlight == 0;
    }

    @Override
    void send(List<EngineFrame> frames) {
        for (EngineFrame frame : frames) {
            WebSocketFrame ws = frame.isBinary()
                    ? new BinaryWebSocketFrame(frame.bytes().retainedDuplicate())
                    : new TextWebSocketFrame(frame.bytes().retainedDuplicate());
            frame.release();
            inFlight++;
            channel.write(ws).addListener(f -> {
                inFlight--;
                if (!f.isSuccess()) {
                    failed("transport error", new TransportException("websocket error: " + f.cause(), f.cause()));
                } else if (inFlight == 0 && !closed) {
                    listener.onDrain(this);
                }
            });
        }
        channel.flush();
    }

    @Override
    void close(boolean polite) {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            return;
        }
        if (open && channel.isActive()) {
            // A close frame, then the TCP close once it is out: the server sees a clean end.
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;

        Handler(WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (closed) {
                return;
            }
            if (!handshaker.isHandshakeComplete()) {
                try {
                    context.cookies.store(((FullHttpResponse) msg).headers());
                    handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                } catch (RuntimeException e) {
                    failed("transport error", new TransportException("websocket error: handshake refused: " + e.getMessage(), e));
                    return;
                }
                // Continuation frames are joined into whole messages, up to the incoming limit.
                ctx.pipeline().addBefore(ctx.name(), "ws-aggregator",
                        new WebSocketFrameAggregator(context.options.maxIncomingBytes()));
                open = true;
                listener.onTransportOpen(WebSocketTransport.this);
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                try {
                    EnginePacketDecoder.decodeText(text.content(), (type, data, binary) -> deliver(type, data, binary));
                } catch (PacketParseException e) {
                    failed("parse error", e);
                }
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                deliver(EnginePacketType.MESSAGE, binary.content(), true);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame) {
                failed("transport close", null);
            }
        }

        private void deliver(EnginePacketType type, io.netty.buffer.ByteBuf data, boolean binary) {
            if (!closed) {
                listener.onPacket(WebSocketTransport.this, type, data, binary);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failed(open ? "transport close" : "transport error",
                    open ? null : new TransportException("websocket error: connection closed before the WebSocket opened"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed("transport error", new TransportException("websocket error: " + cause, cause));
        }
    }
}
