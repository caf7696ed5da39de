package io.wsk.engine;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

/**
 * Netty's server-side WebSocket frame encoder, one instance for every connection. It keeps no
 * state of its own (the masking flag is fixed), so there is no reason for each idle connection to
 * hold a copy; Netty only refuses to share it because the class is not marked sharable.
 */
@ChannelHandler.Sharable
final class SharedWebSocketEncoder extends WebSocket13FrameEncoder {

    static final SharedWebSocketEncoder INSTANCE = new SharedWebSocketEncoder();

    private SharedWebSocketEncoder() {
        super(false);
    }
}
