package io.wsk.engine;

import io.wsk.http.HttpExchange;

/**
 * Decides whether a handshake may open a new session (the reference server's {@code allowRequest}).
 * Runs on the connection's event loop for every handshake, so it must not block.
 */
@FunctionalInterface
public interface HandshakeFilter {

    /**
     * Returns {@code null} to accept, or the reason to refuse; a refusal is answered with 403 and
     * {@code {"code":4,"message":<reason>}}.
     */
    String refuse(HttpExchange handshake);
}
