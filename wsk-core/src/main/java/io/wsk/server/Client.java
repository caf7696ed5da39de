package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsk.engine.EngineSession;
import io.wsk.engine.SessionListener;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.PacketParseException;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketDecoder;
import io.wsk.protocol.SocketPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO side of one Engine.IO session: decodes its packets and routes them to the
 * sockets it has opened, one per namespace. Lives on the session's event loop.
 *
 * <p>Protocol violations (undecodable packets, a second CONNECT to the same namespace, a packet
 * for a namespace not joined) close the whole connection, as the reference server does; an
 * unknown namespace only gets a {@code connect_error}.
 *
 * <p>Limits the reference server lacks apply here too: the connection's event rate
 * ({@link EventRate}), and a deadline and the node's budget for unfinished binary packets
 * ({@link PendingAttachments}).
 */
final class Client implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private final SocketIoServer server;
    private final EngineSession session;
    /**
     * The binary packet awaiting its attachments, with the decoder holding it; {@code null}
     * between packets, when the loop's shared decoder does ({@link SocketIoServer#threadDecoder}).
     */
    private PendingAttachments pendingBinary;
    /** Made on the first event: connections that send none (most idle ones) carry no bucket. */
    private EventRate eventRate;
    private static final Socket[] NO_SOCKETS = {};

    /**
     * The socket of the first namespace joined (null while none is), then those of the others. A
     * client joins one namespace, sometimes two: a map, or even an array of one, would be a good
     * part of an idle client's size.
     */
    private Socket first;
    private Socket[] others = NO_SOCKETS;
    /** namespaces whose CONNECT is being admitted (middlewares, recovery), by name; null when none */
    private Map<String, Namespace> connecting;
    private ScheduledFuture<?> connectTimer;

    Client(SocketIoServer server, EngineSession session) {
        this.server = server;
        this.session = session;
        this.connectTimer = session.eventLoop().schedule(this::onConnectTimeout,
                server.options().connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    EngineSession session() {
        return session;
    }

    void runOnLoop(Runnable task) {
        if (session.eventLoop().inEventLoop()) {
            task.run();
        } else {
            session.eventLoop().execute(task);
        }
    }

    // ---- inbound ----

    @Override
    public void onMessage(EngineSession s, ByteBuf data, boolean binary) {
        PendingAttachments pending = pendingBinary;
        SocketPacketDecoder d = pending != null ? pending.decoder() : server.threadDecoder();
        if (binary && pending != null && !pending.hold(data.readableBytes())) {
            server.attachmentBudgetBreaches().record(session.id() + " (" + session.handshake().address() + ")");
            close(DisconnectReason.ATTACHMENT_BUDGET);
            return;
        }
        SocketPacket packet;
        try {
            packet = binary ? d.decodeBinary(data) : d.decodeText(data);
        } catch (PacketParseException e) {
            // the decoder dropped the half-received packet, if any
            releasePendingBinary();
            closeForBadPacket(e.getMessage());
            return;
        }
        if (!d.awaitingAttachments()) {
            releasePendingBinary();
        } else if (pending == null) {
            SocketIoOptions o = server.options();
            pendingBinary = new PendingAttachments(d, server.attachmentBytes(), o.maxAttachmentBytes(),
                    this, o.attachmentTimeoutMillis());
            server.keepThreadDecoder();
        }
        if (packet != null) {
            onPacket(packet);
        }
    }

    private void releasePendingBinary() {
        if (pendingBinary != null) {
            pendingBinary.release();
            pendingBinary = null;
        }
    }

    /** A binary packet's attachments are overdue: the client holds their bytes hostage, or lost them. */
    void onAttachmentTimeout() {
        if (pendingBinary != null) {
            server.attachmentTimeouts().record(session.id() + " (" + session.handshake().address() + ")");
            releasePendingBinary();
            close(DisconnectReason.ATTACHMENT_TIMEOUT);
        }
    }

    private void onPacket(SocketPacket packet) {
        if (packet.type() != SocketPacketType.ACK && !withinEventRate()) {
            return;
        }
        String name = packet.nsp();
        if (packet.type() == SocketPacketType.CONNECT) {
            if (socket(name) != null || (connecting != null && connecting.containsKey(name))) {
                closeForBadPacket("second CONNECT to namespace " + name);
                return;
            }
            JsonNode auth = packet.data() == null ? server.mapper().createObjectNode() : packet.data();
            connect(name, auth);
            return;
        }
        Socket socket = socket(name);
        if (socket == null) {
            closeForBadPacket(packet.type() + " for namespace " + name + " before CONNECT");
            return;
        }
        socket.onPacket(packet);
    }

    /**
     * Whether the connection may send this packet now (acks, answers to the server's own
     * emits, are not counted). The first CONNECT costs nothing; every event and further
     * CONNECT take a token. Without one the packet is dropped; a connection that goes on
     * regardless is disconnected from every namespace, which official clients take as final.
     */
    private boolean withinEventRate() {
        int rate = server.options().maxEventRate();
        if (rate == 0 || (eventRate == null && first == null && connecting == null)) {
            return true;
        }
        long now = System.nanoTime();
        if (eventRate == null) {
            eventRate = new EventRate(rate, server.options().eventBurst(), now);
        }
        switch (eventRate.take(now)) {
            case ALLOW -> {
                return true;
            }
            case DROP -> {
                server.droppedEvents().record(session.id() + " (" + session.handshake().address() + ")");
                return false;
            }
            default -> {
                server.rateLimitedClients().record(session.id() + " (" + session.handshake().address() + ")");
                disconnectAll(DisconnectReason.RATE_LIMITED);
                return false;
            }
        }
    }

    private void connect(String name, JsonNode auth) {
        Namespace nsp = server.resolveNamespace(name, auth);
        if (nsp == null) {
            refuse(name, "Invalid namespace", null);
            return;
        }
        if (connecting == null) {
            connecting = new HashMap<>(2);
        }
        connecting.put(name, nsp);
        nsp.admit(this, auth);
    }

    // ---- admission results, on the loop ----

    void admitted(Socket socket) {
        doneConnecting(socket.namespace().name());
        if (first == null) {
            first = socket;
        } else {
            others = Arrays.copyOf(others, others.length + 1);
            others[others.length - 1] = socket;
        }
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }

    void refuse(String name, String message, Object data) {
        doneConnecting(name);
        ObjectNode error = server.mapper().createObjectNode().put("message", message);
        if (data != null) {
            error.set("data", server.mapper().valueToTree(data));
        }
        send(new SocketPacket(SocketPacketType.CONNECT_ERROR, name, SocketPacket.NO_ID, error));
    }

    void remove(Socket socket) {
        if (first == socket) {
            first = others.length == 0 ? null : others[0];
            others = without(others, 0);
            return;
        }
        for (int i = 0; i < others.length; i++) {
            if (others[i] == socket) {
                others = without(others, i);
                return;
            }
        }
    }

    private static Socket[] without(Socket[] sockets, int index) {
        if (sockets.length <= 1) {
            return NO_SOCKETS;
        }
        Socket[] fewer = new Socket[sockets.length - 1];
        System.arraycopy(sockets, 0, fewer, 0, index);
        System.arraycopy(sockets, index + 1, fewer, index, fewer.length - index);
        return fewer;
    }

    /** Every socket, first joined first. */
    private Socket[] sockets() {
        if (first == null) {
            return NO_SOCKETS;
        }
        Socket[] all = new Socket[others.length + 1];
        all[0] = first;
        System.arraycopy(others, 0, all, 1, others.length);
        return all;
    }

    /** The socket joined to namespace {@code name}, or {@code null}. */
    private Socket socket(String name) {
        if (first != null && first.namespace().name().equals(name)) {
            return first;
        }
        for (Socket socket : others) {
            if (socket.namespace().name().equals(name)) {
                return socket;
            }
        }
        return null;
    }

    /**
     * The admission to {@code name} ended; the namespace learns it once (it may be removed when
     * idle), and the map goes once empty, as almost every client joins once.
     */
    private void doneConnecting(String name) {
        if (connecting != null) {
            Namespace nsp = connecting.remove(name);
            if (connecting.isEmpty()) {
                connecting = null;
            }
            if (nsp != null) {
                nsp.admissionEnded();
            }
        }
    }

    // ---- outbound ----

    void send(SocketPacket packet) {
        EncodedPacket encoded = server.encoder().encode(packet, ByteBufAllocator.DEFAULT);
        try {
            session.send(encoded.frames(), false);
        } finally {
            encoded.release();
        }
    }

    /** Sends packets a recovering socket missed; on the loop. See {@link EngineSession#sendReplayed}. */
    void sendReplayed(List<SocketPacket> packets) {
        for (SocketPacket packet : packets) {
            EncodedPacket encoded = server.encoder().encode(packet, ByteBufAllocator.DEFAULT);
            try {
                session.sendReplayed(encoded.frames());
            } finally {
                encoded.release();
            }
        }
    }

    // ---- closing ----

    /** {@code socket.disconnect(true)}: every namespace gets a DISCONNECT, then the connection closes. */
    void disconnectAll() {
        disconnectAll(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    }

    /** Like {@link #disconnectAll()}, telling the sockets' handlers {@code reason}. */
    private void disconnectAll(String reason) {
        for (Socket socket : sockets()) {
            send(new SocketPacket(SocketPacketType.DISCONNECT, socket.namespace().name(), SocketPacket.NO_ID, null));
            socket.onClose(reason);
        }
        session.close(DisconnectReason.FORCED_SERVER_CLOSE);
    }

    void closeForBadPacket(String why) {
        log.debug("closing connection {}: {}", session.id(), why);
        close(DisconnectReason.PARSE_ERROR);
    }

    private void close(String reason) {
        session.close(reason);
    }

    private void onConnectTimeout() {
        connectTimer = null;
        if (first == null) {
            log.debug("closing connection {}: no namespace joined in time", session.id());
            session.close(DisconnectReason.FORCED_CLOSE);
        }
    }

    @Override
    public void onClose(EngineSession s, String reason) {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
        releasePendingBinary();
        if (connecting != null) {
            for (String name : List.copyOf(connecting.keySet())) {
                doneConnecting(name);
            }
        }
        for (Socket socket : sockets()) {
            socket.onClose(reason);
        }
        first = null;
        others = NO_SOCKETS;
    }
}
