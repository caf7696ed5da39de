package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request sent to the other nodes, collecting their responses. It completes when every
 * expected node answered, or at its timeout with what arrived: a cluster request never hangs,
 * and the shortfall is logged ("2 of 3 nodes answered") rather than failing the caller.
 */
public final class PendingResponses {

    private static final Logger log = LoggerFactory.getLogger(PendingResponses.class);

    private final String description;
    private final int expected;
    private final List<JsonNode> responses = new ArrayList<>();
    private final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();

    /** Expects {@code expected} responses; with none expected it is complete at once. */
    public PendingResponses(String description, int expected) {
        this.description = description;
        this.expected = expected;
        if (expected <= 0) {
            result.complete(List.of());
        }
    }

    /** The responses, in arrival order, once complete. */
    public CompletableFuture<List<JsonNode>> result() {
        return result;
    }

    public synchronized void add(JsonNode response) {
        if (result.isDone()) {
            return;
        }
        responses.add(response);
        if (responses.size() >= expected) {
            result.complete(List.copyOf(responses));
        }
    }

    /** Completes with what arrived, if not complete yet. */
    public synchronized void timeout() {
        if (!result.isDone()) {
            log.warn("{}: only {} of {} other nodes answered in time; using what arrived", description,
                    responses.size(), expected);
            result.complete(List.copyOf(responses));
        }
    }
}
