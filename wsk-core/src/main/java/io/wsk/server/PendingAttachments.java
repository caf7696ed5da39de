package io.wsk.server;

import io.netty.util.concurrent.ScheduledFuture;
import io.wsk.protocol.SocketPacketDecoder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A binary packet whose attachments are still arriving on one connection: the decoder holding
 * it, the bytes it holds, and its deadline. A client that announces attachments and never sends
 * them all must not pin their bytes for as long as it keeps its connection, nor may many such
 * clients together hold more than the node's budget ({@link SocketIoOptions#maxAttachmentBytes()}).
 *
 * <p>Used on the connection's event loop; the budget is shared by every connection of a server.
 */
final class PendingAttachments {

    private final SocketPacketDecoder decoder;
    private final AtomicLong nodeBytes;
    private final long budget;
    private final ScheduledFuture<?> deadline;
    private long heldBytes;

    PendingAttachments(SocketPacketDecoder decoder, AtomicLong nodeBytes, long budget,
                       Client client, long timeoutMillis) {
        this.decoder = decoder;
        this.nodeBytes = nodeBytes;
        this.budget = budget;
        this.deadline = client.session().eventLoop().schedule(client::onAttachmentTimeout,
                timeoutMillis, TimeUnit.MILLISECONDS);
    }

    SocketPacketDecoder decoder() {
        return decoder;
    }

    /** Counts {@code bytes} more against the node's budget; false, counting nothing, past it. */
    boolean hold(int bytes) {
        if (nodeBytes.addAndGet(bytes) > budget) {
            nodeBytes.addAndGet(-bytes);
            return false;
        }
        heldBytes += bytes;
        return true;
    }

    /** The packet completed or was given up: its bytes leave the budget, its deadline goes. */
    void release() {
        deadline.cancel(false);
        nodeBytes.addAndGet(-heldBytes);
        heldBytes = 0;
    }
}
