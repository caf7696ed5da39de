package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A request sent to the other nodes, collecting their responses. It completes when every node it
 * waits for answered, or at its timeout with what arrived: a cluster request never hangs, and the
 * shortfall is logged with the uids of the nodes that stayed silent rather than failing the caller.
 *
 * <p>It does not wait for the nodes {@link ClusterNodes} has left out (subscribed, but silent for
 * several requests in a row): their answers are kept if they come in time, but do not count
 * towards completion, so a left-out node that wakes up cannot stand in for a live one. Silent nodes
 * are reported to {@link ClusterNodes#missed} at the timeout. Responses without a uid (from Node's
 * classic adapter, which does not name itself) count, but such a node can never be named.
 */
public final class PendingResponses {

    private static final Logger log = LoggerFactory.getLogger(PendingResponses.class);

    private final String description;
    private final long timeoutMillis;
    private final ClusterNodes nodes;
    private final int expected;
    /** Known nodes this request waits for: named if they stay silent. */
    private final Set<String> awaited;
    private final Set<String> leftOut;
    /** Who answered; this and the rest of the mutable state are guarded by this. */
    private final Set<String> answered = new HashSet<>();
    private int counted;
    private final List<JsonNode> responses = new ArrayList<>();
    private final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();

    /**
     * Waits for {@code otherNodes} answers (the other subscribers of the request channel) less the
     * nodes {@code nodes} has left out; with none to wait for it is complete at once.
     * {@code timeoutMillis} is only reported: the caller schedules {@link #timeout}.
     */
    public PendingResponses(String description, int otherNodes, ClusterNodes nodes, long timeoutMillis) {
        this.description = description;
        this.timeoutMillis = timeoutMillis;
        this.nodes = nodes;
        ClusterNodes.Expected view = nodes.expected();
        this.awaited = view.awaited();
        this.leftOut = view.leftOut();
        this.expected = otherNodes - leftOut.size();
        if (expected <= 0) {
            result.complete(List.of());
        }
    }

    /** The responses, in arrival order, once complete. */
    public CompletableFuture<List<JsonNode>> result() {
        return result;
    }

    /** The nodes left out when this request was made (it did not wait for them). */
    public Set<String> leftOut() {
        return leftOut;
    }

    /** A response from {@code responderUid}, or from an unnamed node when it is {@code null}. */
    public synchronized void add(String responderUid, JsonNode response) {
        if (result.isDone()) {
            return;
        }
        responses.add(response);
        if (responderUid != null) {
            answered.add(responderUid);
        }
        if (responderUid == null || !leftOut.contains(responderUid)) {
            counted++;
        }
        if (counted >= expected) {
            result.complete(List.copyOf(responses));
        }
    }

    /** Completes with what arrived, if not complete yet, naming the silent nodes and counting their miss. */
    public synchronized void timeout() {
        if (result.isDone()) {
            return;
        }
        Set<String> silent = new TreeSet<>(awaited);
        silent.removeAll(answered);
        int unnamed = expected - counted - silent.size();
        log.warn("{}: {} of {} other nodes answered in {} ms; silent: {}{}; using what arrived", description,
                counted, expected, timeoutMillis, describe(silent, unnamed),
                leftOut.isEmpty() ? "" : "; not waited for (left out): " + String.join(", ", leftOut));
        // Charged before completing, so that whoever waits on the result sees the node's new state.
        nodes.missed(silent);
        result.complete(List.copyOf(responses));
    }

    private static String describe(Set<String> silent, int unnamed) {
        String named = String.join(", ", silent);
        if (unnamed <= 0) {
            return named;
        }
        String anonymous = unnamed + (unnamed == 1 ? " node" : " nodes") + " not known by uid";
        return named.isEmpty() ? anonymous : named + " and " + anonymous;
    }
}
