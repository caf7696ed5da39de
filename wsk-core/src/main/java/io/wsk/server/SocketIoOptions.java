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
    private final int maxEventRate;
    private final int eventBurst;
    private final int maxRoomsPerSocket;
    private final int maxRoomNameLength;
    private final long attachmentTimeoutMillis;
    private final long maxAttachmentBytes;
    private final boolean cleanupEmptyChildNamespaces;

    public static final int DEFAULT_MAX_EVENT_RATE = 1_000;
    public static final int DEFAULT_EVENT_BURST = 2_000;
    public static final int DEFAULT_MAX_ROOMS_PER_SOCKET = 1_000;
    public static final int DEFAULT_MAX_ROOM_NAME_LENGTH = 256;
    public static final long DEFAULT_ATTACHMENT_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 64L * 1024 * 1024;

    private SocketIoOptions(Builder b) {
        this.engine = b.engine;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.recovery = b.recovery;
        this.mapper = b.mapper;
        this.maxAttachments = b.maxAttachments;
        this.maxEventRate = atLeast(0, b.maxEventRate, "maxEventRate");
        this.eventBurst = atLeast(1, b.eventBurst, "eventBurst");
        this.maxRoomsPerSocket = atLeast(1, b.maxRoomsPerSocket, "maxRoomsPerSocket");
        this.maxRoomNameLength = atLeast(1, b.maxRoomNameLength, "maxRoomNameLength");
        this.attachmentTimeoutMillis = atLeast(1, b.attachmentTimeoutMillis, "attachmentTimeout");
        this.maxAttachmentBytes = atLeast(1, b.maxAttachmentBytes, "maxAttachmentBytes");
        this.cleanupEmptyChildNamespaces = b.cleanupEmptyChildNamespaces;
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

    /**
     * Events (and namespace CONNECTs) one connection may send per second, on average; 0 for no
     * limit. Past it, with {@link #eventBurst()} spent, events are dropped (counted, logged once
     * per interval); a connection that goes on past its limit for another burst is disconnected
     * ({@code io server disconnect} on the client, which then does not reconnect by itself).
     * The reference server has no such limit; default 1,000 per second.
     */
    public int maxEventRate() {
        return maxEventRate;
    }

    /** How many events above the rate a connection may send at once; default 2,000. */
    public int eventBurst() {
        return eventBurst;
    }

    /** Rooms one socket may be in besides its own; further joins are refused. Default 1,000. */
    public int maxRoomsPerSocket() {
        return maxRoomsPerSocket;
    }

    /** The longest room name, in chars; longer names are refused. Default 256. */
    public int maxRoomNameLength() {
        return maxRoomNameLength;
    }

    /**
     * How long the binary attachments of a packet may take to arrive after its header; a
     * connection that leaves a packet unfinished longer is closed. Default 30 s.
     */
    public long attachmentTimeoutMillis() {
        return attachmentTimeoutMillis;
    }

    /**
     * The most bytes of unfinished binary packets the whole node holds; a connection whose
     * attachment would go past it is closed. Default 64 MiB.
     */
    public long maxAttachmentBytes() {
        return maxAttachmentBytes;
    }

    /**
     * Whether a child of a dynamic namespace is removed (its adapter closed, Redis subscriptions
     * with it) once its last socket leaves. Default true; the reference's
     * {@code cleanupEmptyChildNamespaces} defaults to false.
     */
    public boolean cleanupEmptyChildNamespaces() {
        return cleanupEmptyChildNamespaces;
    }

    private static int atLeast(int min, int value, String name) {
        return (int) atLeast(min, (long) value, name);
    }

    private static long atLeast(long min, long value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    public static final class Builder {
        private EngineOptions engine = EngineOptions.builder().path("/socket.io/").build();
        private long connectTimeoutMillis = 45_000;
        private AdapterFactory adapterFactory;
        private RecoveryOptions recovery;
        private ObjectMapper mapper = new ObjectMapper();
        private int maxAttachments = 10;
        private int maxEventRate = DEFAULT_MAX_EVENT_RATE;
        private int eventBurst = DEFAULT_EVENT_BURST;
        private int maxRoomsPerSocket = DEFAULT_MAX_ROOMS_PER_SOCKET;
        private int maxRoomNameLength = DEFAULT_MAX_ROOM_NAME_LENGTH;
        private long attachmentTimeoutMillis = DEFAULT_ATTACHMENT_TIMEOUT_MILLIS;
        private long maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;
        private boolean cleanupEmptyChildNamespaces = true;

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

        /** See {@link SocketIoOptions#maxEventRate()}; 0 turns the limit off. */
        public Builder maxEventRate(int eventsPerSecond) {
            this.maxEventRate = eventsPerSecond;
            return this;
        }

        public Builder eventBurst(int events) {
            this.eventBurst = events;
            return this;
        }

        public Builder maxRoomsPerSocket(int rooms) {
            this.maxRoomsPerSocket = rooms;
            return this;
        }

        public Builder maxRoomNameLength(int chars) {
            this.maxRoomNameLength = chars;
            return this;
        }

        public Builder attachmentTimeoutMillis(long millis) {
            this.attachmentTimeoutMillis = millis;
            return this;
        }

        public Builder maxAttachmentBytes(long bytes) {
            this.maxAttachmentBytes = bytes;
            return this;
        }

        public Builder cleanupEmptyChildNamespaces(boolean cleanup) {
            this.cleanupEmptyChildNamespaces = cleanup;
            return this;
        }

        public SocketIoOptions build() {
            return new SocketIoOptions(this);
        }
    }
}
