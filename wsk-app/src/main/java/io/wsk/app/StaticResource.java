package io.wsk.app;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.wsk.http.HttpEndpoint;
import io.wsk.http.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves one file from the classpath, read once at startup. */
final class StaticResource implements HttpEndpoint {

    private final byte[] content;
    private final String contentType;

    StaticResource(String resource, String contentType) {
        this(resource, contentType, text -> text);
    }

    /** A text resource as {@code edit} changes it (the page's Socket.IO path, say). */
    StaticResource(String resource, String contentType, java.util.function.UnaryOperator<String> edit) {
        try (InputStream in = StaticResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            byte[] bytes = in.readAllBytes();
            String original = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            String edited = edit.apply(original);
            this.content = edited.equals(original) ? bytes : edited.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.contentType = contentType;
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (!HttpMethod.GET.equals(exchange.method()) && !HttpMethod.HEAD.equals(exchange.method())) {
            exchange.respondText(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", null);
            return;
        }
        exchange.respond(HttpResponseStatus.OK, contentType, Unpooled.wrappedBuffer(content),
                h -> h.set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300"));
    }
}
