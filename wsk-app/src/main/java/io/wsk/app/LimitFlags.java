package io.wsk.app;

import io.wsk.engine.EngineOptions;
import io.wsk.server.SocketIoOptions;
import picocli.CommandLine.Option;

/**
 * The {@code serve} flags for the limits that keep one client from taking a node down, each with
 * its environment variable. Defaults are the libraries' own ({@link EngineOptions},
 * {@link SocketIoOptions}); docs/OPERATIONS.md says how to size them.
 */
final class LimitFlags {

    @Option(names = "--max-connections", defaultValue = "${env:WSK_MAX_CONNECTIONS}",
            description = "Most sessions at once; past it handshakes get 503 with Retry-After (env WSK_MAX_CONNECTIONS; "
                    + "default: the open-files limit less a tenth, at least 256).")
    Integer maxConnections;

    @Option(names = "--max-outbound-bytes", defaultValue = "${env:WSK_MAX_OUTBOUND_BYTES:-1048576}",
            description = "Bytes that may wait for one client; past it the client is closed as 'slow client' "
                    + "(env WSK_MAX_OUTBOUND_BYTES; default ${DEFAULT-VALUE}).")
    long maxOutboundBytes;

    @Option(names = "--close-timeout", defaultValue = "${env:WSK_CLOSE_TIMEOUT:-3000}",
            description = "Milliseconds a closing WebSocket may take to flush before it is cut (env WSK_CLOSE_TIMEOUT; "
                    + "default ${DEFAULT-VALUE}).")
    long closeTimeoutMillis;

    @Option(names = "--max-event-rate", defaultValue = "${env:WSK_MAX_EVENT_RATE:-1000}",
            description = "Events per second one connection may send, on average; 0 = no limit (env WSK_MAX_EVENT_RATE; "
                    + "default ${DEFAULT-VALUE}).")
    int maxEventRate;

    @Option(names = "--event-burst", defaultValue = "${env:WSK_EVENT_BURST:-2000}",
            description = "Events above the rate a connection may send at once (env WSK_EVENT_BURST; default ${DEFAULT-VALUE}).")
    int eventBurst;

    @Option(names = "--max-rooms-per-socket", defaultValue = "${env:WSK_MAX_ROOMS_PER_SOCKET:-1000}",
            description = "Rooms one socket may join (env WSK_MAX_ROOMS_PER_SOCKET; default ${DEFAULT-VALUE}).")
    int maxRoomsPerSocket;

    @Option(names = "--max-room-name-length", defaultValue = "${env:WSK_MAX_ROOM_NAME_LENGTH:-256}",
            description = "Longest room name in chars (env WSK_MAX_ROOM_NAME_LENGTH; default ${DEFAULT-VALUE}).")
    int maxRoomNameLength;

    @Option(names = "--attachment-timeout", defaultValue = "${env:WSK_ATTACHMENT_TIMEOUT:-30000}",
            description = "Milliseconds a binary packet's attachments may take to arrive (env WSK_ATTACHMENT_TIMEOUT; "
                    + "default ${DEFAULT-VALUE}).")
    long attachmentTimeoutMillis;

    @Option(names = "--max-attachment-bytes", defaultValue = "${env:WSK_MAX_ATTACHMENT_BYTES:-67108864}",
            description = "Bytes of unfinished binary packets the node holds in all (env WSK_MAX_ATTACHMENT_BYTES; "
                    + "default ${DEFAULT-VALUE}).")
    long maxAttachmentBytes;

    @Option(names = "--cleanup-empty-namespaces", negatable = true, fallbackValue = "true",
            defaultValue = "${env:WSK_CLEANUP_EMPTY_NAMESPACES:-true}",
            description = "Remove dynamic child namespaces once empty (env WSK_CLEANUP_EMPTY_NAMESPACES; default ${DEFAULT-VALUE}).")
    boolean cleanupEmptyNamespaces;

    ServerLimits limits() {
        return new ServerLimits(maxConnections, maxOutboundBytes, closeTimeoutMillis, maxEventRate, eventBurst,
                maxRoomsPerSocket, maxRoomNameLength, attachmentTimeoutMillis, maxAttachmentBytes, cleanupEmptyNamespaces);
    }
}
