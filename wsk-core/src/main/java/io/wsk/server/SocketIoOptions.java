package io.wsk.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsk.adapter.AdapterFactory;
import io.wsk.adapter.InMemoryAdapter;
import io.wsk.adapter.SessionAwareAdapter;
import io.wsk.engine.EngineOptions;

import java.util.Objects;

/** Settings of a {@link SocketIoServer}; defaults are the reference server's. */
public final class SocketIoOptions {

    /** Packets kept for recovery at most, per namespace; bounds memory under heavy broadcast. */
    private static final int RECOVERY_LOG_LIMIT = 10_000;

    private final EngineOptions engine;
    private final long connectTimeoutMillis;
    private final AdapterFactory adapterFactory;
    private final RecoveryOptions recovery;
    private final ObjectMapper mapper;
    private final int maxAttachments;

    private SocketIoOptions(Builder b) {
        this.engine = b.engine;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.recovery = b.recovery;
        this.mapper = b.mapper;
        this.maxAttachments = b.maxAttachments;
        if (b.adapterFactory != null) {
            this.adapterFactory = b.adapterFactory;
        } else if (b.recovery != null) {
            long window = b.recovery.maxDisconnection().toMillis();
            this.adapterFactory = nsp -> new SessionAwareAdapter(nsp, window, RECOVERY_LOG_LIMIT);
        } else {
            this.adapterFactory = InMemoryAdapter::new;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SocketIoOptions defaults() {
        return builder().build();
    }

    public EngineOptions engine() {
        return engine;
    }

    /** A connection that joins no namespace within this time is closed. */
    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public AdapterFactory adapterFactory() {
        return adapterFactory;
    }

    /** Connection state recovery settings, or {@code null} when off (the default). */
    public RecoveryOptions recovery() {
        return recovery;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Most binary attachments one packet may announce. */
    public int maxAttachments() {
        return maxAttachments;
    }

    public static final class Builder {
        private EngineOptions engine = EngineOptions.builder().path("/socket.io/").build();
        private long connectTimeoutMillis = 45_000;
        private AdapterFactory adapterFactory;
        private RecoveryOptions recovery;
        private ObjectMapper mapper = new ObjectMapper();
        private int maxAttachments = 10;

        private Builder() {
        }

        /** Engine.IO settings; the path defaults to {@code /socket.io/}. */
        public Builder engine(EngineOptions engine) {
            this.engine = Objects.requireNonNull(engine);
            return this;
        }

        public Builder connectTimeoutMillis(long millis) {
            this.connectTimeoutMillis = millis;
            return this;
        }

        /** The cluster adapter; default in-memory (session-aware when recovery is on). */
        public Builder adapter(AdapterFactory factory) {
            this.adapterFactory = factory;
            return this;
        }

        public Builder recovery(RecoveryOptions recovery) {
            this.recovery = recovery;
            return this;
        }

        /** The Jackson mapper for event arguments (register your modules on it). */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper);
            return this;
        }

        public Builder maxAttachments(int maxAttachments) {
            this.maxAttachments = maxAttachments;
            return this;
        }

        public SocketIoOptions build() {
            return new SocketIoOptions(this);
        }
    }
}
