package io.wsk.engine;

/**
 * A request the endpoint refused, as Node's {@code connection_error} reports it: the Engine.IO
 * error {@code code} and {@code message} the client got, and what the request was.
 *
 * @param remoteAddress the client's IP address as the server saw it
 * @param uri           the request's path and query
 * @param code          the Engine.IO error code ({@code 0} unknown transport, {@code 1} unknown
 *                      session id, ..., see {@link EngineError}); {@code -1} for a 503 (draining,
 *                      at capacity)
 * @param message       what the client was told
 */
public record ConnectionError(String remoteAddress, String uri, int code, String message) {
}
