package io.wsk.client;

import javax.net.ssl.TrustManagerFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * How a client connects; the names and defaults are the JS client's ({@code io(url, options)}).
 * Immutable; make one with {@link #builder()}.
 */
public final class ClientOptions {

    public static final String POLLING = "polling";
    public static final String WEBSOCKET = "websocket";

    private final List<String> transports;
    private final boolean upgrade;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> extraHeaders;
    private final Supplier<?> auth;
    private final boolean reconnection;
    private final int reconnectionAttempts;
    private final long reconnectionDelay;
    private final long reconnectionDelayMax;
    private final double randomizationFactor;
    private final long timeout;
    private final long ackTimeout;
    private final int maxBufferedEmits;
    private final int maxIncomingBytes;
    private final TrustManagerFactory trustManager;
    private final Executor listenerExecutor;
    private final ClientResources resources;
    private final ClientProxy proxy;

    private ClientOptions(Builder b) {
        this.transports = List.copyOf(b.transports);
        this.upgrade = b.upgrade;
        this.path = b.path;
        this.query = Map.copyOf(b.query);
        this.extraHeaders = Map.copyOf(b.extraHeaders);
        this.auth = b.auth;
        this.reconnection = b.reconnection;
        this.reconnectionAttempts = b.reconnectionAttempts;
        this.reconnectionDelay = b.reconnectionDelay;
        this.reconnectionDelayMax = b.reconnectionDelayMax;
        this.randomizationFactor = b.randomizationFactor;
        this.timeout = b.timeout;
        this.ackTimeout = b.ackTimeout;
        this.maxBufferedEmits = b.maxBufferedEmits;
        this.maxIncomingBytes = b.maxIncomingBytes;
        this.trustManager = b.trustManager;
        this.listenerExecutor = b.listenerExecutor;
        this.resources = b.resources;
        this.proxy = b.proxy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ClientOptions defaults() {
        return builder().build();
    }

    public List<String> transports() {
        return transports;
    }

    public boolean upgrade() {
        return upgrade;
    }

    /** Always starts and ends with {@code /}. */
    public String path() {
        return path;
    }

    public Map<String, String> query() {
        return query;
    }

    public Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    /** The auth payload for the next CONNECT: the supplier is called at each connect. Null for none. */
    public Object auth() {
        return auth == null ? null : auth.get();
    }

    public boolean reconnection() {
        return reconnection;
    }

    public int reconnectionAttempts() {
        return reconnectionAttempts;
    }

    public long reconnectionDelay() {
        return reconnectionDelay;
    }

    public long reconnectionDelayMax() {
        return reconnectionDelayMax;
    }

    public double randomizationFactor() {
        return randomizationFactor;
    }

    /** ms the connection may take to open (the JS {@code timeout}). */
    public long timeout() {
        return timeout;
    }

    /** ms {@code emitWithAck} waits by default; 0: for ever (the JS default). */
    public long ackTimeout() {
        return ackTimeout;
    }

    public int maxBufferedEmits() {
        return maxBufferedEmits;
    }

    public int maxIncomingBytes() {
        return maxIncomingBytes;
    }

    /** The trust store for {@code https}/{@code wss}, or null for the JVM's. */
    public TrustManagerFactory trustManager() {
        return trustManager;
    }

    /** Where listeners run, or null for the client's own listener thread. */
    public Executor listenerExecutor() {
        return listenerExecutor;
    }

    /** Threads shared with other clients, or null for the client's own two. */
    public ClientResources resources() {
        return resources;
    }

    /** The proxy every connection goes through, or null for direct connections. */
    public ClientProxy proxy() {
        return proxy;
    }

    public static final class Builder {
        private List<String> transports = List.of(POLLING, WEBSOCKET);
        private boolean upgrade = true;
        private String path = "/socket.io/";
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private Supplier<?> auth;
        private boolean reconnection = true;
        private int reconnectionAttempts = Integer.MAX_VALUE;
        private long reconnectionDelay = 1000;
        private long reconnectionDelayMax = 5000;
        private double randomizationFactor = 0.5;
        private long timeout = 20_000;
        private long ackTimeout;
        private int maxBufferedEmits = 1000;
        private int maxIncomingBytes = 64 << 20;
        private TrustManagerFactory trustManager;
        private Executor listenerExecutor;
        private ClientResources resources;
        private ClientProxy proxy;

        private Builder() {
        }

        /** In the order they are tried: {@code polling}, {@code websocket} (default both, polling first). */
        public Builder transports(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("no transports");
            }
            for (String name : names) {
                if (!POLLING.equals(name) && !WEBSOCKET.equals(name)) {
                    throw new IllegalArgumentException("unknown transport: " + name);
                }
            }
            this.transports = List.of(names);
            return this;
        }

        /** Whether a polling connection upgrades to WebSocket (default true). */
        public Builder upgrade(boolean upgrade) {
            this.upgrade = upgrade;
            return this;
        }

        /** Where the server listens (default {@code /socket.io/}). */
        public Builder path(String path) {
            String p = path.startsWith("/") ? path : "/" + path;
            this.path = p.endsWith("/") ? p : p + "/";
            return this;
        }

        public Builder query(String name, String value) {
            query.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** A header sent with every HTTP request and the WebSocket handshake. */
        public Builder extraHeader(String name, String value) {
            extraHeaders.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** A fixed auth payload (a Map, a JsonNode, a POJO). */
        public Builder auth(Object auth) {
            this.auth = auth == null ? null : () -> auth;
            return this;
        }

        /** Called at every connect (and reconnect), on the client's I/O thread: must not block. */
        public Builder authSupplier(Supplier<?> auth) {
            this.auth = auth;
            return this;
        }

        public Builder reconnection(boolean reconnection) {
            this.reconnection = reconnection;
            return this;
        }

        public Builder reconnectionAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("reconnectionAttempts < 0");
            }
            this.reconnectionAttempts = attempts;
            return this;
        }

        public Builder reconnectionDelay(Duration delay) {
            this.reconnectionDelay = delay.toMillis();
            return this;
        }

        public Builder reconnectionDelayMax(Duration delay) {
            this.reconnectionDelayMax = delay.toMillis();
            return this;
        }

        public Builder randomizationFactor(double factor) {
            if (factor < 0 || factor > 1) {
                throw new IllegalArgumentException("randomizationFactor not in [0, 1]: " + factor);
            }
            this.randomizationFactor = factor;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout.toMillis();
            return this;
        }

        public Builder ackTimeout(Duration timeout) {
            this.ackTimeout = timeout.toMillis();
            return this;
        }

        /** Emits kept while disconnected (default 1000); past it, emits fail at once. */
        public Builder maxBufferedEmits(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxBufferedEmits < 0");
            }
            this.maxBufferedEmits = max;
            return this;
        }

        /** The largest WebSocket message or polling response accepted (default 64 MiB). */
        public Builder maxIncomingBytes(int max) {
            this.maxIncomingBytes = max;
            return this;
        }

        /** Trust these certificates for TLS instead of the JVM's trust store. */
        public Builder trustManager(TrustManagerFactory trustManager) {
            this.trustManager = trustManager;
            return this;
        }

        /** Run listeners here instead of on the client's own listener thread (the client does not shut it down). */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = executor;
            return this;
        }

        /** Share these I/O and listener threads with other clients instead of starting two per client. */
        public Builder resources(ClientResources resources) {
            this.resources = resources;
            return this;
        }

        /** Connect through this HTTP CONNECT or SOCKS5 proxy (default none: direct). */
        public Builder proxy(ClientProxy proxy) {
            this.proxy = proxy;
            return this;
        }

        public ClientOptions build() {
            if (reconnectionDelayMax < reconnectionDelay) {
                reconnectionDelayMax = reconnectionDelay;
            }
            return new ClientOptions(this);
        }
    }
}
