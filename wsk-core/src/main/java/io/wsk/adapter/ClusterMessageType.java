package io.wsk.adapter;

/** The message types of socket.io-adapter's {@code ClusterAdapter}, with their wire numbers. */
public enum ClusterMessageType {
    INITIAL_HEARTBEAT(1),
    HEARTBEAT(2),
    BROADCAST(3),
    SOCKETS_JOIN(4),
    SOCKETS_LEAVE(5),
    DISCONNECT_SOCKETS(6),
    FETCH_SOCKETS(7),
    FETCH_SOCKETS_RESPONSE(8),
    SERVER_SIDE_EMIT(9),
    SERVER_SIDE_EMIT_RESPONSE(10),
    BROADCAST_CLIENT_COUNT(11),
    BROADCAST_ACK(12),
    ADAPTER_CLOSE(13);

    private final int wire;

    ClusterMessageType(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    /** The type numbered {@code wire}, or {@code null}. */
    public static ClusterMessageType fromWire(int wire) {
        for (ClusterMessageType type : values()) {
            if (type.wire == wire) {
                return type;
            }
        }
        return null;
    }

    /** Whether messages of this type may carry binary data (and so may need msgpack). */
    public boolean mayCarryBinary() {
        return switch (this) {
            case BROADCAST, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT, SERVER_SIDE_EMIT_RESPONSE -> true;
            default -> false;
        };
    }
}
