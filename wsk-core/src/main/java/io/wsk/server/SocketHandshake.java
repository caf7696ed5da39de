package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.engine.Handshake;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a socket's client sent when it connected ({@code socket.handshake}): the HTTP request of
 * its Engine.IO session, and the auth payload of its CONNECT packet.
 */
public final class SocketHandshake {

    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private final Socket socket;

    SocketHandshake(Socket socket) {
        this.socket = socket;
    }

    private Handshake request() {
        return socket.request();
    }

    /** The CONNECT payload; an empty object when the client sent none (the same object on every call). */
    public JsonNode auth() {
        return socket.auth();
    }

    /** A header of the opening request, any case, or {@code null}. */
    public String header(String name) {
        return request().header(name);
    }

    public Map<String, String> headers() {
        return request().headers();
    }

    public Map<String, List<String>> query() {
        return request().query();
    }

    public String queryParam(String name) {
        return request().queryParam(name);
    }

    public String address() {
        return request().address();
    }

    public String url() {
        return request().url();
    }

    /** Epoch milliseconds. */
    public long issued() {
        return request().issuedAt();
    }

    public boolean secure() {
        return request().secure();
    }

    /** Whether the request was cross-origin (carried an Origin header). */
    public boolean xdomain() {
        return request().header("origin") != null;
    }

    /** The handshake as the reference server serializes it (for fetchSockets across nodes). */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.set("headers", mapper.valueToTree(headers()));
        json.put("time", JS_DATE.format(Instant.ofEpochMilli(issued())));
        json.put("address", address());
        json.put("xdomain", xdomain());
        json.put("secure", secure());
        json.put("issued", issued());
        json.put("url", url());
        ObjectNode query = json.putObject("query");
        query().forEach((name, values) -> query.put(name, values.isEmpty() ? "" : values.get(0)));
        json.set("auth", auth());
        return json;
    }
}
