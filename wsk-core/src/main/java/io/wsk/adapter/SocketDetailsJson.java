package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Sockets as the reference adapters send them in fetchSockets responses:
 * {@code [{id, handshake, rooms: [...], data?}]}, {@code data} left out when there is none
 * (as {@code JSON.stringify} drops {@code undefined}).
 */
public final class SocketDetailsJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SocketDetailsJson() {
    }

    public static ArrayNode toJson(List<SocketDetails> sockets) {
        ArrayNode list = NODES.arrayNode();
        for (SocketDetails socket : sockets) {
            ObjectNode item = list.addObject().put("id", socket.id());
            item.set("handshake", socket.handshake());
            ArrayNode rooms = item.putArray("rooms");
            socket.rooms().forEach(rooms::add);
            if (socket.data() != null && !socket.data().isNull()) {
                item.set("data", socket.data());
            }
        }
        return list;
    }

    /** Adds the sockets of a response's {@code sockets} array to {@code into}. */
    public static void addFrom(JsonNode sockets, List<SocketDetails> into) {
        for (JsonNode socket : sockets) {
            into.add(new SocketDetails(socket.path("id").asText(), socket.path("handshake"),
                    BroadcastOptionsJson.strings(socket.path("rooms")),
                    socket.has("data") ? socket.get("data") : NullNode.instance));
        }
    }
}
