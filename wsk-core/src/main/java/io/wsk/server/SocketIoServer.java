package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsk.engine.Engine;
import io.wsk.http.HttpServer;
import io.netty.util.concurrent.FastThreadLocal;
import io.wsk.protocol.SocketPacketDecoder;
import io.wsk.protocol.SocketPacketEncoder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Socket.IO v4 server (Socket.IO protocol v5 over Engine.IO v4). Mount it on an
 * {@link HttpServer}, then work with namespaces:
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(SocketIoOptions.defaults());
 * io.on("chat", (socket, args, ack) -> io.emit("chat", args.string(0)));
 * HttpServer http = io.mount(HttpServer.builder().port(3000)).start();
 * }</pre>
 *
 * The methods that are not about namespaces ({@code use}, {@code on}, {@code emit},
 * {@code to}, ...) act on the main namespace {@code /}, as in the reference API.
 */
public final class SocketIoServer {

    private final SocketIoOptions options;
    private final ObjectMapper mapper;
    private final SocketPacketEncoder encoder;
    /** Never decodes: the settings each decoder is made from. */
    private final SocketPacketDecoder decoderSettings;
    private final FastThreadLocal<SocketPacketDecoder> threadDecoders = new FastThreadLocal<>() {
        @Override
        protected SocketPacketDecoder initialValue() {
            return new SocketPacketDecoder(decoderSettings);
        }
    };
    private final Engine engine;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
    private final List<Consumer<Namespace>> newNamespaceListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Namespace main;

    private SocketIoServer(SocketIoOptions options) {
        this.options = options;
        this.mapper = options.mapper();
        this.encoder = new SocketPacketEncoder(mapper);
        this.decoderSettings = new SocketPacketDecoder(mapper, options.maxAttachments());
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "wsk-timers");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = Executors.unconfigurableScheduledExecutorService(timers);
        this.engine = new Engine(options.engine(), session -> session.setListener(new Client(this, session)));
        this.main = of("/");
    }

    public static SocketIoServer create(SocketIoOptions options) {
        return new SocketIoServer(options);
    }

    public static SocketIoServer create() {
        return create(SocketIoOptions.defaults());
    }

    public SocketIoOptions options() {
        return options;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Engine engine() {
        return engine;
    }

    /** Mounts the Engine.IO endpoint on {@code http} and returns it, for chaining. */
    public HttpServer.Builder mount(HttpServer.Builder http) {
        return engine.mountOn(http);
    }

    /** Closes every connection (clients see a transport close and reconnect) and the adapters. */
    public void close() {
        engine.close();
        namespaces.values().forEach(Namespace::close);
        scheduler.shutdownNow();
    }

    // ---- namespaces ----

    /** The namespace {@code name}, created on first use. */
    public Namespace of(String name) {
        String normalised = name.startsWith("/") ? name : "/" + name;
        return namespaces.computeIfAbsent(normalised, n -> newNamespace(new Namespace(n, this, new NamespaceHandlers())));
    }

    /** A dynamic namespace: every name {@code pattern} matches is created on first connection. */
    public ParentNamespace of(Pattern pattern) {
        return of((name, auth) -> pattern.matcher(name).matches());
    }

    public ParentNamespace of(NamespaceMatcher matcher) {
        ParentNamespace parent = new ParentNamespace(matcher);
        parents.add(parent);
        return parent;
    }

    /** Told of each namespace created (static or dynamic child). */
    public SocketIoServer onNewNamespace(Consumer<Namespace> listener) {
        newNamespaceListeners.add(listener);
        return this;
    }

    /** The namespaces that exist now. */
    public Map<String, Namespace> namespaces() {
        return Map.copyOf(namespaces);
    }

    /** The namespace a CONNECT names: an existing one, else a new child of the first parent that accepts it. */
    Namespace resolveNamespace(String name, JsonNode auth) {
        Namespace existing = namespaces.get(name);
        if (existing != null) {
            return existing;
        }
        for (ParentNamespace parent : parents) {
            if (parent.matches(name, auth)) {
                return namespaces.computeIfAbsent(name, n -> newNamespace(parent.createChild(n, this)));
            }
        }
        return null;
    }

    private Namespace newNamespace(Namespace nsp) {
        for (Consumer<Namespace> listener : newNamespaceListeners) {
            listener.accept(nsp);
        }
        return nsp;
    }

    SocketPacketEncoder encoder() {
        return encoder;
    }

    /**
     * The calling thread's decoder, for clients between binary packets: a decoder keeps state only
     * from the header of a binary packet to its last attachment, so idle clients need none of
     * their own. A client that starts a binary packet with it keeps it ({@link #keepThreadDecoder}).
     */
    SocketPacketDecoder threadDecoder() {
        return threadDecoders.get();
    }

    /** The thread's decoder now belongs to a client, which awaits attachments; the thread gets a new one. */
    void keepThreadDecoder() {
        threadDecoders.remove();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    // ---- the main namespace ----

    public Namespace sockets() {
        return main;
    }

    public SocketIoServer use(Middleware middleware) {
        main.use(middleware);
        return this;
    }

    public SocketIoServer onConnection(ConnectionHandler handler) {
        main.onConnection(handler);
        return this;
    }

    public SocketIoServer on(String event, EventHandler handler) {
        main.on(event, handler);
        return this;
    }

    public SocketIoServer onDisconnect(DisconnectHandler handler) {
        main.onDisconnect(handler);
        return this;
    }

    public BroadcastOperator to(String... rooms) {
        return main.to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return main.in(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return main.except(rooms);
    }

    public BroadcastOperator local() {
        return main.local();
    }

    public BroadcastOperator asVolatile() {
        return main.asVolatile();
    }

    public BroadcastOperator timeout(Duration timeout) {
        return main.timeout(timeout);
    }

    public void emit(String event, Object... args) {
        main.emit(event, args);
    }

    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return main.fetchSockets();
    }

    public void socketsJoin(String... rooms) {
        main.socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        main.socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        main.disconnectSockets(close);
    }

    public void serverSideEmit(String event, Object... args) {
        main.serverSideEmit(event, args);
    }

    public SocketIoServer onServerSideEmit(String event, ServerSideEventHandler handler) {
        main.onServerSideEmit(event, handler);
        return this;
    }
}
