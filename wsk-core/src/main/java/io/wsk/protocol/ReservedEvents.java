package io.wsk.protocol;

import java.util.Set;

/** Event names Socket.IO keeps for itself, in one place for the parser, the server and the emitter. */
public final class ReservedEvents {

    /** Never valid as an EVENT's name: refused when received, and refused by {@code emit}. */
    public static final Set<String> EVENTS = Set.of("connect", "connect_error", "disconnect",
            "disconnecting", "newListener", "removeListener");

    /** Refused by {@code serverSideEmit}. */
    public static final Set<String> SERVER_SIDE_EVENTS = Set.of("connect", "connection", "new_namespace");

    private ReservedEvents() {
    }

    /** Throws when {@code event} may not be emitted to clients. */
    public static void checkEvent(String event) {
        if (EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
    }

    /** Throws when {@code event} may not be sent to other servers. */
    public static void checkServerSideEvent(String event) {
        if (SERVER_SIDE_EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
    }
}
