package io.wsk.app;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.wsk.http.HttpEndpoint;
import io.wsk.http.HttpExchange;

import java.nio.charset.StandardCharsets;

/** {@code /health}: liveness. Answers 200 while the process serves requests at all. */
final class HealthEndpoint implements HttpEndpoint {

    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void handle(HttpExchange exchange) {
        exchange.respond(HttpResponseStatus.OK, "application/json", Unpooled.wrappedBuffer(OK), null);
    }
}
