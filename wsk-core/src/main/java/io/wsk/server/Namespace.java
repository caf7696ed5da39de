package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.adapter.Adapter;
import io.wsk.adapter.AdapterNamespace;
import io.wsk.adapter.AdapterSocket;
import io.wsk.adapter.BroadcastFlags;
import io.wsk.adapter.ClusterStats;
import io.wsk.adapter.PersistedSession;
import io.wsk.adapter.RestoredSession;
import io.wsk.engine.SessionIdGenerator;
import io.wsk.protocol.ReservedEvents;
import io.wsk.protocol.SocketPacketEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A namespace ({@code /}, {@code /admin}, ...): its sockets, the handlers they share, its
 * adapter, and the broadcast entry points. Thread-safe.
 *
 * <pre>{@code
 * Namespace chat = io.of("/chat");
 * chat.use((socket, next) -> { if (socket.handshake().auth().has("token")) next.proceed(); else next.reject("no token"); });
 * chat.on("message", (socket, args, ack) -> chat.to("room1").emit("message", args.string(0)));
 * }</pre>
 */
public final class Namespace implements AdapterNamespace {

    private static final Logger log = LoggerFactory.getLogger(Namespace.class);

    private final String name;
    private final SocketIoServer server;
    private final NamespaceHandlers handlers;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    /** Ack ids come from one counter per namespace, shared by sockets and broadcasts (as in the reference). */
    private final AtomicLong ackIds = new AtomicLong();
    private final Adapter adapter;
    /** The dynamic namespace this is a child of, or {@code null} for a namespace made by {@code of(name)}. */
    private final ParentNamespace parent;
    /** CONNECTs being admitted (middlewares, recovery): an empty child is kept while any is. */
    private final AtomicInteger admissions = new AtomicInteger();
    /** Whether a later look at removing this namespace is scheduled; at most one at a time. */
    private final AtomicBoolean removalCheck = new AtomicBoolean();

    Namespace(String name, SocketIoServer server, NamespaceHandlers handlers) {
        this(name, server, handlers, null);
    }

    Namespace(String name, SocketIoServer server, NamespaceHandlers handlers, ParentNamespace parent) {
        this.name = name;
        this.server = server;
        this.handlers = handlers;
        this.parent = parent;
        this.adapter = server.options().adapterFactory().create(this);
        this.adapter.init();
    }

    @Override
    public String name() {
        return name;
    }

    public Adapter adapter() {
        return adapter;
    }

    /** This node's sockets, by id (a live, read-only view). */
    public Map<String, Socket> sockets() {
        return Collections.unmodifiableMap(sockets);
    }

    // ---- registration ----

    /** Adds a middleware that runs before each socket is admitted. */
    public Namespace use(Middleware middleware) {
        handlers.middlewares.add(middleware);
        return this;
    }

    public Namespace onConnection(ConnectionHandler handler) {
        handlers.connectionHandlers.add(handler);
        return this;
    }

    /** Handles {@code event} from every socket of this namespace. */
    public Namespace on(String event, EventHandler handler) {
        handlers.addEventHandler(event, handler);
        return this;
    }

    public Namespace onDisconnecting(DisconnectHandler handler) {
        handlers.disconnectingHandlers.add(handler);
        return this;
    }

    public Namespace onDisconnect(DisconnectHandler handler) {
        handlers.disconnectHandlers.add(handler);
        return this;
    }

    /** Handles {@code event} sent by other nodes with {@code serverSideEmit}. */
    public Namespace onServerSideEmit(String event, ServerSideEventHandler handler) {
        handlers.addServerSideHandler(event, handler);
        return this;
    }

    // ---- broadcasting ----

    public BroadcastOperator to(String... rooms) {
        return all().to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return all().except(rooms);
    }

    /** Only this node's sockets, not the rest of the cluster. */
    public BroadcastOperator local() {
        return all().local();
    }

    public BroadcastOperator asVolatile() {
        return all().asVolatile();
    }

    public BroadcastOperator compress(boolean compress) {
        return all().compress(compress);
    }

    public BroadcastOperator timeout(Duration timeout) {
        return all().timeout(timeout);
    }

    /** Sends an event to every socket of the namespace, on every node. */
    public void emit(String event, Object... args) {
        all().emit(event, args);
    }

    public CompletableFuture<List<EventArgs>> emitWithAck(String event, Object... args) {
        return all().emitWithAck(event, args);
    }

    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return all().fetchSockets();
    }

    public void socketsJoin(String... rooms) {
        all().socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        all().socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        all().disconnectSockets(close);
    }

    /** Sends {@code event} to this namespace on the other nodes (not to clients). */
    public void serverSideEmit(String event, Object... args) {
        checkServerSideEvent(event);
        adapter.serverSideEmit(eventData(event, args));
    }

    /** Like {@link #serverSideEmit}, collecting one reply per other node within {@code timeout}. */
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
        checkServerSideEvent(event);
        return adapter.serverSideEmitWithAck(eventData(event, args), timeout.toMillis());
    }

    private static void checkServerSideEvent(String event) {
        ReservedEvents.checkServerSideEvent(event);
    }

    private BroadcastOperator all() {
        return new BroadcastOperator(this, Set.of(), Set.of(), BroadcastFlags.NONE);
    }

    // ---- admission, on the client's loop ----

    void admit(Client client, JsonNode auth) {
        RecoveryOptions recovery = server.options().recovery();
        String pid = auth.path("pid").isTextual() ? auth.get("pid").textValue() : null;
        String offset = auth.path("offset").isTextual() ? auth.get("offset").textValue() : null;
        if (recovery != null && adapter.supportsRecovery() && pid != null && offset != null) {
            restore(client, auth, pid, offset, recovery);
            return;
        }
        admitNew(client, auth);
    }

    /** What the atomic part of a restore did: registered the socket, or left the restore to finish. */
    private record RestoreStep(Socket registered, CompletableFuture<RestoredSession> restoring) {
    }

    /**
     * A client asks for its session back. When the adapter restores at once (in memory) and
     * middlewares are skipped, the restore and the socket's registration are one step, taken while
     * the adapter holds its broadcasts back ({@link Adapter#atomically}): a packet broadcast at
     * that moment from another thread then reaches the client exactly once, among the missed
     * packets or live after them. Without that step it could land in between, logged after the
     * missed packets were read but before the socket could receive it, and be lost. Either way the
     * registration goes through {@link Adapter#completeRestore}, the adapter's own ordering step.
     * Connection handlers run afterwards, outside the adapter's lock.
     */
    private void restore(Client client, JsonNode auth, String pid, String offset, RecoveryOptions recovery) {
        RestoreStep step = adapter.atomically(() -> {
            CompletableFuture<RestoredSession> restoring = adapter.restoreSession(pid, offset);
            RestoredSession restored = restoring.isDone() && !restoring.isCompletedExceptionally()
                    ? restoring.join() : null;
            if (restored == null || !recovery.skipMiddlewares()) {
                return new RestoreStep(null, restoring);
            }
            // Through the adapter's own ordering step even here: a Redis answer can be in by now
            // too (this thread was descheduled, say), and its broadcasts since need that step.
            Socket socket = restoredSocket(client, auth, restored);
            Boolean registered = adapter.completeRestore(restored,
                    complete -> register(client, socket, complete.session().rooms(), complete.missedPackets()));
            if (registered == null) {
                return new RestoreStep(null, CompletableFuture.completedFuture(null)); // a new session, then
            }
            return new RestoreStep(registered ? socket : null, null);
        });
        if (step.registered() != null) {
            announce(step.registered());
        } else if (step.restoring() != null) {
            step.restoring().whenComplete((restored, error) -> client.runOnLoop(() -> {
                if (error != null) {
                    // Redis away, say: during a reconnection wave every client would log this
                    server.restoreFailures().record(name + ": " + error, error);
                }
                if (restored == null) {
                    admitNew(client, auth);
                } else {
                    admitRestored(client, auth, restored, recovery);
                }
            }));
        }
    }

    private void admitNew(Client client, JsonNode auth) {
        String pid = server.options().recovery() != null && adapter.supportsRecovery() ? SessionIdGenerator.next() : null;
        Socket socket = new Socket(this, client, SessionIdGenerator.next(), pid, auth, false, null);
        runMiddlewares(client, socket, 0, () -> accept(client, socket, Set.of(), List.of()));
    }

    /**
     * A restore the adapter answered later (from Redis): it completes it in its own delivery
     * order ({@link Adapter#completeRestore}), so that what was broadcast meanwhile reaches the
     * client once; if it cannot any more, the client gets a new session.
     */
    private void admitRestored(Client client, JsonNode auth, RestoredSession restored, RecoveryOptions recovery) {
        Socket socket = restoredSocket(client, auth, restored);
        Runnable accept = () -> {
            Boolean registered = adapter.completeRestore(restored,
                    complete -> register(client, socket, complete.session().rooms(), complete.missedPackets()));
            if (registered == null) {
                admitNew(client, auth);
            } else if (registered) {
                announce(socket);
            }
        };
        if (recovery.skipMiddlewares()) {
            accept.run();
        } else {
            runMiddlewares(client, socket, 0, accept);
        }
    }

    private Socket restoredSocket(Client client, JsonNode auth, RestoredSession restored) {
        PersistedSession session = restored.session();
        JsonNode data = session.data() == null || session.data().isNull() ? null : session.data();
        return new Socket(this, client, session.sid(), session.pid(), auth, true, data);
    }

    private void runMiddlewares(Client client, Socket socket, int index, Runnable admitted) {
        List<Middleware> chain = handlers.middlewares;
        if (index >= chain.size()) {
            admitted.run();
            return;
        }
        MiddlewareStep step = new MiddlewareStep(client, socket, index, admitted);
        try {
            chain.get(index).handle(socket, step);
        } catch (ConnectionRefusedException e) {
            step.reject(e.getMessage(), e.data());
        } catch (RuntimeException e) {
            log.warn("middleware failed on namespace {}", name, e);
            // A bug, not a decision: the client learns only that it was refused; the details
            // stay in the server's log rather than leaking internals to anyone who connects.
            step.reject("Internal error");
        }
    }

    /** One middleware's {@code next}: answered once, continued on the client's loop. */
    private final class MiddlewareStep implements Middleware.Next {
        private final Client client;
        private final Socket socket;
        private final int index;
        private final Runnable admitted;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        MiddlewareStep(Client client, Socket socket, int index, Runnable admitted) {
            this.client = client;
            this.socket = socket;
            this.index = index;
            this.admitted = admitted;
        }

        @Override
        public void proceed() {
            if (done.compareAndSet(false, true)) {
                client.runOnLoop(() -> runMiddlewares(client, socket, index + 1, admitted));
            }
        }

        @Override
        public void reject(String message) {
            reject(message, null);
        }

        @Override
        public void reject(String message, Object data) {
            if (done.compareAndSet(false, true)) {
                client.runOnLoop(() -> client.refuse(name, message, data));
            }
        }
    }

    private void accept(Client client, Socket socket, Set<String> rooms, List<ArrayNode> missed) {
        if (register(client, socket, rooms, missed)) {
            announce(socket);
        }
    }

    /** Makes the socket a target and sends its missed packets and CONNECT; false if the connection is gone. */
    private boolean register(Client client, Socket socket, Set<String> rooms, List<ArrayNode> missed) {
        if (!client.session().isOpen()) {
            return false;
        }
        Socket previous = sockets.put(socket.id(), socket);
        if (previous != null && previous != socket) {
            // A session restored while its old socket still lived here (the client came back on a
            // new connection first): that connection is stale, and closed.
            log.debug("socket {} restored on a new connection: closing the old one", socket.id());
            previous.disconnect(true);
        }
        client.admitted(socket);
        server.stats().connected(socket.recovered());
        socket.onConnect(rooms, missed);
        if (socket.pid() != null) {
            adapter.sessionStarted(socket);
        }
        return true;
    }

    /** Tells the connection handlers. */
    private void announce(Socket socket) {
        for (ConnectionHandler handler : handlers.connectionHandlers) {
            try {
                handler.onConnection(socket);
            } catch (RuntimeException e) {
                log.warn("connection handler failed on namespace {}", name, e);
            }
        }
    }

    void remove(Socket socket) {
        sockets.remove(socket.id(), socket);
        if (parent != null && sockets.isEmpty()) {
            server.removeIfIdle(this);
        }
    }

    // ---- the life of a dynamic child ----

    /**
     * What this namespace is counted under in metrics: its name, or for a child of a dynamic
     * namespace its parent's {@linkplain ParentNamespace#label() label}, so that per-tenant
     * namespaces do not each get a series.
     */
    public String metricsLabel() {
        return parent == null ? name : parent.label();
    }

    boolean isChild() {
        return parent != null;
    }

    /**
     * The dynamic namespace this is a child of, or {@code null}. A child shares its parent's
     * middlewares and handlers: what is registered on one child is registered on all of them.
     */
    public ParentNamespace parent() {
        return parent;
    }

    /** Called by the server as it hands this namespace a CONNECT (see {@code resolveNamespace}). */
    void admissionStarted() {
        admissions.incrementAndGet();
    }

    /** A CONNECT was admitted or refused, or its client went away first. */
    void admissionEnded() {
        if (admissions.decrementAndGet() == 0 && parent != null && sockets.isEmpty()) {
            server.removeIfIdle(this);
        }
    }

    boolean claimRemovalCheck() {
        return removalCheck.compareAndSet(false, true);
    }

    void releaseRemovalCheck() {
        removalCheck.set(false);
    }

    /** No socket, none being admitted, no session kept for a client that may come back. */
    boolean isIdle() {
        return isIdleButForSessions() && !adapter.hasPersistedSessions();
    }

    boolean isIdleButForSessions() {
        return sockets.isEmpty() && admissions.get() == 0;
    }

    // ---- shared with sockets ----

    List<EventHandler> handlers(String event) {
        return handlers.eventHandlers.get(event);
    }

    List<DisconnectHandler> disconnectingHandlers() {
        return handlers.disconnectingHandlers;
    }

    List<DisconnectHandler> disconnectHandlers() {
        return handlers.disconnectHandlers;
    }

    long nextAckId() {
        return ackIds.getAndIncrement();
    }

    ObjectMapper mapper() {
        return server.mapper();
    }

    SocketIoServer server() {
        return server;
    }

    /** {@code [event, ...args]}, refusing reserved event names. */
    ArrayNode eventData(String event, Object[] args) {
        ReservedEvents.checkEvent(event);
        ArrayNode data = server.mapper().createArrayNode();
        data.add(event);
        for (Object arg : args) {
            data.add(toNode(arg));
        }
        return data;
    }

    /** {@code [...args]} for an ack. */
    ArrayNode argsData(Object[] args) {
        ArrayNode data = server.mapper().createArrayNode();
        for (Object arg : args) {
            data.add(toNode(arg));
        }
        return data;
    }

    private JsonNode toNode(Object value) {
        return value instanceof JsonNode node ? node : server.mapper().valueToTree(value);
    }

    // ---- AdapterNamespace ----

    @Override
    public AdapterSocket localSocket(String id) {
        return sockets.get(id);
    }

    @Override
    public Collection<? extends AdapterSocket> localSockets() {
        return sockets.values();
    }

    @Override
    public SocketPacketEncoder encoder() {
        return server.encoder();
    }

    @Override
    public ClusterStats clusterStats() {
        return server.clusterStats();
    }

    @Override
    public long recoveryWindowMillis() {
        RecoveryOptions recovery = server.options().recovery();
        return recovery == null || !adapter.supportsRecovery() ? 0 : recovery.maxDisconnection().toMillis();
    }

    @Override
    public void receiveServerSideEmit(ArrayNode packet, Consumer<JsonNode> ack) {
        if (packet.isEmpty()) {
            return;
        }
        ArrayNode args = packet.deepCopy();
        String event = args.remove(0).asText();
        List<ServerSideEventHandler> list = handlers.serverSideHandlers.get(event);
        if (list == null) {
            return;
        }
        EventArgs eventArgs = new EventArgs(args, mapper());
        Consumer<Object> reply = ack == null ? value -> { } : value -> ack.accept(toNode(value));
        for (ServerSideEventHandler handler : list) {
            try {
                handler.handle(eventArgs, reply);
            } catch (RuntimeException e) {
                log.warn("server-side handler for '{}' failed on namespace {}", event, name, e);
            }
        }
    }

    void close() {
        adapter.close();
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }
}
