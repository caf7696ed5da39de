package io.wsk.server;

import java.util.Set;

/** Why a socket disconnected: the reasons the reference server reports. */
public final class DisconnectReason {

    public static final String TRANSPORT_ERROR = "transport error";
    public static final String TRANSPORT_CLOSE = "transport close";
    public static final String FORCED_CLOSE = "forced close";
    public static final String PING_TIMEOUT = "ping timeout";
    public static final String PARSE_ERROR = "parse error";
    public static final String SERVER_SHUTTING_DOWN = "server shutting down";
    public static final String FORCED_SERVER_CLOSE = "forced server close";
    public static final String CLIENT_NAMESPACE_DISCONNECT = "client namespace disconnect";
    public static final String SERVER_NAMESPACE_DISCONNECT = "server namespace disconnect";

    /** After these the client may come back and recover its session; after the others it will not. */
    static final Set<String> RECOVERABLE = Set.of(TRANSPORT_ERROR, TRANSPORT_CLOSE, FORCED_CLOSE,
            PING_TIMEOUT, SERVER_SHUTTING_DOWN, FORCED_SERVER_CLOSE);

    private DisconnectReason() {
    }
}
