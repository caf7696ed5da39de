package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.wsk.adapter.AdapterSocket;
import io.wsk.adapter.BroadcastFlags;
import io.wsk.adapter.BroadcastOptions;
import io.wsk.adapter.PersistedSession;
import io.wsk.adapter.SocketDetails;
import io.wsk.engine.EngineSession;
import io.wsk.engine.Handshake;
import io.wsk.engine.TransportName;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client's connection to one namespace.
 *
 * <p><b>Threading.</b> A socket lives on the event loop of its Engine.IO session, and every
 * handler it calls runs there. {@code emit}, {@code emitWithAck}, {@code join}, {@code leave},
 * {@code disconnect} and {@code data} may be called from any thread. Register per-socket handlers
 * ({@code on}, {@code onAny}, {@code onDisconnect}) from the connection handler or otherwise on the
 * socket's loop; for handlers every socket shares, prefer the namespace's, which cost nothing per
 * socket.
 */
public final class Socket implements AdapterSocket {

    private static final Logger log = LoggerFactory.getLogger(Socket.class);

    private final Namespace nsp;
    private final Client client;
    private final String id;
    private final String pid;
    /**
     * The CONNECT payload; {@code null} while it is an empty object nobody has asked for. Most
     * clients send no payload, and an empty object node with its map is 80 bytes per socket.
     */
    private volatile JsonNode auth;
    private final boolean recovered;
    private volatile Object data;
    private volatile boolean connected;

    /** Per-socket listeners; created on first use, touched on the socket's loop only. */
    SocketListeners listeners;
    private Map<Long, Consumer<JsonNode>> pendingAcks;

    Socket(Namespace nsp, Client client, String id, String pid, JsonNode auth, boolean recovered, Object data) {
        this.nsp = nsp;
        this.client = client;
        this.id = id;
        this.pid = pid;
        this.auth = auth.isObject() && auth.isEmpty() ? null : auth;
        this.recovered = recovered;
        this.data = data;
    }

    // ---- identity and state ----

    @Override
    public String id() {
        return id;
    }

    public Namespace namespace() {
        return nsp;
    }

    /**
     * What the client sent when it connected. A view over the socket, made on each call: the
     * socket itself keeps only the auth payload, the request being its session's.
     */
    public SocketHandshake handshake() {
        return new SocketHandshake(this);
    }

    /** The HTTP request that opened the socket's Engine.IO session. */
    Handshake request() {
        return client.session().handshake();
    }

    /** The CONNECT payload; an empty object when the client sent none (the same object on every call). */
    JsonNode auth() {
        JsonNode value = auth;
        if (value == null) {
            synchronized (this) {
                value = auth;
                if (value == null) {
                    value = nsp.mapper().createObjectNode();
                    auth = value;
                }
            }
        }
        return value;
    }

    /** Whether this socket took over a previous one's id, rooms and data (connection state recovery). */
    public boolean recovered() {
        return recovered;
    }

    public boolean connected() {
        return connected;
    }

    /** Application data attached to the socket ({@code socket.data}); shared across nodes as JSON. */
    public Object data() {
        return data;
    }

    /** Sets {@code socket.data}; with recovery on, the session saved for a restore follows. */
    public void setData(Object data) {
        this.data = data;
        if (pid != null && connected) {
            nsp.adapter().sessionChanged(this);
        }
    }

    /** The rooms the socket is in, its own id room included. */
    public Set<String> rooms() {
        return nsp.adapter().socketRooms(id);
    }

    /** The transport the client uses now. */
    public TransportName transport() {
        return client.session().transportName();
    }

    public EventLoop eventLoop() {
        return client.session().eventLoop();
    }

    /** The Engine.IO session under this socket (Node's {@code socket.conn}), shared by the client's namespaces. */
    public EngineSession conn() {
        return client.session();
    }

    /** The private id used for connection state recovery, or {@code null} when recovery is off. */
    @Override
    public String pid() {
        return pid;
    }

    @Override
    public JsonNode dataJson() {
        return dataAsJson();
    }

    // ---- listeners ----

    /** Handles {@code event} for this socket only. */
    public Socket on(String event, EventHandler handler) {
        SocketListeners l = listeners();
        if (l.handlers == null) {
            l.handlers = new HashMap<>(4);
        }
        l.handlers.computeIfAbsent(event, e -> new ArrayList<>(1)).add(handler);
        return this;
    }

    /** Sees every event this socket receives, before its handlers. */
    public Socket onAny(AnyEventListener listener) {
        SocketListeners l = listeners();
        l.any = SocketListeners.append(l.any, listener);
        return this;
    }

    /** Like {@link #onAny}, before the listeners registered so far. */
    public Socket prependAny(AnyEventListener listener) {
        SocketListeners l = listeners();
        l.any = SocketListeners.prepend(l.any, listener);
        return this;
    }

    /** Removes {@code listener} from {@link #onAny}'s listeners. */
    public Socket offAny(AnyEventListener listener) {
        SocketListeners l = listeners();
        l.any = SocketListeners.remove(l.any, listener);
        return this;
    }

    /** Removes every {@link #onAny} listener. */
    public Socket offAny() {
        listeners().any = null;
        return this;
    }

    /** The {@link #onAny} listeners, in the order they run. */
    public List<AnyEventListener> listenersAny() {
        return listeners == null ? List.of() : SocketListeners.copy(listeners.any);
    }

    /** Sees every event sent to this socket: its own emits and the broadcasts that reach it. */
    public Socket onAnyOutgoing(AnyEventListener listener) {
        SocketListeners l = listeners();
        l.anyOutgoing = SocketListeners.append(l.anyOutgoing, listener);
        return this;
    }

    /** Like {@link #onAnyOutgoing}, before the listeners registered so far. */
    public Socket prependAnyOutgoing(AnyEventListener listener) {
        SocketListeners l = listeners();
        l.anyOutgoing = SocketListeners.prepend(l.anyOutgoing, listener);
        return this;
    }

    /** Removes {@code listener} from {@link #onAnyOutgoing}'s listeners. */
    public Socket offAnyOutgoing(AnyEventListener listener) {
        SocketListeners l = listeners();
        l.anyOutgoing = SocketListeners.remove(l.anyOutgoing, listener);
        return this;
    }

    /** Removes every {@link #onAnyOutgoing} listener. */
    public Socket offAnyOutgoing() {
        listeners().anyOutgoing = null;
        return this;
    }

    /** The {@link #onAnyOutgoing} listeners, in the order they run. */
    public List<AnyEventListener> listenersAnyOutgoing() {
        return listeners == null ? List.of() : SocketListeners.copy(listeners.anyOutgoing);
    }

    /** Adds a middleware that sees each event this socket receives before its handlers (Node's {@code socket.use}). */
    public Socket use(PacketMiddleware middleware) {
        SocketListeners l = listeners();
        l.packetMiddlewares = SocketListeners.append(l.packetMiddlewares, middleware);
        if (l.packetChain == null) {
            l.packetChain = new PacketMiddlewareChain(this);
        }
        return this;
    }

    /** Told of the errors a {@link PacketMiddleware} refused a packet with. */
    public Socket onError(SocketErrorHandler handler) {
        SocketListeners l = listeners();
        l.errorHandlers = SocketListeners.append(l.errorHandlers, handler);
        return this;
    }

    /** Called when the socket is about to leave its rooms. */
    public Socket onDisconnecting(DisconnectHandler handler) {
        SocketListeners l = listeners();
        l.disconnecting = SocketListeners.append(l.disconnecting, handler);
        return this;
    }

    public Socket onDisconnect(DisconnectHandler handler) {
        SocketListeners l = listeners();
        l.disconnect = SocketListeners.append(l.disconnect, handler);
        return this;
    }

    private SocketListeners listeners() {
        if (listeners == null) {
            listeners = new SocketListeners();
        }
        return listeners;
    }

    // ---- sending ----

    /** Sends an event to this client. Arguments: any JSON-serializable values, byte[] for binary. */
    public void emit(String event, Object... args) {
        emit(BroadcastFlags.NONE, event, args);
    }

    /** Sends an event and completes with the client's ack arguments (no timeout: may never complete). */
    public CompletableFuture<EventArgs> emitWithAck(String event, Object... args) {
        return emitWithAck(BroadcastFlags.NONE, event, args);
    }

    /** Emits with a deadline for acks: {@code socket.timeout(Duration.ofSeconds(5)).emitWithAck(...)}. */
    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(this, BroadcastFlags.NONE.withTimeout(timeout.toMillis()));
    }

    /** Emits that are dropped when the client cannot take them right now. */
    public SocketEmitter asVolatile() {
        return new SocketEmitter(this, BroadcastFlags.NONE.withVolatile());
    }

    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(this, BroadcastFlags.NONE.withCompress(compress));
    }

    void emit(BroadcastFlags flags, String event, Object[] args) {
        ArrayNode packetData = nsp.eventData(event, args);
        SocketPacket packet = new SocketPacket(SocketPacketType.EVENT, nsp.name(), SocketPacket.NO_ID, packetData);
        if (nsp.adapter().supportsRecovery() && pid != null && !flags.volatileDelivery()) {
            // Through the adapter, so the packet gets an offset and is kept for recovery; the
            // adapter tells the outgoing listeners, offset included, as for any broadcast.
            nsp.adapter().broadcast(packet, new BroadcastOptions(Set.of(id), Set.of(), flags));
            return;
        }
        notifyOutgoing(packetData);
        EncodedPacket encoded = nsp.encoder().encode(packet, ByteBufAllocator.DEFAULT);
        try {
            deliver(encoded, flags.volatileDelivery());
        } finally {
            encoded.release();
        }
    }

    CompletableFuture<EventArgs> emitWithAck(BroadcastFlags flags, String event, Object[] args) {
        ArrayNode packetData = nsp.eventData(event, args);
        notifyOutgoing(packetData);
        long ackId = nsp.nextAckId();
        CompletableFuture<EventArgs> result = new CompletableFuture<>();
        EncodedPacket encoded = nsp.encoder().encode(
                new SocketPacket(SocketPacketType.EVENT, nsp.name(), ackId, packetData), ByteBufAllocator.DEFAULT);
        try {
            deliverWithAck(encoded, ackId, reply -> result.complete(new EventArgs((ArrayNode) reply, nsp.mapper())));
        } finally {
            encoded.release();
        }
        if (flags.timeoutMillis() > 0) {
            runOnLoop(() -> {
                var timer = eventLoop().schedule(() -> {
                    if (pendingAcks != null) {
                        pendingAcks.remove(ackId);
                    }
                    if (result.completeExceptionally(new AckTimeoutException(List.of()))) {
                        nsp.server().stats().ackTimedOut(false);
                    }
                }, flags.timeoutMillis(), TimeUnit.MILLISECONDS);
                // An answered ack needs its timer no longer.
                result.whenComplete((reply, error) -> timer.cancel(false));
            });
        }
        return result;
    }

    /** A broadcast is about to reach this socket (see {@link #notifyOutgoing(ArrayNode)}). */
    @Override
    public void notifyOutgoing(SocketPacket packet) {
        if (packet.type() == SocketPacketType.EVENT) {
            notifyOutgoing((ArrayNode) packet.data());
        }
    }

    /**
     * Tells the outgoing-event listeners of an event sent to this socket, by its own emit or by a
     * broadcast ({@code [event, ...args]}, not modified). They run on the socket's loop, always in
     * a task of their own: so they see the events in the order any one thread sent them, and never
     * run inside the sender (an adapter may be holding its lock while it delivers a broadcast).
     */
    private void notifyOutgoing(ArrayNode packetData) {
        SocketListeners l = listeners;
        if (l == null || l.anyOutgoing == null) {
            return;
        }
        eventLoop().execute(() -> {
            List<AnyEventListener> outgoing = l.anyOutgoing; // as it is now: removed since, say
            if (outgoing == null) {
                return;
            }
            ArrayNode args = packetData.deepCopy();
            String event = args.remove(0).asText();
            EventArgs eventArgs = new EventArgs(args, nsp.mapper());
            for (AnyEventListener listener : outgoing) {
                try {
                    listener.onEvent(this, event, eventArgs);
                } catch (RuntimeException e) {
                    log.warn("onAnyOutgoing listener failed for event '{}' on socket {}", event, id, e);
                }
            }
        });
    }

    @Override
    public void deliver(EncodedPacket packet, boolean volatileDelivery) {
        if (connected) {
            nsp.server().stats().delivered();
            client.session().send(packet.frames(), volatileDelivery);
        }
    }

    @Override
    public void deliverWithAck(EncodedPacket packet, long ackId, Consumer<JsonNode> onAck) {
        packet.retain();
        runOnLoop(() -> {
            try {
                if (!connected) {
                    return;
                }
                if (pendingAcks == null) {
                    pendingAcks = new HashMap<>(4);
                }
                pendingAcks.put(ackId, onAck);
                nsp.server().stats().delivered();
                client.session().send(packet.frames(), false);
            } finally {
                packet.release();
            }
        });
    }

    void sendAck(long ackId, Object[] args) {
        ArrayNode ackData = nsp.argsData(args);
        client.send(new SocketPacket(SocketPacketType.ACK, nsp.name(), ackId, ackData));
    }

    // ---- rooms ----

    public void join(String... rooms) {
        join(Arrays.asList(rooms));
    }

    /**
     * Joins {@code rooms}, within the server's limits: a room name longer than
     * {@link SocketIoOptions#maxRoomNameLength()}, or a room past
     * {@link SocketIoOptions#maxRoomsPerSocket()}, is not joined (counted and logged once per
     * interval, see {@link SocketIoServer#refusedJoins()}). Rooms are often named after what a
     * client sends; without the limits one client could make a socket hold any amount of memory.
     */
    @Override
    public synchronized void join(Collection<String> rooms) { // counted and added in one step
        SocketIoOptions o = nsp.server().options();
        int joined = nsp.adapter().joinedRoomCount(id);
        // Near the limit, rooms it is in already (or named twice) must not count: look them up.
        Set<String> current = joined + rooms.size() > o.maxRoomsPerSocket() ? new HashSet<>(nsp.adapter().socketRooms(id)) : null;
        Set<String> allowed = new LinkedHashSet<>();
        for (String room : rooms) {
            if (room.equals(id) || (current != null && current.contains(room)) || allowed.contains(room)) {
                continue; // its own room, or one it is in: nothing to join
            }
            if (room.length() > o.maxRoomNameLength()) {
                nsp.server().refusedJoins().record(this + ": a room name of " + room.length() + " chars");
            } else if (joined >= o.maxRoomsPerSocket()) {
                nsp.server().refusedJoins().record(this + ": already in " + joined + " rooms");
            } else {
                allowed.add(room);
                joined++;
            }
        }
        if (!allowed.isEmpty()) {
            nsp.adapter().addAll(id, allowed);
        }
    }

    @Override
    public void leave(String room) {
        nsp.adapter().del(id, room);
    }

    /** Broadcast to these rooms, this socket excluded. */
    public BroadcastOperator to(String... rooms) {
        return broadcast().to(rooms);
    }

    /** Same as {@link #to}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Broadcast to everyone but these rooms and this socket. */
    public BroadcastOperator except(String... rooms) {
        return broadcast().except(rooms);
    }

    /** Broadcast to every other socket of the namespace. */
    public BroadcastOperator broadcast() {
        return new BroadcastOperator(nsp, Set.of(), Set.of(id), BroadcastFlags.NONE);
    }

    // ---- disconnecting ----

    /** Disconnects this socket from its namespace; the client will not reconnect by itself. */
    public void disconnect() {
        disconnect(false);
    }

    /** {@code close}: also close the whole connection (every namespace of this client). */
    @Override
    public void disconnect(boolean close) {
        runOnLoop(() -> {
            if (!connected) {
                return;
            }
            if (close) {
                client.disconnectAll();
            } else {
                client.send(new SocketPacket(SocketPacketType.DISCONNECT, nsp.name(), SocketPacket.NO_ID, null));
                onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
            }
        });
    }

    @Override
    public SocketDetails details() {
        return new SocketDetails(id, handshake().toJson(nsp.mapper()), rooms(), dataAsJson());
    }

    private JsonNode dataAsJson() {
        Object value = data;
        return value == null ? NullNode.instance : nsp.mapper().valueToTree(value);
    }

    // ---- on the socket's loop ----

    void runOnLoop(Runnable task) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /**
     * Admitted: joins its rooms (a restored session's, within the limits, as they may come from
     * outside this node), sends missed packets then the CONNECT reply.
     */
    void onConnect(Set<String> rooms, List<ArrayNode> missedPackets) {
        connected = true;
        if (!rooms.isEmpty()) {
            join(rooms);
        }
        if (!missedPackets.isEmpty()) {
            List<SocketPacket> replay = new ArrayList<>(missedPackets.size());
            for (ArrayNode missed : missedPackets) {
                replay.add(new SocketPacket(SocketPacketType.EVENT, nsp.name(), SocketPacket.NO_ID, missed));
            }
            client.sendReplayed(replay);
        }
        var reply = nsp.mapper().createObjectNode().put("sid", id);
        if (pid != null) {
            reply.put("pid", pid);
        }
        client.send(new SocketPacket(SocketPacketType.CONNECT, nsp.name(), SocketPacket.NO_ID, reply));
    }

    void onPacket(SocketPacket packet) {
        switch (packet.type()) {
            case EVENT -> IncomingEvents.receive(this, nsp, listeners, packet);
            case ACK -> onAckPacket(packet);
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
            default -> client.closeForBadPacket("unexpected " + packet.type() + " packet");
        }
    }

    private void onAckPacket(SocketPacket packet) {
        Consumer<JsonNode> callback = pendingAcks == null ? null : pendingAcks.remove(packet.id());
        if (callback != null) {
            try {
                callback.accept(packet.data());
            } catch (RuntimeException e) {
                log.warn("ack callback failed on socket {}", id, e);
            }
        }
    }

    /** Leaves the namespace: handlers told, rooms left, session kept for recovery when it may come back. */
    void onClose(String reason) {
        if (!connected) {
            return;
        }
        nsp.server().stats().disconnected(reason);
        notifyDisconnect(listeners == null ? null : listeners.disconnecting, nsp.disconnectingHandlers(), reason);
        // Its client may have come back on a new connection and restored this very session here
        // before this one ended: the id, its rooms and its saved session are the new socket's now.
        boolean replaced = nsp.localSocket(id) != this;
        boolean recoverable = !replaced && pid != null && nsp.adapter().supportsRecovery()
                && DisconnectReason.RECOVERABLE.contains(reason);
        Set<String> lastRooms = recoverable ? rooms() : Set.of();
        if (!replaced) {
            nsp.adapter().delAll(id);
        }
        // Saved once this socket has left its rooms (a client recovering at once, on another loop
        // under the same id, must not have its restored rooms removed by this cleanup), and before
        // it leaves the namespace, which might otherwise go as empty with the session unsaved.
        if (recoverable) {
            nsp.adapter().persistSession(new PersistedSession(id, pid, lastRooms, dataAsJson()));
        } else if (!replaced && pid != null) {
            nsp.adapter().sessionEnded(this);
        }
        nsp.remove(this);
        client.remove(this);
        connected = false;
        pendingAcks = null;
        notifyDisconnect(listeners == null ? null : listeners.disconnect, nsp.disconnectHandlers(), reason);
    }

    private void notifyDisconnect(List<DisconnectHandler> own, List<DisconnectHandler> shared, String reason) {
        for (List<DisconnectHandler> list : Arrays.asList(own, shared)) {
            if (list == null) {
                continue;
            }
            for (DisconnectHandler handler : list) {
                try {
                    handler.onDisconnect(this, reason);
                } catch (RuntimeException e) {
                    log.warn("disconnect handler failed on socket {}", id, e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Socket[" + id + " on " + nsp.name() + "]";
    }
}
