package io.wsk.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An emit with flags, as the JS client's {@code socket.timeout(ms)} and {@code socket.volatile}:
 * {@code socket.timeout(Duration.ofSeconds(5)).emitWithAck("ask")}. Immutable.
 */
public final class SocketEmitter {

    private final ClientSocket socket;
    private final long timeoutMillis;
    private final boolean isVolatile;

    SocketEmitter(ClientSocket socket, long timeoutMillis, boolean isVolatile) {
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
        this.isVolatile = isVolatile;
    }

    /** Acks not answered within {@code timeout} fail with {@link AckTimeoutException}. */
    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(socket, timeout.toMillis(), isVolatile);
    }

    /** The emit is dropped unless it can be written at once (connected, transport idle). */
    public SocketEmitter asVolatile() {
        return new SocketEmitter(socket, timeoutMillis, true);
    }

    public void emit(String event, Object... args) {
        socket.send(event, args, null, timeoutMillis, isVolatile);
    }

    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        CompletableFuture<Args> future = new CompletableFuture<>();
        socket.send(event, args, future, timeoutMillis, isVolatile);
        return future;
    }
}
