package io.wsk.server;

import java.util.function.Consumer;

/**
 * Handles an event sent by another node of the cluster ({@code serverSideEmit}).
 * {@code reply} answers a sender that waits for replies ({@code serverSideEmitWithAck}); it is a
 * no-op otherwise. Runs on the thread that received the event (with a Redis adapter, one of the
 * server's event loops), so, like every handler, it must not block.
 */
@FunctionalInterface
public interface ServerSideEventHandler {

    void handle(EventArgs args, Consumer<Object> reply);
}
