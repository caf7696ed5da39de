package io.wsk.engine;

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

        public Builder handshakeFilter(HandshakeFilter filter) {
            this.handshakeFilter = filter;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
