package io.wsk.server;

import io.wsk.stats.ReasonCounts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link SocketIoServer} has done since it started, for metrics: sockets connected and
 * disconnected (by reason), broadcasts emitted here and packets delivered to local sockets, and
 * the sockets of each namespace now. Dynamic children are counted under their parent's
 * {@linkplain ParentNamespace#label() label}, so per-tenant namespaces do not each get a series.
 */
public final class ServerStats {

    private final SocketIoServer server;
    private final LongAdder connects = new LongAdder();
    private final LongAdder recoveries = new LongAdder();
    private final ReasonCounts disconnects = new ReasonCounts(List.of(DisconnectReason.TRANSPORT_ERROR,
            DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.FORCED_CLOSE, DisconnectReason.PING_TIMEOUT,
            DisconnectReason.PARSE_ERROR, DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.FORCED_SERVER_CLOSE,
            DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, DisconnectReason.SERVER_NAMESPACE_DISCONNECT,
            DisconnectReason.SLOW_CLIENT, DisconnectReason.RATE_LIMITED, DisconnectReason.ATTACHMENT_TIMEOUT,
            DisconnectReason.ATTACHMENT_BUDGET));
    private final LongAdder broadcasts = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder socketAckTimeouts = new LongAdder();
    private final LongAdder broadcastAckTimeouts = new LongAdder();

    ServerStats(SocketIoServer server) {
        this.server = server;
    }

    void connected(boolean recovered) {
        connects.increment();
        if (recovered) {
            recoveries.increment();
        }
    }

    void disconnected(String reason) {
        disconnects.add(reason);
    }

    void broadcast() {
        broadcasts.increment();
    }

    void delivered() {
        deliveries.increment();
    }

    void ackTimedOut(boolean broadcast) {
        (broadcast ? broadcastAckTimeouts : socketAckTimeouts).increment();
    }

    /** Sockets admitted to a namespace, restored ones included. */
    public long connects() {
        return connects.sum();
    }

    /** Of {@link #connects()}, those that got their session back ({@code recovered === true}). */
    public long recoveries() {
        return recoveries.sum();
    }

    public ReasonCounts disconnects() {
        return disconnects;
    }

    /** Emits to many sockets started on this node ({@code io.emit}, {@code to(room).emit}, ...). */
    public long broadcasts() {
        return broadcasts.sum();
    }

    /** Broadcast packets handed to sockets of this node, wherever the broadcast came from. */
    public long deliveries() {
        return deliveries.sum();
    }

    /**
     * Emits with an ack and a timeout whose time ran out first: to one socket
     * ({@code socket.timeout(..).emitWithAck}), or to many ({@code io.timeout(..).emitWithAck}),
     * which time out when some client or node did not answer.
     */
    public long ackTimeouts(boolean broadcast) {
        return (broadcast ? broadcastAckTimeouts : socketAckTimeouts).sum();
    }

    /** The sockets connected now, by namespace (children under their parent's label). */
    public Map<String, Integer> socketsByNamespace() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Namespace nsp : server.namespaces().values()) {
            counts.merge(nsp.metricsLabel(), nsp.sockets().size(), Integer::sum);
        }
        return counts;
    }
}
