package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.protocol.ReservedEvents;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client side of one namespace on a {@link Manager}'s connection: the JS client's
 * {@code Socket}. Emits made while it is not connected wait in a bounded buffer and go out once
 * it connects (volatile ones are dropped instead); events the server sends before the CONNECT
 * reply (recovered ones) are held until it. With connection state recovery on the server, it
 * keeps the server's {@code pid} and the offset of the last event, and sends them when it
 * reconnects; {@link #recovered()} tells whether the server restored the session.
 *
 * <p>Methods may be called from any thread. Listeners run on the listener thread, in order.
 */
public final class ClientSocket {

    private final Manager manager;
    private final String nsp;
    private final Map<String, List<EventListener>> listeners = new ConcurrentHashMap<>();
    private final List<AnyListener> anyListeners = new CopyOnWriteArrayList<>();
    private final List<AnyListener> anyOutgoing = new CopyOnWriteArrayList<>();
    private final List<Runnable> connectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> disconnectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectError>> connectErrorListeners = new CopyOnWriteArrayList<>();

    // I/O thread state (the volatile ones are read by other threads)
    private boolean active;
    private volatile boolean connected;
    private volatile String id;
    private volatile boolean recovered;
    private String pid;
    private String lastOffset;
    private long nextAckId;
    private final PendingAcks acks = new PendingAcks();
    private final ArrayDeque<SocketPacket> sendBuffer = new ArrayDeque<>();
    private final List<SocketPacket> receiveBuffer = new ArrayList<>();

    ClientSocket(Manager manager, String nsp) {
        this.manager = manager;
        this.nsp = nsp;
    }

    public String namespace() {
        return nsp;
    }

    /** The socket id the server gave (not the Engine.IO sid), or null while not connected. */
    public String id() {
        return id;
    }

    public boolean connected() {
        return connected;
    }

    /** Whether the last connect restored the previous session (connection state recovery). */
    public boolean recovered() {
        return recovered;
    }

    public Manager io() {
        return manager;
    }

    // ---- listeners ----

    public ClientSocket on(String event, EventListener listener) {
        if (ReservedEvents.EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is reserved: use onConnect, onDisconnect, onConnectError");
        }
        listeners.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    public ClientSocket off(String event) {
        listeners.remove(event);
        return this;
    }

    public ClientSocket onAny(AnyListener listener) {
        anyListeners.add(listener);
        return this;
    }

    /** Sees every event this socket sends, when it is sent (buffered emits: when they go out). */
    public ClientSocket onAnyOutgoing(AnyListener listener) {
        anyOutgoing.add(listener);
        return this;
    }

    public ClientSocket onConnect(Runnable listener) {
        connectListeners.add(listener);
        return this;
    }

    /** The reason, as the JS client names it: {@code io server disconnect}, {@code transport close}, ... */
    public ClientSocket onDisconnect(Consumer<String> listener) {
        disconnectListeners.add(listener);
        return this;
    }

    public ClientSocket onConnectError(Consumer<ConnectError> listener) {
        connectErrorListeners.add(listener);
        return this;
    }

    // ---- connecting ----

    /** Connects (opening the manager's connection if needed); does nothing when connected. */
    public ClientSocket connect() {
        manager.execute(() -> {
            if (connected) {
                return;
            }
            active = true;
            if (!manager.isReconnecting()) {
                manager.open(null);
            }
            if (manager.isOpen()) {
                onManagerOpen();
            }
        });
        return this;
    }

    /** Leaves the namespace; the connection closes when no socket uses it any more. No reconnection. */
    public ClientSocket disconnect() {
        manager.execute(() -> {
            boolean was = connected;
            if (was) {
                manager.send(new SocketPacket(SocketPacketType.DISCONNECT, nsp, SocketPacket.NO_ID, null));
            }
            destroy();
            if (was) {
                onClose("io client disconnect");
            }
        });
        return this;
    }

    // ---- emitting ----

    public void emit(String event, Object... args) {
        send(event, args, null, 0, false);
    }

    /** The server's ack arguments; fails after the default {@code ackTimeout} if one is set. */
    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        CompletableFuture<Args> future = new CompletableFuture<>();
        send(event, args, future, manager.options.ackTimeout(), false);
        return future;
    }

    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(this, timeout.toMillis(), false);
    }

    public SocketEmitter asVolatile() {
        return new SocketEmitter(this, manager.options.ackTimeout(), true);
    }

    /** Builds the packet data on the caller's thread (a snapshot of the arguments), sends on the I/O thread. */
    void send(String event, Object[] args, CompletableFuture<Args> ack, long timeoutMillis, boolean isVolatile) {
        if (event == null || ReservedEvents.EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
        ArrayNode data = manager.mapper.createArrayNode().add(event);
        for (Object arg : args) {
            data.add(arg instanceof JsonNode node ? node : manager.mapper.valueToTree(arg));
        }
        if (manager.isClosed()) {
            fail(ack, new IllegalStateException("client closed"));
            return;
        }
        manager.execute(() -> sendOnLoop(event, data, ack, timeoutMillis, isVolatile));
    }

    private void sendOnLoop(String event, ArrayNode data, CompletableFuture<Args> ack, long timeoutMillis, boolean isVolatile) {
        if (manager.isClosed()) {
            fail(ack, new IllegalStateException("client closed"));
            return;
        }
        long ackId = SocketPacket.NO_ID;
        if (ack != null) {
            ackId = nextAckId++;
            long idForTimer = ackId;
            io.netty.util.concurrent.ScheduledFuture<?> timer = timeoutMillis <= 0 ? null
                    : manager.loop().schedule(() -> ackTimedOut(idForTimer), timeoutMillis, TimeUnit.MILLISECONDS);
            acks.add(ackId, new PendingAcks.Pending(event, ack, timeoutMillis, timer));
        }
        SocketPacket packet = new SocketPacket(SocketPacketType.EVENT, nsp, ackId, data);
        if (isVolatile && !(connected && manager.transportWritable())) {
            // Dropped, as the JS client drops volatile packets the transport cannot take now.
            if (ack != null) {
                acks.take(ackId);
                fail(ack, new IllegalStateException("volatile emit dropped: not writable now"));
            }
        } else if (connected) {
            write(packet);
        } else if (sendBuffer.size() < manager.options.maxBufferedEmits()) {
            sendBuffer.add(packet);
        } else {
            if (ack != null) {
                acks.take(ackId);
            }
            fail(ack, new IllegalStateException("send buffer full (" + manager.options.maxBufferedEmits()
                    + " emits wait for the connection): '" + event + "' dropped"));
        }
    }

    private void write(SocketPacket packet) {
        if (!anyOutgoing.isEmpty() && packet.type() == SocketPacketType.EVENT) {
            String event = packet.data().get(0).asText();
            Args args = argsOf(packet.data());
            anyOutgoing.forEach(l -> manager.dispatch(() -> l.onEvent(event, args)));
        }
        manager.send(packet);
    }

    private void ackTimedOut(long ackId) {
        PendingAcks.Pending pending = acks.take(ackId);
        if (pending == null) {
            return;
        }
        sendBuffer.removeIf(p -> p.id() == ackId); // never sent: it will not be
        fail(pending.future(), new AckTimeoutException(pending.event(), pending.timeoutMillis()));
    }

    private void fail(CompletableFuture<Args> future, Throwable error) {
        if (future != null) {
            manager.complete(() -> future.completeExceptionally(error));
        }
    }

    // ---- from the manager, I/O thread ----

    boolean active() {
        return active;
    }

    void onManagerOpen() {
        if (active) {
            ObjectNode data = ConnectPayload.of(manager.mapper, manager.options.auth(), pid, lastOffset);
            manager.send(new SocketPacket(SocketPacketType.CONNECT, nsp, SocketPacket.NO_ID, data));
        }
    }

    void onManagerError(Throwable error) {
        if (active && !connected) {
            ConnectError e = new ConnectError(error.getMessage() == null ? error.toString() : error.getMessage(), null, error);
            connectErrorListeners.forEach(l -> manager.dispatch(() -> l.accept(e)));
        }
    }

    void onManagerClose(String reason) {
        if (active) {
            onClose(reason);
        }
    }

    /** {@link Manager#close()}: ends the socket and frees what it holds. */
    void closeFromManager() {
        boolean was = connected;
        if (was) {
            manager.send(new SocketPacket(SocketPacketType.DISCONNECT, nsp, SocketPacket.NO_ID, null));
        }
        active = false;
        if (was) {
            onClose("io client disconnect");
        }
        sendBuffer.clear();
        receiveBuffer.clear();
        IllegalStateException closed = new IllegalStateException("client closed");
        acks.takeAllExcept(id -> false).forEach(p -> fail(p.future(), closed));
    }

    void onPacket(SocketPacket packet) {
        if (!active) {
            return;
        }
        switch (packet.type()) {
            case CONNECT -> onConnectPacket(packet.data());
            case EVENT -> {
                if (connected) {
                    onEvent(packet);
                } else if (receiveBuffer.size() < manager.options.maxBufferedEmits()) {
                    receiveBuffer.add(packet);
                }
            }
            case ACK -> onAck(packet);
            case DISCONNECT -> {
                destroy();
                onClose("io server disconnect");
            }
            case CONNECT_ERROR -> {
                destroy();
                JsonNode data = packet.data();
                String message = data.isTextual() ? data.textValue() : data.path("message").asText("connect_error");
                JsonNode extra = data.isObject() && data.has("data") ? data.get("data") : null;
                ConnectError error = new ConnectError(message, extra, null);
                connectErrorListeners.forEach(l -> manager.dispatch(() -> l.accept(error)));
            }
            default -> {
            }
        }
    }

    private void onConnectPacket(JsonNode data) {
        if (data == null || !data.path("sid").isTextual()) {
            ConnectError error = new ConnectError("It seems you are trying to reach a Socket.IO server in v2.x"
                    + " with a v3.x client, but they are not compatible", null, null);
            connectErrorListeners.forEach(l -> manager.dispatch(() -> l.accept(error)));
            return;
        }
        String newPid = data.path("pid").isTextual() ? data.get("pid").textValue() : null;
        id = data.get("sid").textValue();
        recovered = newPid != null && newPid.equals(pid);
        pid = newPid;
        connected = true;
        receiveBuffer.forEach(this::onEvent);
        receiveBuffer.clear();
        while (!sendBuffer.isEmpty() && connected) {
            write(sendBuffer.poll());
        }
        connectListeners.forEach(l -> manager.dispatch(l));
    }

    private void onEvent(SocketPacket packet) {
        String event = packet.data().get(0).asText();
        Args args = argsOf(packet.data());
        ArrayNode values = args.asArray();
        if (pid != null && !values.isEmpty() && values.get(values.size() - 1).isTextual()) {
            lastOffset = values.get(values.size() - 1).textValue(); // the JS client's rule, quirk included
        }
        Ack ack = packet.hasId() ? new ServerAck(this, manager.mapper, packet.id()) : Ack.NONE;
        for (AnyListener l : anyListeners) {
            manager.dispatch(() -> l.onEvent(event, args));
        }
        for (EventListener l : listeners.getOrDefault(event, List.of())) {
            manager.dispatch(() -> l.onEvent(args, ack));
        }
    }

    private void onAck(SocketPacket packet) {
        PendingAcks.Pending pending = acks.take(packet.id());
        if (pending != null) {
            Args args = new Args((ArrayNode) packet.data(), manager.mapper);
            manager.complete(() -> pending.future().complete(args));
        }
    }

    private void destroy() {
        if (active) {
            active = false;
            manager.socketDestroyed();
        }
    }

    private void onClose(String reason) {
        connected = false;
        id = null;
        disconnectListeners.forEach(l -> manager.dispatch(() -> l.accept(reason)));
        // Acks of emits still in the buffer may yet be answered; the others cannot be any more.
        IllegalStateException gone = new IllegalStateException("socket has been disconnected (" + reason + ")");
        acks.takeAllExcept(ackId -> sendBuffer.stream().anyMatch(p -> p.id() == ackId))
                .forEach(p -> fail(p.future(), gone));
    }

    private Args argsOf(JsonNode data) {
        ArrayNode values = manager.mapper.createArrayNode();
        for (int i = 1; i < data.size(); i++) {
            values.add(data.get(i));
        }
        return new Args(values, manager.mapper);
    }

    /** Sends the ack {@link ServerAck} made; dropped when the socket is no longer connected. */
    void sendAck(long ackId, ArrayNode data) {
        manager.execute(() -> {
            if (connected) {
                manager.send(new SocketPacket(SocketPacketType.ACK, nsp, ackId, data));
            }
        });
    }
}
