package io.wsk.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AdminUi} instruments a server: the reference's {@code instrument(io, options)}
 * options, with wsk's bounds.
 *
 * @param namespace      the admin namespace the UI connects to ({@code /admin})
 * @param auth           who may log in; {@link AdminAuth#none()} to let anyone
 * @param readonly       the UI may look, not act (no join, leave, disconnect, emit)
 * @param serverId       this node's name in the UI; nodes must differ
 * @param statsInterval  how often {@code server_stats} goes out (2 s, as the reference: the UI
 *                       marks a node unhealthy after 10 s without)
 * @param maxListed      at most this many sockets per node in the list a UI gets when it
 *                       connects: the list is one message, and a node may hold 100,000 sockets
 * @param forwardEvents  also send every event received and sent by every socket
 *                       ({@code event_received}, {@code event_sent}): for development only, as it
 *                       costs one admin message per application event
 */
public record AdminOptions(String namespace, AdminAuth auth, boolean readonly, String serverId,
                           Duration statsInterval, int maxListed, boolean forwardEvents) {

    public AdminOptions {
        Objects.requireNonNull(auth, "auth: AdminAuth.basic(...), or AdminAuth.none() to let anyone in");
        if (namespace == null || !namespace.startsWith("/")) {
            throw new IllegalArgumentException("the admin namespace must start with '/': " + namespace);
        }
        if (serverId == null || serverId.isEmpty()) {
            throw new IllegalArgumentException("serverId must not be empty");
        }
        if (statsInterval.toMillis() < 100) {
            throw new IllegalArgumentException("statsInterval must be at least 100 ms");
        }
        if (maxListed < 0) {
            throw new IllegalArgumentException("maxListed must not be negative");
        }
    }

    /** {@code /admin}, stats every 2 s, 1,000 sockets listed per node, no event forwarding. */
    public static AdminOptions of(AdminAuth auth, String serverId) {
        return new AdminOptions("/admin", auth, false, serverId, Duration.ofSeconds(2), 1000, false);
    }

    public AdminOptions withReadonly(boolean value) {
        return new AdminOptions(namespace, auth, value, serverId, statsInterval, maxListed, forwardEvents);
    }

    public AdminOptions withForwardEvents(boolean value) {
        return new AdminOptions(namespace, auth, readonly, serverId, statsInterval, maxListed, value);
    }
}
