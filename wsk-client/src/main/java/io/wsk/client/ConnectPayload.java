package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The data of a CONNECT packet, as the JS client builds it: the auth object, and when the server
 * gave a {@code pid} (connection state recovery), {@code pid} and {@code offset} in front of it
 * ({@code {pid, offset, ...auth}}), so that the server can restore the session.
 */
final class ConnectPayload {

    private ConnectPayload() {
    }

    /** Null when there is nothing to send (no auth, no session). */
    static ObjectNode of(ObjectMapper mapper, Object auth, String pid, String offset) {
        ObjectNode data = null;
        if (auth != null) {
            JsonNode tree = mapper.valueToTree(auth);
            if (!tree.isObject()) {
                throw new IllegalArgumentException("auth must be a JSON object, not " + tree.getNodeType());
            }
            data = (ObjectNode) tree;
        }
        if (pid == null) {
            return data;
        }
        ObjectNode withSession = mapper.createObjectNode().put("pid", pid);
        if (offset != null) {
            withSession.put("offset", offset);
        }
        if (data != null) {
            withSession.setAll(data);
        }
        return withSession;
    }
}
