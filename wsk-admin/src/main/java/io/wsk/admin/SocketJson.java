package io.wsk.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.server.Socket;
import io.wsk.server.SocketHandshake;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The admin UI's JSON shapes: a socket as the UI lists it, and dates as it reads them. */
final class SocketJson {

    private SocketJson() {
    }

    /**
     * {@code {id, clientId, transport, nsp, data, handshake: {address, headers, query, issued,
     * secure, time, url, xdomain}, rooms}}, as the reference serializes a socket; the handshake's
     * auth is left out (it may hold a token).
     */
    static ObjectNode of(Socket socket, ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("id", socket.id());
        String sid = socket.conn().id();
        json.put("clientId", sid.substring(0, Math.min(12, sid.length())));
        json.put("transport", socket.transport().wireName());
        json.put("nsp", socket.namespace().name());
        JsonNode data = socket.dataJson();
        json.set("data", data == null || data.isNull() ? mapper.createObjectNode() : data);
        SocketHandshake handshake = socket.handshake();
        ObjectNode request = handshake.toJson(mapper);
        request.remove("auth");
        request.put("address", clientAddress(handshake));
        json.set("handshake", request);
        ArrayNode rooms = json.putArray("rooms");
        for (String room : socket.rooms()) {
            rooms.add(room);
        }
        return json;
    }

    /** The client's address as a proxy in front reports it, as the reference reads it. */
    private static String clientAddress(SocketHandshake handshake) {
        String cloudflare = handshake.header("cf-connecting-ip");
        if (cloudflare != null) {
            return cloudflare;
        }
        String forwarded = handshake.header("x-forwarded-for");
        return forwarded != null ? forwarded : handshake.address();
    }

    /** An ISO-8601 date in milliseconds, as JSON.stringify writes a JavaScript Date. */
    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
