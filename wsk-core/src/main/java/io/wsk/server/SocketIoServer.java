package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsk.adapter.ClusterStats;
import io.wsk.engine.Engine;
import io.wsk.http.HttpServer;
import io.netty.util.concurrent.FastThreadLocal;
import io.wsk.limits.BreachLog;
import io.wsk.protocol.SocketPacketDecoder;
import io.wsk.protocol.SocketPacketEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);

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
    /** Bytes held by unfinished binary packets, every connection's together. */
    private final AtomicLong attachmentBytes = new AtomicLong();
    private final ServerStats stats = new ServerStats(this);
    private final ClusterStats clusterStats = new ClusterStats();
    private final BreachLog droppedEvents = new BreachLog(log, "events dropped (max event rate reached)");
    private final BreachLog rateLimitedClients = new BreachLog(log, "connections disconnected for flooding events");
    private final BreachLog refusedJoins = new BreachLog(log, "room joins refused (max rooms per socket or room name length)");
    private final BreachLog restoreFailures = new BreachLog(log, "session restores failed (the client got a new session)");
    private final BreachLog attachmentTimeouts = new BreachLog(log, "connections closed: binary attachments overdue");
    private final BreachLog attachmentBudgetBreaches = new BreachLog(log,
            "connections closed: the node's budget for unfinished binary packets is spent");

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
        if (options.recovery() != null && !main.adapter().supportsRecovery()) {
            // Not silently: a client would reconnect expecting its session and get a new one.
            log.warn("connection state recovery is on, but the adapter ({}) cannot restore sessions: recovery is off."
                    + " Use the in-memory adapter (one node) or the Redis Streams adapter (a cluster)",
                    main.adapter().getClass().getSimpleName());
        }
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

    /** What this server has done since it started, for metrics; see also {@link Engine#stats()}. */
    public ServerStats stats() {
        return stats;
    }

    /** What this server's cluster adapters asked the other nodes, and the answers that did not come. */
    public ClusterStats clusterStats() {
        return clusterStats;
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
        return addParent((name, auth) -> pattern.matcher(name).matches(), pattern.pattern());
    }

    public ParentNamespace of(NamespaceMatcher matcher) {
        return addParent(matcher, null);
    }

    private synchronized ParentNamespace addParent(NamespaceMatcher matcher, String label) {
        ParentNamespace parent = new ParentNamespace(matcher, label != null ? label : "dynamic-" + (parents.size() + 1));
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

    /**
     * The namespace a CONNECT names: an existing one, else a new child of the first parent that
     * accepts it; {@code null} for neither. The admission it starts is counted there in the same
     * step, so an empty child is never removed while a socket is on its way in.
     */
    Namespace resolveNamespace(String name, JsonNode auth) {
        return namespaces.compute(name, (n, existing) -> {
            Namespace nsp = existing != null ? existing : newChild(n, auth);
            if (nsp != null) {
                nsp.admissionStarted();
            }
            return nsp;
        });
    }

    private Namespace newChild(String name, JsonNode auth) {
        for (ParentNamespace parent : parents) {
            if (parent.matches(name, auth)) {
                return newNamespace(parent.createChild(name, this));
            }
        }
        return null;
    }

    /**
     * Removes a child namespace that has no socket, none on its way in and no session kept for
     * recovery, and closes its adapter (and so its Redis subscriptions): per-tenant namespaces
     * would otherwise pile up for as long as the process runs. Sessions kept for recovery hold a
     * namespace until the recovery window has passed; it is looked at again then.
     */
    void removeIfIdle(Namespace nsp) {
        if (!nsp.isChild() || !options.cleanupEmptyChildNamespaces()) {
            return;
        }
        boolean[] removed = {false};
        namespaces.computeIfPresent(nsp.name(), (n, current) -> {
            if (current == nsp && nsp.isIdle()) {
                // Closed under the map's lock: a CONNECT for the same name waits, and the new
                // namespace's adapter subscribes after this one has let go (or it would deafen it).
                nsp.close();
                removed[0] = true;
                return null;
            }
            return current;
        });
        if (removed[0]) {
            nsp.parent().removeChild(nsp);
            log.debug("removed empty namespace {}", nsp.name());
        } else if (namespaces.get(nsp.name()) == nsp && nsp.isIdleButForSessions() && options.recovery() != null
                && nsp.claimRemovalCheck()) {
            // Only sessions kept for recovery hold it: look again once they have expired (one check at a time).
            scheduler.schedule(() -> {
                nsp.releaseRemovalCheck();
                removeIfIdle(nsp);
            }, options.recovery().maxDisconnection().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        }
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

    AtomicLong attachmentBytes() {
        return attachmentBytes;
    }

    /** Events dropped because a connection was past its event rate. */
    public BreachLog droppedEvents() {
        return droppedEvents;
    }

    /** Connections disconnected because they kept on past their event rate. */
    public BreachLog rateLimitedClients() {
        return rateLimitedClients;
    }

    /** Joins refused: too many rooms for one socket, or a room name too long. */
    public BreachLog refusedJoins() {
        return refusedJoins;
    }

    /** Restores that failed (the adapter could not answer), each client given a new session. */
    public BreachLog restoreFailures() {
        return restoreFailures;
    }

    /** Connections closed because a binary packet's attachments were overdue. */
    public BreachLog attachmentTimeouts() {
        return attachmentTimeouts;
    }

    /** Connections closed because the node's budget for unfinished binary packets was spent. */
    public BreachLog attachmentBudgetBreaches() {
        return attachmentBudgetBreaches;
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
