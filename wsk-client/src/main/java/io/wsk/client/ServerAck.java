package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.concurrent.atomic.AtomicBoolean;

/** The {@link Ack} a listener gets for a server emit that asked for one: sends at most once. */
final class ServerAck implements Ack {

    private final ClientSocket socket;
    private final ObjectMapper mapper;
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    ServerAck(ClientSocket socket, ObjectMapper mapper, long ackId) {
        this.socket = socket;
        this.mapper = mapper;
        this.ackId = ackId;
    }

    @Override
    public boolean isRequested() {
        return true;
    }

    @Override
    public void send(Object... args) {
        if (!sent.compareAndSet(false, true)) {
            return;
        }
        ArrayNode data = mapper.createArrayNode();
        for (Object arg : args) {
            data.add(arg instanceof JsonNode node ? node : mapper.valueToTree(arg));
        }
        socket.sendAck(ackId, data);
    }
}
