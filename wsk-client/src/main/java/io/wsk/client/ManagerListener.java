package io.wsk.client;

/**
 * What a {@link Manager} reports about its connection, as the JS Manager's events ({@code open},
 * {@code close}, {@code reconnect_attempt}, {@code reconnect}, {@code reconnect_error},
 * {@code reconnect_failed}). Runs on the client's listener thread; override what you need.
 */
public interface ManagerListener {

    default void onOpen() {
    }

    default void onClose(String reason) {
    }

    /** The connection moved to another transport ({@code websocket}, after polling). */
    default void onUpgrade(String transport) {
    }

    /** The connection could not be opened (each failed attempt too). */
    default void onError(Throwable error) {
    }

    /** Attempt {@code attempt} (from 1) starts now, after its backoff delay. */
    default void onReconnectAttempt(int attempt) {
    }

    default void onReconnect(int attempt) {
    }

    default void onReconnectError(Throwable error) {
    }

    /** {@code reconnectionAttempts} attempts failed; the manager stops trying. */
    default void onReconnectFailed() {
    }
}
