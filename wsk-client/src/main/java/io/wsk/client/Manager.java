package io.wsk.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.PacketParseException;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketDecoder;
import io.wsk.protocol.SocketPacketEncoder;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection to a server, shared by the {@link ClientSocket}s of every namespace on it, and
 * its reconnection: the JS client's {@code Manager}, state machine and timings included
 * ({@code reconnectionDelay}, {@code reconnectionDelayMax}, {@code randomizationFactor} through
 * {@link Backoff}).
 *
 * <p>Threads: all state lives on the client's I/O thread ({@code wsk-client-io-N}); public methods
 * may be called from any thread and hand their work to it. Listeners run on the listener thread
 * ({@code wsk-client-events-N}, or the executor of {@link ClientOptions.Builder#listenerExecutor}),
 * one at a time, in the order things happened. {@link #close()} ends every socket, the connection,
 * and both threads.
 */
public final class Manager implements AutoCloseable {

    private enum State { CLOSED, OPENING, OPEN }

    final ClientOptions options;
    final ObjectMapper mapper;
    final SocketPacketEncoder encoder;
    private final ClientThreads threads;
    private final TransportContext context;
    private final Backoff backoff;
    private final Map<String, ClientSocket> sockets = new ConcurrentHashMap<>();
    private final List<ManagerListener> listeners = new CopyOnWriteArrayList<>();

    // I/O thread state
    private State state = State.CLOSED;
    private EngineConnection engine;
    private SocketPacketDecoder decoder;
    private boolean reconnecting;
    private boolean skipReconnect;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> openTimer;
    private volatile boolean closed;

    /**
     * One mapper for every manager made without one: a mapper's caches are tens of KB once it has
     * (de)serialized a few types, too much to hold once per connection. ObjectMapper is thread-safe.
     */
    private static final ObjectMapper SHARED_MAPPER = new ObjectMapper();

    public Manager(URI uri, ClientOptions options) {
        this(uri, options, SHARED_MAPPER);
    }

    public Manager(URI uri, ClientOptions options, ObjectMapper mapper) {
        this.options = options;
        this.mapper = mapper;
        this.encoder = new SocketPacketEncoder(mapper);
        ServerAddress address = new ServerAddress(uri, options);
        SslContext ssl = address.secure() ? sslContext(options) : null;
        this.threads = new ClientThreads(options.listenerExecutor(), options.resources());
        this.context = new TransportContext(threads.loop(), threads.channelType(), address, options, mapper, ssl);
        this.backoff = new Backoff(options.reconnectionDelay(), options.reconnectionDelayMax(), options.randomizationFactor());
    }

    private static SslContext sslContext(ClientOptions options) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (options.trustManager() != null) {
                builder.trustManager(options.trustManager());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The socket of namespace {@code nsp} (one per namespace), not connected yet: add listeners, then connect. */
    public ClientSocket socket(String nsp) {
        if (closed) {
            throw new IllegalStateException("manager closed");
        }
        String name = nsp == null || nsp.isEmpty() ? "/" : nsp.startsWith("/") ? nsp : "/" + nsp;
        return sockets.computeIfAbsent(name, n -> new ClientSocket(this, n));
    }

    public Manager addListener(ManagerListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The transport in use now ({@code polling} or {@code websocket}), or null when not connected. */
    public String transport() {
        EngineConnection e = engine;
        return e == null || !e.isOpen() ? null : e.transportName();
    }

    /** Ends every socket (telling the server), the connection, reconnection, and the client's threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Runnable end = () -> {
            skipReconnect = true;
            reconnecting = false;
            cancel(reconnectTimer);
            sockets.values().forEach(ClientSocket::closeFromManager);
            onClose("io client disconnect", null, true);
        };
        if (loop().inEventLoop()) {
            end.run(); // called from the I/O thread itself (an auth supplier, say): it cannot wait for itself
        } else {
            try {
                loop().submit(end).awaitUninterruptibly(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // already shutting down
            }
        }
        threads.shutdown();
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- package API, I/O thread unless said otherwise ----

    EventLoop loop() {
        return threads.loop();
    }

    /** Runs {@code task} on the I/O thread (now, when already there); ignored once closed. */
    void execute(Runnable task) {
        if (loop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    void dispatch(Runnable listenerCall) {
        threads.dispatch(listenerCall);
    }

    /** Completes a future on the listener thread, or at once when the client is closed. */
    void complete(Runnable completion) {
        threads.dispatchOrRun(completion);
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    boolean isReconnecting() {
        return reconnecting;
    }

    /** For tests: whether a volatile emit would go out now (asked on the I/O thread). */
    boolean transportWritableForTests() {
        return loop().submit(this::transportWritable).syncUninterruptibly().getNow();
    }

    boolean transportWritable() {
        return engine != null && engine.writable();
    }

    /** Opens the connection unless it is open or opening; {@code done} gets null or the failure. */
    void open(Consumer<Throwable> done) {
        if (state != State.CLOSED || closed) {
            return;
        }
        skipReconnect = false;
        state = State.OPENING;
        EngineEvents events = new EngineEvents(done);
        EngineConnection connection = new EngineConnection(context, events);
        events.connection = connection;
        engine = connection;
        if (options.timeout() > 0) {
            openTimer = loop().schedule(() -> {
                if (engine == connection && state == State.OPENING) {
                    openFailed(connection, done, new TransportException("timeout: no handshake within "
                            + options.timeout() + " ms"));
                }
            }, options.timeout(), TimeUnit.MILLISECONDS);
        }
        connection.open();
    }

    /** Sends one packet over the connection, if it is open. */
    void send(SocketPacket packet) {
        if (state != State.OPEN) {
            return;
        }
        EncodedPacket encoded = encoder.encode(packet, TransportContext.ALLOC);
        engine.send(encoded.frames());
    }

    /** A socket was destroyed: when no socket is active any more, the connection is closed (JS {@code _destroy}). */
    void socketDestroyed() {
        for (ClientSocket socket : sockets.values()) {
            if (socket.active()) {
                return;
            }
        }
        skipReconnect = true;
        reconnecting = false;
        cancel(reconnectTimer);
        onClose("forced close", null, true);
    }

    private void openFailed(EngineConnection connection, Consumer<Throwable> done, Throwable error) {
        cancel(openTimer);
        state = State.CLOSED;
        engine = null;
        connection.close();
        emit(l -> l.onError(error));
        sockets.values().forEach(s -> s.onManagerError(error));
        if (done != null) {
            done.accept(error);
        } else if (!reconnecting && options.reconnection() && backoff.attempts() == 0) {
            reconnect(); // the first connection failed: retry it, as the JS client does
        }
    }

    private void onClose(String reason, Throwable cause, boolean polite) {
        cancel(openTimer);
        EngineConnection connection = engine;
        engine = null;
        decoder = null;
        if (connection != null) {
            connection.close();
        }
        State was = state;
        state = State.CLOSED;
        backoff.reset();
        if (was == State.OPEN) {
            emit(l -> l.onClose(reason));
            sockets.values().forEach(s -> s.onManagerClose(reason));
        }
        if (options.reconnection() && !skipReconnect && !closed) {
            reconnect();
        }
    }

    private void reconnect() {
        if (reconnecting || skipReconnect || closed) {
            return;
        }
        if (backoff.attempts() >= options.reconnectionAttempts()) {
            backoff.reset();
            reconnecting = false;
            emit(ManagerListener::onReconnectFailed);
            return;
        }
        long delay = backoff.duration();
        reconnecting = true;
        reconnectTimer = loop().schedule(() -> {
            if (skipReconnect || closed) {
                return;
            }
            int attempt = backoff.attempts();
            emit(l -> l.onReconnectAttempt(attempt));
            if (skipReconnect) {
                return;
            }
            open(error -> {
                if (error != null) {
                    reconnecting = false;
                    reconnect();
                    emit(l -> l.onReconnectError(error));
                } else {
                    int done = backoff.attempts();
                    reconnecting = false;
                    backoff.reset();
                    emit(l -> l.onReconnect(done));
                }
            });
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void emit(Consumer<ManagerListener> call) {
        for (ManagerListener l : listeners) {
            dispatch(() -> call.accept(l));
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The Engine.IO session's events, for the connection it was made for (later ones are ignored). */
    private final class EngineEvents implements EngineConnection.Listener {
        private final Consumer<Throwable> done;
        private EngineConnection connection;

        EngineEvents(Consumer<Throwable> done) {
            this.done = done;
        }

        private boolean current() {
            return connection != null && connection == engine;
        }

        @Override
        public void onOpen(EngineHandshake handshake) {
            if (!current()) {
                return;
            }
            cancel(openTimer);
            state = State.OPEN;
            decoder = new SocketPacketDecoder(mapper, SocketPacketDecoder.DEFAULT_MAX_ATTACHMENTS);
            emit(ManagerListener::onOpen);
            if (done != null) {
                done.accept(null);
            }
            sockets.values().forEach(ClientSocket::onManagerOpen);
        }

        @Override
        public void onMessage(ByteBuf data, boolean binary) {
            if (!current() || decoder == null) {
                return;
            }
            SocketPacket packet;
            try {
                packet = binary ? decoder.decodeBinary(data) : decoder.decodeText(data);
            } catch (PacketParseException e) {
                Manager.this.onClose("parse error", e, false);
                return;
            }
            if (packet == null) {
                return; // a binary packet's header: its attachments come next
            }
            ClientSocket socket = sockets.get(packet.nsp());
            if (socket != null) {
                socket.onPacket(packet);
            }
        }

        @Override
        public void onUpgrade(String transport) {
            if (current()) {
                emit(l -> l.onUpgrade(transport));
            }
        }

        @Override
        public void onClose(String reason, Throwable cause) {
            if (!current()) {
                return;
            }
            if (state == State.OPENING) {
                openFailed(connection, done, cause != null ? cause : new TransportException(reason));
            } else {
                Manager.this.onClose(reason, cause, false);
            }
        }
    }
}
