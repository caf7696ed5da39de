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

    // wsk's own: limits the reference server does not have (see SocketIoOptions and EngineOptions)
    /** More than {@code maxOutboundBytes} waited for the client: it did not read. */
    public static final String SLOW_CLIENT = "slow client";
    /** The connection kept sending events past {@code maxEventRate}. */
    public static final String RATE_LIMITED = "rate limited";
    /** A binary packet's attachments did not all arrive within {@code attachmentTimeout}. */
    public static final String ATTACHMENT_TIMEOUT = "attachment timeout";
    /** The node's budget for unfinished binary packets ({@code maxAttachmentBytes}) was spent. */
    public static final String ATTACHMENT_BUDGET = "attachment budget";

    /** After these the client may come back and recover its session; after the others it will not. */
    static final Set<String> RECOVERABLE = Set.of(TRANSPORT_ERROR, TRANSPORT_CLOSE, FORCED_CLOSE,
            PING_TIMEOUT, SERVER_SHUTTING_DOWN, FORCED_SERVER_CLOSE, SLOW_CLIENT, ATTACHMENT_BUDGET);

    private DisconnectReason() {
    }
}
