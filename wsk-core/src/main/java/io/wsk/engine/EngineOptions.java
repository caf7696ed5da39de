package io.wsk.engine;

import io.wsk.http.FileDescriptors;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one Engine.IO endpoint. Defaults are those of the reference server
 * ({@code engine.io} 6.x), so official clients behave as they would against Node.
 */
public final class EngineOptions {

    private final String path;
    private final long pingIntervalMillis;
    private final long pingTimeoutMillis;
    private final long upgradeTimeoutMillis;
    private final int maxPayload;
    private final Set<TransportName> transports;
    private final boolean allowUpgrades;
    private final CorsPolicy cors;
    private final String cookieName;
    private final OriginPolicy webSocketOrigins;
    private final HandshakeFilter handshakeFilter;
    private final SessionIdSource sessionIds;
    private final long maxOutboundBytes;
    private final long closeTimeoutMillis;
    private final int maxConnections;

    /** As Centrifugo's client queue: room for a burst, not for a client that stopped reading. */
    public static final long DEFAULT_MAX_OUTBOUND_BYTES = 1024 * 1024;
    public static final long DEFAULT_CLOSE_TIMEOUT_MILLIS = 3_000;

    private EngineOptions(Builder b) {
        this.path = normalisePath(b.path);
        this.pingIntervalMillis = positive(b.pingIntervalMillis, "pingInterval");
        this.pingTimeoutMillis = positive(b.pingTimeoutMillis, "pingTimeout");
        this.upgradeTimeoutMillis = positive(b.upgradeTimeoutMillis, "upgradeTimeout");
        this.maxPayload = (int) positive(b.maxPayload, "maxPayload");
        if (b.transports.isEmpty()) {
            throw new IllegalArgumentException("at least one transport must be enabled");
        }
        this.transports = Set.copyOf(b.transports);
        this.allowUpgrades = b.allowUpgrades;
        this.cors = Objects.requireNonNull(b.cors);
        this.cookieName = b.cookieName;
        this.webSocketOrigins = Objects.requireNonNull(b.webSocketOrigins);
        this.handshakeFilter = b.handshakeFilter;
        this.sessionIds = b.sessionIds;
        this.maxOutboundBytes = positive(b.maxOutboundBytes, "maxOutboundBytes");
        this.closeTimeoutMillis = positive(b.closeTimeoutMillis, "closeTimeout");
        this.maxConnections = (int) positive(b.maxConnections, "maxConnections");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EngineOptions defaults() {
        return builder().build();
    }

    /** The mount path, always ending in {@code /}, e.g. {@code /engine.io/}. */
    public String path() {
        return path;
    }

    public long pingIntervalMillis() {
        return pingIntervalMillis;
    }

    public long pingTimeoutMillis() {
        return pingTimeoutMillis;
    }

    public long upgradeTimeoutMillis() {
        return upgradeTimeoutMillis;
    }

    /** The largest accepted POST body or WebSocket message, in bytes; sent to clients. */
    public int maxPayload() {
        return maxPayload;
    }

    public Set<TransportName> transports() {
        return transports;
    }

    public boolean allowUpgrades() {
        return allowUpgrades;
    }

    public CorsPolicy cors() {
        return cors;
    }

    /** The name of the cookie set on the polling handshake, or {@code null} for none. */
    public String cookieName() {
        return cookieName;
    }

    public OriginPolicy webSocketOrigins() {
        return webSocketOrigins;
    }

    /** The hook that may refuse new sessions, or {@code null}. */
    public HandshakeFilter handshakeFilter() {
        return handshakeFilter;
    }

    /** Where new session ids come from; {@code null}: 120 random bits per id. */
    public SessionIdSource sessionIds() {
        return sessionIds;
    }

    /**
     * The most bytes one session may have waiting for its client (beyond what its connection's
     * socket buffer holds); past it the session is closed with reason {@code slow client}
     * (WebSocket close 1008). A replay of missed packets does not count against it.
     */
    public long maxOutboundBytes() {
        return maxOutboundBytes;
    }

    /**
     * How long a closing WebSocket may take to send its last frames and close frame before the
     * connection is closed outright (a peer that does not read would otherwise hold it).
     */
    public long closeTimeoutMillis() {
        return closeTimeoutMillis;
    }

    /**
     * The most sessions open at once; past it handshakes get {@code 503} with
     * {@code Retry-After}, so a balancer sends the client to another node.
     */
    public int maxConnections() {
        return maxConnections;
    }

    private static String normalisePath(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") ? p : p + "/";
    }

    private static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    public static final class Builder {
        private String path = "/engine.io/";
        private long pingIntervalMillis = 25_000;
        private long pingTimeoutMillis = 20_000;
        private long upgradeTimeoutMillis = 10_000;
        private long maxPayload = 1_000_000;
        private Set<TransportName> transports = EnumSet.allOf(TransportName.class);
        private boolean allowUpgrades = true;
        private CorsPolicy cors = CorsPolicy.disabled();
        private String cookieName;
        private OriginPolicy webSocketOrigins = OriginPolicy.any();
        private HandshakeFilter handshakeFilter;
        private SessionIdSource sessionIds;
        private long maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
        private long closeTimeoutMillis = DEFAULT_CLOSE_TIMEOUT_MILLIS;
        private long maxConnections = FileDescriptors.defaultSessionLimit();

        private Builder() {
        }

        public Builder path(String path) {
            this.path = Objects.requireNonNull(path);
            return this;
        }

        public Builder pingIntervalMillis(long millis) {
            this.pingIntervalMillis = millis;
            return this;
        }

        public Builder pingTimeoutMillis(long millis) {
            this.pingTimeoutMillis = millis;
            return this;
        }

        public Builder upgradeTimeoutMillis(long millis) {
            this.upgradeTimeoutMillis = millis;
            return this;
        }

        public Builder maxPayload(long bytes) {
            this.maxPayload = bytes;
            return this;
        }

        public Builder transports(Set<TransportName> transports) {
            this.transports = EnumSet.noneOf(TransportName.class);
            this.transports.addAll(transports);
            return this;
        }

        public Builder allowUpgrades(boolean allowUpgrades) {
            this.allowUpgrades = allowUpgrades;
            return this;
        }

        public Builder cors(CorsPolicy cors) {
            this.cors = cors;
            return this;
        }

        /** Sets a cookie with this name (usually {@code io}) holding the sid on the polling handshake. */
        public Builder cookie(String name) {
            this.cookieName = name;
            return this;
        }

        /** Which {@code Origin} headers may open a WebSocket (CORS does not protect WebSockets). */
        public Builder webSocketOrigins(OriginPolicy origins) {
            this.webSocketOrigins = origins;
            return this;
        }

        /** Session ids from the application (Node's {@code generateId}); see {@link SessionIdSource}. */
        public Builder sessionIds(SessionIdSource source) {
            this.sessionIds = source;
            return this;
        }

        public Builder handshakeFilter(HandshakeFilter filter) {
            this.handshakeFilter = filter;
            return this;
        }

        /** See {@link EngineOptions#maxOutboundBytes()}; default 1 MiB. */
        public Builder maxOutboundBytes(long bytes) {
            this.maxOutboundBytes = bytes;
            return this;
        }

        /** See {@link EngineOptions#closeTimeoutMillis()}; default 3 s. */
        public Builder closeTimeoutMillis(long millis) {
            this.closeTimeoutMillis = millis;
            return this;
        }

        /**
         * See {@link EngineOptions#maxConnections()}; default: the open-files limit less a tenth
         * (at least 256), see {@link FileDescriptors#defaultSessionLimit()}.
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
