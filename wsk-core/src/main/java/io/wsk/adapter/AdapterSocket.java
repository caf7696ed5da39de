package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.EventExecutor;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.SocketPacket;

import java.util.Collection;

/** What an adapter may do with a socket of its own node. Any thread. */
public interface AdapterSocket {

    String id();

    /** The loop the socket lives on: deliveries made there need no hand-over. */
    EventExecutor eventLoop();

    /**
     * Sends a packet encoded once for all recipients. {@code volatileDelivery}: drop it if the
     * client cannot take it right now. The caller keeps its reference to {@code packet}.
     */
    void deliver(EncodedPacket packet, boolean volatileDelivery);

    /**
     * Called for each local recipient of a broadcast, before it is delivered, so that the socket's
     * outgoing-event listeners ({@code onAnyOutgoing}) see broadcasts as well as the socket's own
     * emits, as in the reference adapter. {@code packet} is shared by every recipient: read it,
     * never modify it.
     */
    void notifyOutgoing(SocketPacket packet);

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

    /** The private id a client presents to recover this socket's session; {@code null} when recovery is off. */
    default String pid() {
        return null;
    }

    /** {@code socket.data} as JSON ({@code null} node when none), as a session saves it. */
    default JsonNode dataJson() {
        return com.fasterxml.jackson.databind.node.NullNode.instance;
    }
}
