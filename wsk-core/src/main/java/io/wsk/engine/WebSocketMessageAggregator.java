package io.wsk.engine;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * Joins fragmented WebSocket messages, up to {@code maxPayload} bytes, and refuses a larger one
 * with close code 1009 (message too big), as the frame decoder already does for a single frame
 * over the limit.
 *
 * <p>Why not Netty's aggregator as is: on an oversized message it only fires a
 * {@code TooLongFrameException}, and the connection is then dropped without a close frame, so the
 * client sees an abnormal closure (1006) instead of the reason.
 */
final class WebSocketMessageAggregator extends WebSocketFrameAggregator {

    WebSocketMessageAggregator(int maxPayload) {
        super(maxPayload);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
