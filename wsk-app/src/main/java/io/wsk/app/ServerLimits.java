package io.wsk.app;

import io.wsk.engine.EngineOptions;
import io.wsk.server.SocketIoOptions;

/** The limits chosen on the command line ({@link LimitFlags}); {@code maxConnections} null for the default. */
record ServerLimits(Integer maxConnections, long maxOutboundBytes, long closeTimeoutMillis, int maxEventRate,
                    int eventBurst, int maxRoomsPerSocket, int maxRoomNameLength, long attachmentTimeoutMillis,
                    long maxAttachmentBytes, boolean cleanupEmptyNamespaces) {

    EngineOptions.Builder applyTo(EngineOptions.Builder engine) {
        if (maxConnections != null) {
            engine.maxConnections(maxConnections);
        }
        return engine.maxOutboundBytes(maxOutboundBytes).closeTimeoutMillis(closeTimeoutMillis);
    }

    SocketIoOptions.Builder applyTo(SocketIoOptions.Builder socketIo) {
        return socketIo.maxEventRate(maxEventRate).eventBurst(eventBurst)
                .maxRoomsPerSocket(maxRoomsPerSocket).maxRoomNameLength(maxRoomNameLength)
                .attachmentTimeoutMillis(attachmentTimeoutMillis).maxAttachmentBytes(maxAttachmentBytes)
                .cleanupEmptyChildNamespaces(cleanupEmptyNamespaces);
    }
}
