package io.wsk.server;

import io.wsk.adapter.BroadcastFlags;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Emits to one socket with flags set: {@code socket.timeout(d)}, {@code socket.asVolatile()}. Immutable. */
public final class SocketEmitter {

    private final Socket socket;
    private final BroadcastFlags flags;

    SocketEmitter(Socket socket, BroadcastFlags flags) {
        this.socket = socket;
        this.flags = flags;
    }

    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(socket, flags.withTimeout(timeout.toMillis()));
    }

    public SocketEmitter asVolatile() {
        return new SocketEmitter(socket, flags.withVolatile());
    }

    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(socket, flags.withCompress(compress));
    }

    public void emit(String event, Object... args) {
        socket.emit(flags, event, args);
    }

    /** Completes with the ack arguments, or fails with {@link AckTimeoutException} after the timeout. */
    public CompletableFuture<EventArgs> emitWithAck(String event, Object... args) {
        return socket.emitWithAck(flags, event, args);
    }
}
