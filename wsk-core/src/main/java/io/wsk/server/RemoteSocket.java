package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.adapter.SocketDetails;

import java.util.Set;

/**
 * A socket found by {@code fetchSockets}, on this node or another: a snapshot of its id,
 * handshake, rooms and data, and the operations that reach it wherever it is.
 */
public final class RemoteSocket {

    private final Namespace nsp;
    private final SocketDetails details;

    RemoteSocket(Namespace nsp, SocketDetails details) {
        this.nsp = nsp;
        this.details = details;
    }

    public String id() {
        return details.id();
    }

    /** The handshake as JSON: headers, time, address, xdomain, secure, issued, url, query, auth. */
    public JsonNode handshake() {
        return details.handshake();
    }

    public Set<String> rooms() {
        return details.rooms();
    }

    /** {@code socket.data} as JSON. */
    public JsonNode data() {
        return details.data();
    }

    public void emit(String event, Object... args) {
        nsp.to(id()).emit(event, args);
    }

    public void join(String... rooms) {
        nsp.in(id()).socketsJoin(rooms);
    }

    public void leave(String... rooms) {
        nsp.in(id()).socketsLeave(rooms);
    }

    public void disconnect(boolean close) {
        nsp.in(id()).disconnectSockets(close);
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + id() + " " + rooms() + "]";
    }
}
