package io.wsk.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslHandler;
import io.wsk.http.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP connection into a session's WebSocket: answers the upgrade (with the engine
 * listeners' headers) and makes the pipeline a WebSocket one, with wsk's own frame decoder.
 */
final class WebSocketHandshake {

    private static final Logger log = LoggerFactory.getLogger(WebSocketHandshake.class);

    private final Engine engine;
    private final WebSocketDecoderConfig config;

    WebSocketHandshake(Engine engine, int maxPayload) {
        this.engine = engine;
        this.config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxPayload)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
    }

    /**
     * Completes the WebSocket handshake on the exchange's connection and makes the connection's
     * pipeline a WebSocket one; returns {@code null} (after answering) when the handshake fails.
     * {@code initial}: the upgrade opens the session (a WebSocket-only client).
     */
    WebSocketTransport upgrade(HttpExchange exchange, EngineSession session, boolean initial) {
        Channel channel = exchange.channel();
        WebSocketServerHandshakerFactory factory =
                new WebSocketServerHandshakerFactory(url(exchange), null, config);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(exchange.request());
        if (handshaker == null) {
            exchange.takeOver();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
            return null;
        }
        WebSocketTransport ws = new WebSocketTransport(channel, session);
        try {
            EngineListeners listeners = engine.listeners();
            HttpHeaders extra = listeners.hasHeaderListeners() ? new DefaultHttpHeaders() : null;
            if (extra != null) {
                listeners.headers(extra, exchange, initial);
            }
            handshaker.handshake(channel, exchange.request(), extra, channel.newPromise());
        } catch (WebSocketHandshakeException e) {
            log.debug("websocket handshake refused: {}", e.getMessage());
            engine.respondError(exchange, EngineError.BAD_REQUEST);
            return null;
        }
        exchange.takeOver();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.replace("router", "engine-ws", ws);
        if (handshaker.version() == WebSocketVersion.V00) {
            // hixie-76 frames are never fragmented: Netty's decoder and its UTF-8 check do.
            pipeline.addBefore("engine-ws", "ws-utf8", new Utf8FrameValidator());
        } else {
            // Versions 7, 8 and 13 share one frame format. Every idle connection keeps these
            // handlers, so: one decoder that also checks UTF-8 and joins fragments, where Netty
            // would use three handlers, and one encoder for all connections.
            pipeline.replace(WebSocketFrameDecoder.class, "wsdecoder", new WebSocketMessageDecoder(config));
            pipeline.replace(WebSocketFrameEncoder.class, "wsencoder", SharedWebSocketEncoder.INSTANCE);
        }
        return ws;
    }

    private static String url(HttpExchange exchange) {
        String host = exchange.headers().get(HttpHeaderNames.HOST, "localhost");
        boolean secure = exchange.channel().pipeline().get(SslHandler.class) != null;
        return (secure ? "wss://" : "ws://") + host + exchange.uri();
    }
}
