package io.wsk.engine;

import io.netty.buffer.ByteBuf;

/** What a session tells its owner (the Socket.IO layer, or an app). Called on the session's event loop. */
public interface SessionListener {

    SessionListener NONE = new SessionListener() {
        @Override
        public void onMessage(EngineSession session, ByteBuf data, boolean binary) {
        }

        @Override
        public void onClose(EngineSession session, String reason) {
        }
    };

    /** A message packet; {@code data} is valid only during the call (retain it to keep it). */
    void onMessage(EngineSession session, ByteBuf data, boolean binary);

    /** The session moved from polling to WebSocket. */
    default void onUpgrade(EngineSession session) {
    }

    /** The session ended: {@code transport close}, {@code ping timeout}, {@code parse error}, ... */
    void onClose(EngineSession session, String reason);
}
