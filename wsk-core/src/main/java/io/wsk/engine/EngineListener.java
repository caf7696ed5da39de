package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.wsk.http.HttpExchange;

/**
 * Observes a whole Engine.IO endpoint, as Node apps do with {@code io.engine.on(...)}: every
 * session opened, upgraded and closed, and every request refused. Register with
 * {@link Engine#addListener}. Methods run on the loop of the session or connection concerned,
 * must not block, and should be cheap: they run for every client.
 */
public interface EngineListener {

    /** A session was opened (Node's {@code connection}); the Socket.IO layer already owns it. */
    default void onConnection(EngineSession session) {
    }

    /** A session moved from polling to WebSocket (Node's {@code conn.on("upgrade")}). */
    default void onUpgrade(EngineSession session) {
    }

    /** A session ended with {@code reason} (Node's {@code conn.on("close")}). */
    default void onClose(EngineSession session, String reason) {
    }

    /** A request was refused with an Engine.IO error (Node's {@code connection_error}). */
    default void onConnectionError(ConnectionError error) {
    }

    /**
     * The answer to a handshake is about to go (Node's {@code initial_headers}): the first polling
     * GET, or the WebSocket upgrade of a WebSocket-only client; {@code headers} may be changed,
     * to set a cookie say. Runs before {@link #onHeaders} for the same answer.
     */
    default void onInitialHeaders(HttpHeaders headers, HttpExchange request) {
    }

    /** Any answer of the transports is about to go: every polling GET and POST, every WebSocket upgrade (Node's {@code headers}). */
    default void onHeaders(HttpHeaders headers, HttpExchange request) {
    }
}
