package io.wsk.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wsk.http.HttpEndpoint;
import io.wsk.http.HttpExchange;

import java.io.IOException;

/** {@code /metrics}: every meter in the Prometheus text exposition format (version 0.0.4). */
final class MetricsEndpoint implements HttpEndpoint {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) {
        ByteBuf body = exchange.channel().alloc().buffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            registry.scrape(out, CONTENT_TYPE);
        } catch (IOException | RuntimeException e) {
            body.release();
            exchange.respondText(HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed: " + e.getMessage(), null);
            return;
        }
        exchange.respond(HttpResponseStatus.OK, CONTENT_TYPE, body, h -> h.set("cache-control", "no-store"));
    }
}
