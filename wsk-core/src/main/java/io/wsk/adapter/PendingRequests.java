package io.wsk.adapter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The requests this node has sent to the other nodes and still awaits answers to, by request id:
 * broadcasts with acks ({@link PendingBroadcastAck}) and requests that collect one response per
 * node ({@link PendingResponses}). Each is registered with its timeout and forgotten when that
 * passes (a request for responses also once all arrived). The cluster adapters share it, so a
 * request's bookkeeping is written once whatever carries the messages.
 */
public final class PendingRequests {

    private final Map<String, PendingBroadcastAck> broadcasts = new ConcurrentHashMap<>();
    private final Map<String, PendingResponses> responses = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final ClusterStats stats;

    /** Counting into a {@link ClusterStats} of its own. */
    public PendingRequests(ScheduledExecutorService timers) {
        this(timers, new ClusterStats());
    }

    public PendingRequests(ScheduledExecutorService timers, ClusterStats stats) {
        this.timers = timers;
        this.stats = stats;
    }

    /** Awaits the nodes' client counts and acks for {@code timeoutMillis}; then names the nodes that sent no count. */
    public void add(String requestId, PendingBroadcastAck broadcast, long timeoutMillis) {
        broadcasts.put(requestId, broadcast);
        stats.requested();
        timers.schedule(() -> {
            broadcasts.remove(requestId);
            broadcast.timeout();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Awaits one response per node until all arrived or {@code timeoutMillis} passed. */
    public void add(String requestId, PendingResponses request, long timeoutMillis) {
        responses.put(requestId, request);
        stats.requested();
        request.result().whenComplete((result, error) -> responses.remove(requestId));
        timers.schedule(request::timeout, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** This node's broadcast with acks of that id, or null (none, or its time is up). */
    public PendingBroadcastAck broadcast(String requestId) {
        return broadcasts.get(requestId);
    }

    /** This node's request for responses of that id, or null (none, or it completed). */
    public PendingResponses responses(String requestId) {
        return responses.get(requestId);
    }
}
