package io.wsk.redis;

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
final class PendingRequest {

    private static final Logger log = LoggerFactory.getLogger(PendingRequest.class);

    private final String description;
    private final int expected;
    private final List<JsonNode> responses = new ArrayList<>();
    final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();

    PendingRequest(String description, int expected) {
        this.description = description;
        this.expected = expected;
        if (expected <= 0) {
            result.complete(List.of());
        }
    }

    synchronized void add(JsonNode response) {
        if (result.isDone()) {
            return;
        }
        responses.add(response);
        if (responses.size() >= expected) {
            result.complete(List.copyOf(responses));
        }
    }

    synchronized void timeout() {
        if (!result.isDone()) {
            log.warn("{}: only {} of {} other nodes answered in time; using what arrived", description,
                    responses.size(), expected);
            result.complete(List.copyOf(responses));
        }
    }
}
