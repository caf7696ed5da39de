package io.wsk.adapter;

import io.wsk.protocol.EncodedPacket;

import java.util.Collection;

/** What an adapter may do with a socket of its own node. Any thread. */
public interface AdapterSocket {

    String id();

    /**
     * Sends a packet encoded once for all recipients. {@code volatileDelivery}: drop it if the
     * client cannot take it right now. The caller keeps its reference to {@code packet}.
     */
    void deliver(EncodedPacket packet, boolean volatileDelivery);

    /**
     * Sends a packet with an ack id and calls {@code onAck} with the client's reply arguments
     * (a JSON array), at most once.
     */
    void deliverWithAck(EncodedPacket packet, long ackId, java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> onAck);

    void join(Collection<String> rooms);

    void leave(String room);

    /** Disconnects the socket; {@code close} also closes its whole connection. */
    void disconnect(boolean close);

    SocketDetails details();
}
