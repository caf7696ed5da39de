package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Why a socket could not connect: the server refused it (its middleware's message and
 * {@code data}, as in {@code connect_error} of the JS client), or the connection itself failed
 * (no {@code data}, {@link #getCause()} says why).
 */
public final class ConnectError extends Exception {

    private final transient JsonNode data;

    public ConnectError(String message, JsonNode data, Throwable cause) {
        super(message, cause);
        this.data = data;
    }

    /** The server's {@code data}, or null (connection failures, or a refusal without data). */
    public JsonNode data() {
        return data;
    }

    /** True when the server answered with CONNECT_ERROR (not a network or timeout failure). */
    public boolean fromServer() {
        return getCause() == null;
    }
}
