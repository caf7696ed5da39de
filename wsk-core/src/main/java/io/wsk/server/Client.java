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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO side of one Engine.IO session: decodes its packets and routes them to the
 * sockets it has opened, one per namespace. Lives on the session's event loop.
 *
 * <p>Protocol violations (undecodable packets, a second CONNECT to the same namespace, a packet
 * for a namespace not joined) close the whole connection, as the reference server does; an
 * unknown namespace only gets a {@code connect_error}.
 */
final class Client implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private final SocketIoServer server;
    private final EngineSession session;
    /**
     * The decoder holding a binary packet that awaits its attachments; {@code null} between
     * packets, when the loop's shared decoder does ({@link SocketIoServer#threadDecoder}).
     */
    private SocketPacketDecoder decoder;
    private static final Socket[] NO_SOCKETS = {};

    /**
     * The socket of the first namespace joined (null while none is), then those of the others. A
     * client joins one namespace, sometimes two: a map, or even an array of one, would be a good
     * part of an idle client's size.
     */
    private Socket first;
    private Socket[] others = NO_SOCKETS;
    /** namespaces whose CONNECT is being admitted (middlewares, recovery); null when none */
    private Set<String> connecting;
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
        SocketPacketDecoder d = decoder != null ? decoder : server.threadDecoder();
        SocketPacket packet;
        try {
            packet = binary ? d.decodeBinary(data) : d.decodeText(data);
        } catch (PacketParseException e) {
            // the decoder dropped the half-received packet, if any
            decoder = null;
            closeForBadPacket(e.getMessage());
            return;
        }
        if (!d.awaitingAttachments()) {
            decoder = null;
        } else if (decoder == null) {
            decoder = d;
            server.keepThreadDecoder();
        }
        if (packet != null) {
            onPacket(packet);
        }
    }

    private void onPacket(SocketPacket packet) {
        String name = packet.nsp();
        if (packet.type() == SocketPacketType.CONNECT) {
            if (socket(name) != null || (connecting != null && connecting.contains(name))) {
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

    private void connect(String name, JsonNode auth) {
        Namespace nsp = server.resolveNamespace(name, auth);
        if (nsp == null) {
            refuse(name, "Invalid namespace", null);
            return;
        }
        if (connecting == null) {
            connecting = new HashSet<>(2);
        }
        connecting.add(name);
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

    /** The admission to {@code name} ended; the set goes once empty, as almost every client joins once. */
    private void doneConnecting(String name) {
        if (connecting != null) {
            connecting.remove(name);
            if (connecting.isEmpty()) {
                connecting = null;
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

    // ---- closing ----

    /** {@code socket.disconnect(true)}: every namespace gets a DISCONNECT, then the connection closes. */
    void disconnectAll() {
        for (Socket socket : sockets()) {
            send(new SocketPacket(SocketPacketType.DISCONNECT, socket.namespace().name(), SocketPacket.NO_ID, null));
            socket.onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        }
        session.close(DisconnectReason.FORCED_SERVER_CLOSE);
    }

    void closeForBadPacket(String why) {
        log.debug("closing connection {}: {}", session.id(), why);
        session.close(DisconnectReason.PARSE_ERROR);
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
        for (Socket socket : sockets()) {
            socket.onClose(reason);
        }
        first = null;
        others = NO_SOCKETS;
    }
}
