package io.wsk.app;

import io.wsk.engine.CorsPolicy;
import io.wsk.engine.EngineOptions;
import io.wsk.engine.OriginPolicy;
import io.wsk.adapter.AdapterFactory;
import io.wsk.server.RecoveryOptions;
import io.wsk.server.SocketIoOptions;

import java.util.List;

/** The protocol settings chosen on the command line, shared by every app. */
record ServeSettings(String path, long pingIntervalMillis, long pingTimeoutMillis, int maxPayload,
                     List<String> corsOrigins, boolean corsCredentials, List<String> allowedOrigins,
                     String cookie, AdapterFactory adapter, ServerLimits limits, RecoveryOptions recovery) {

    /** Socket.IO options at {@code /socket.io/} with these settings, limits and the chosen adapter. */
    SocketIoOptions.Builder socketIoOptions() {
        SocketIoOptions.Builder builder = limits.applyTo(SocketIoOptions.builder().engine(engineOptions(path).build()));
        if (adapter != null) {
            builder.adapter(adapter);
        }
        if (recovery != null) {
            builder.recovery(recovery);
        }
        return builder;
    }

    /** Engine options for an endpoint at {@code path} with these settings. */
    EngineOptions.Builder engineOptions(String path) {
        CorsPolicy cors = corsOrigins.isEmpty() ? CorsPolicy.disabled()
                : corsOrigins.contains("*") ? CorsPolicy.anyOrigin(corsCredentials)
                : CorsPolicy.origins(corsOrigins, corsCredentials);
        return limits.applyTo(EngineOptions.builder())
                .path(path)
                .pingIntervalMillis(pingIntervalMillis)
                .pingTimeoutMillis(pingTimeoutMillis)
                .maxPayload(maxPayload)
                .cors(cors)
                .cookie(cookie)
                .webSocketOrigins(allowedOrigins.isEmpty() ? OriginPolicy.any() : OriginPolicy.only(allowedOrigins));
    }
}
