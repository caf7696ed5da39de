package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.protocol.SocketPacketEncoder;

import java.util.function.Consumer;

/** What an adapter may ask of the namespace it serves. */
public interface AdapterNamespace {

    /** The namespace name, e.g. {@code /} or {@code /admin}. */
    String name();

    /** A socket of this node by id, or {@code null}. */
    AdapterSocket localSocket(String id);

    /** Every socket of this node in the namespace (a live view). */
    java.util.Collection<? extends AdapterSocket> localSockets();

    /** Encodes packets for this namespace's clients. */
    SocketPacketEncoder encoder();

    /**
     * An event another node sent with serverSideEmit: {@code packet} is {@code [event, ...args]}.
     * {@code ack} is {@code null} unless the sender waits for replies.
     */
    void receiveServerSideEmit(ArrayNode packet, Consumer<JsonNode> ack);

    /** Where this node's cluster adapters count their requests to other nodes (one per server). */
    default ClusterStats clusterStats() {
        return new ClusterStats();
    }

    /**
     * How long disconnected sessions are kept for connection state recovery, in milliseconds; 0
     * when recovery is off, and broadcasts then carry no offset.
     */
    default long recoveryWindowMillis() {
        return 0;
    }
}
