package io.wsk.server;

import java.time.Duration;

/**
 * Connection state recovery: a client that lost its connection for less than
 * {@code maxDisconnection} gets back its socket id, rooms and data, and the events it missed.
 *
 * @param maxDisconnection how long sessions and missed packets are kept (reference default 2 min)
 * @param skipMiddlewares  whether a recovered socket skips the middlewares (reference default true)
 */
public record RecoveryOptions(Duration maxDisconnection, boolean skipMiddlewares) {

    public static RecoveryOptions defaults() {
        return new RecoveryOptions(Duration.ofMinutes(2), true);
    }
}
