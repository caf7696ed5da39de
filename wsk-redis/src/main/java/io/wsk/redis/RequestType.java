package io.wsk.redis;

/** The request and response types of {@code @socket.io/redis-adapter}, with their wire numbers. */
enum RequestType {
    SOCKETS(0),
    ALL_ROOMS(1),
    REMOTE_JOIN(2),
    REMOTE_LEAVE(3),
    REMOTE_DISCONNECT(4),
    REMOTE_FETCH(5),
    SERVER_SIDE_EMIT(6),
    BROADCAST(7),
    BROADCAST_CLIENT_COUNT(8),
    BROADCAST_ACK(9);

    private final int wire;

    RequestType(int wire) {
        this.wire = wire;
    }

    int wire() {
        return wire;
    }

    /** The type numbered {@code wire}, or {@code null} for an unknown number. */
    static RequestType fromWire(int wire) {
        for (RequestType type : values()) {
            if (type.wire == wire) {
                return type;
            }
        }
        return null;
    }
}
