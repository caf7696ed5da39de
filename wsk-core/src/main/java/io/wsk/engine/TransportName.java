package io.wsk.engine;

/** The Engine.IO transports, named as in the {@code transport} query parameter. */
public enum TransportName {
    POLLING("polling"),
    WEBSOCKET("websocket");

    private final String wireName;

    TransportName(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The transport named {@code name}, or {@code null} (also for names like {@code __proto__}). */
    public static TransportName fromWireName(String name) {
        if ("polling".equals(name)) {
            return POLLING;
        }
        if ("websocket".equals(name)) {
            return WEBSOCKET;
        }
        return null;
    }
}
