package io.wsk.http;

/**
 * Serves the HTTP requests under one path prefix: an Engine.IO endpoint, a health check, a page.
 *
 * <p>Called on the connection's event loop. The endpoint answers through the exchange, now or
 * later (a held long-polling GET), or takes the connection over (a WebSocket upgrade).
 */
@FunctionalInterface
public interface HttpEndpoint {

    void handle(HttpExchange exchange);
}
