package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * What survives a dropped connection for connection state recovery.
 *
 * @param sid   the socket id, reused by the recovered socket
 * @param pid   the private id the client presents to recover
 * @param rooms the rooms to rejoin
 * @param data  {@code socket.data}
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, JsonNode data) {

    public PersistedSession {
        rooms = Set.copyOf(rooms);
    }
}
