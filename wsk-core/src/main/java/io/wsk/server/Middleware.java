package io.wsk.server;

/**
 * Runs before a socket is admitted to a namespace ({@code io.use}, {@code nsp.use}): inspect
 * {@link Socket#handshake()} (headers, auth, ...) and call {@code next.proceed()} or
 * {@code next.reject(...)}, now or later, from any thread. A rejected client receives
 * {@code connect_error} with {@code {message, data}}. Throwing
 * {@link ConnectionRefusedException} rejects too.
 */
@FunctionalInterface
public interface Middleware {

    void handle(Socket socket, Next next);

    /** How a middleware lets the connection through or refuses it. Call exactly one, once. */
    interface Next {
        void proceed();

        void reject(String message);

        /** {@code data} is any JSON-serializable value sent along to the client. */
        void reject(String message, Object data);
    }
}
