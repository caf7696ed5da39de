package io.wsk.app;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.wsk.http.HttpEndpoint;
import io.wsk.http.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /ready}: whether a load balancer should send this node new clients. 200 while serving
 * with the cluster reachable; 503 while starting, draining, or while the cluster adapter has lost
 * Redis (the node still serves its own clients then, but its broadcasts would not reach the
 * others'). Liveness ({@code /health}) stays 200 in all these cases: restarting would not help.
 */
final class ReadinessEndpoint implements HttpEndpoint {

    private final Supplier<ServerPhase> phase;
    private final BooleanSupplier clusterConnected;

    ReadinessEndpoint(Supplier<ServerPhase> phase, BooleanSupplier clusterConnected) {
        this.phase = phase;
        this.clusterConnected = clusterConnected;
    }

    @Override
    public void handle(HttpExchange exchange) {
        ServerPhase current = phase.get();
        String reason = current == ServerPhase.STARTING ? "starting"
                : current == ServerPhase.DRAINING ? "draining"
                : clusterConnected.getAsBoolean() ? null : "cluster adapter disconnected";
        HttpResponseStatus status = reason == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        String body = reason == null ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\",\"reason\":\"" + reason + "\"}";
        exchange.respond(status, "application/json", Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII),
                h -> h.set("cache-control", "no-store"));
    }
}
