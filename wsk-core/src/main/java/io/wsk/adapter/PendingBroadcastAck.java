package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A broadcast with acks of this node, as the other nodes answer it: each reports how many of its
 * clients it sent to, then relays their acks. The caller waits for one client count per node
 * ({@code serverCount()}), so a hung node would make every broadcast with acks wait for its
 * timeout: for each node {@link ClusterNodes} has left out, and that still listens, this request
 * reports a count of zero in its place ({@link #standInFor}). If the node answers after all, its
 * own count is passed on too, and the caller then waits for those clients' acks as well.
 *
 * <p>At the timeout the known nodes that sent no count are named and charged with a miss.
 */
public final class PendingBroadcastAck {

    private static final Logger log = LoggerFactory.getLogger(PendingBroadcastAck.class);

    private final String description;
    private final IntConsumer clientCount;
    private final Consumer<JsonNode> onAck;
    private final ClusterNodes nodes;
    private final long timeoutMillis;
    private final Set<String> awaited;
    private final Set<String> leftOut;
    /** Nodes whose count was passed on, theirs or a stand-in; guarded by this. */
    private final Set<String> counted = new HashSet<>();
    private boolean timedOut;

    public PendingBroadcastAck(String description, IntConsumer clientCount, Consumer<JsonNode> onAck,
                               ClusterNodes nodes, long timeoutMillis) {
        this.description = description;
        this.clientCount = clientCount;
        this.onAck = onAck;
        this.nodes = nodes;
        this.timeoutMillis = timeoutMillis;
        ClusterNodes.Expected view = nodes.expected();
        this.awaited = view.awaited();
        this.leftOut = view.leftOut();
    }

    /** The nodes left out when the broadcast was sent: the adapter checks which still listen. */
    public Set<String> leftOut() {
        return leftOut;
    }

    /** A node's client count; {@code responderUid} is {@code null} when the node does not name itself. */
    public void clientCount(String responderUid, int count) {
        if (responderUid != null) {
            synchronized (this) {
                counted.add(responderUid);
            }
        }
        clientCount.accept(count);
    }

    public void ack(JsonNode reply) {
        onAck.accept(reply);
    }

    /** Reports zero clients for each of {@code listening} (left out, still subscribed) that has not answered. */
    public void standInFor(Set<String> listening) {
        int standIns = 0;
        synchronized (this) {
            if (timedOut) {
                return;
            }
            for (String uid : listening) {
                if (leftOut.contains(uid) && counted.add(uid)) {
                    standIns++;
                }
            }
        }
        for (int i = 0; i < standIns; i++) {
            clientCount.accept(0);
        }
    }

    /** The broadcast's time is up: names the known nodes that sent no count, and charges them a miss. */
    public void timeout() {
        Set<String> silent;
        synchronized (this) {
            timedOut = true;
            silent = new TreeSet<>(awaited);
            silent.removeAll(counted);
        }
        if (!silent.isEmpty()) {
            log.warn("{}: no client count in {} ms from silent: {}", description, timeoutMillis, String.join(", ", silent));
            nodes.missed(silent);
        }
    }
}
