package io.wsk.server;

/**
 * Runs before a socket's handlers for each event it receives (Node's {@code socket.use}): to
 * check, log, or refuse a packet. Register with {@link Socket#use}; middlewares run in order, on
 * the socket's loop. Call {@code next.proceed()} to go on, or {@code next.reject(error)} to drop
 * the packet: the socket's {@link Socket#onError error handlers} get the error, the client
 * nothing. {@code next} may be answered later from any thread; until then the socket's later
 * packets wait (so they keep their order), which a middleware must not make long.
 */
@FunctionalInterface
public interface PacketMiddleware {

    void handle(Socket socket, String event, EventArgs args, Next next);

    /** A middleware's answer; only the first call counts. */
    interface Next {

        void proceed();

        void reject(RuntimeException error);
    }
}
