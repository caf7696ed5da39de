package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * A socket as another node sees it (the reference's fetchSockets result):
 * its id, handshake (as JSON: headers, time, address, xdomain, secure, issued, url, query, auth),
 * rooms, and {@code socket.data} as JSON.
 */
public record SocketDetails(String id, JsonNode handshake, Set<String> rooms, JsonNode data) {

    public SocketDetails {
        rooms = Set.copyOf(rooms);
    }
}
