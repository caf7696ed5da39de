package io.wsk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The official {@code socket.io-client} as a real peer: drives {@code interop/socketio/client.mjs}.
 *
 * <p>One instance is one socket, on one namespace. {@link #connect} starts a script (one
 * Engine.IO connection, its own: {@code forceNew}); {@link #open} adds another namespace on the
 * same connection and returns its socket, which shares the script. Arguments go as
 * JSON-serializable values, {@code byte[]} (or Jackson {@link BinaryNode}s) for binary, anywhere in
 * the tree; what comes back has binary as {@link BinaryNode}s, byte for byte.
 *
 * <p>Await methods <em>take</em> events (see {@link OutputLines}): two calls for the same event
 * return two different ones, in order.
 */
public final class SocketIoClient implements AutoCloseable {

    public static final String SCRIPT = "socketio/client.mjs";
    /** How long {@code await*} wait unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BINARY_KEY = "$binary";
    /** Events about one socket, which carry its namespace; the others are about the connection. */
    private static final Set<String> SOCKET_EVENTS = Set.of("connect", "connect_error", "disconnect", "received");

    private final NodeProcess process;
    private final String nsp;
    private final AtomicLong requestIds;
    private final boolean owner;

    private SocketIoClient(NodeProcess process, String nsp, AtomicLong requestIds, boolean owner) {
        this.process = process;
        this.nsp = nsp;
        this.requestIds = requestIds;
        this.owner = owner;
    }

    /**
     * Connects to {@code url}, whose path is the namespace as {@code io(url)} takes it (e.g.
     * {@code http://127.0.0.1:8080/admin}; none is {@code /}), with socket.io-client's
     * {@code options} ({@code transports}, {@code auth}, {@code reconnection},
     * {@code reconnectionDelay}, ...), serialised as JSON.
     */
    public static SocketIoClient connect(String url, Map<String, ?> options) {
        String path = URI.create(url).getPath();
        String namespace = path == null || path.isEmpty() ? "/" : path;
        return new SocketIoClient(NodeProcess.start(SCRIPT, url, toJson(options)), namespace, new AtomicLong(), true);
    }

    /** Connects to {@code url} with the client's default options. */
    public static SocketIoClient connect(String url) {
        return connect(url, Map.of());
    }

    /**
     * Opens namespace {@code namespace} on this client's connection (the manager's
     * {@code socket(nsp, {auth})}); {@code auth} may be {@code null}.
     */
    public SocketIoClient open(String namespace, Object auth) {
        ObjectNode command = JSON.createObjectNode().put("cmd", "open").put("nsp", namespace);
        if (auth != null) {
            command.set("auth", toWire(auth));
        }
        process.send(command.toString());
        return new SocketIoClient(process, namespace, requestIds, false);
    }

    /** This socket's namespace. */
    public String namespace() {
        return nsp;
    }

    // ---- commands ----

    /** {@code socket.emit(event, ...args)}. */
    public void emit(String event, Object... args) {
        process.send(emitCommand(event, args).toString());
    }

    /** {@code socket.volatile.emit(event, ...args)}: dropped if the connection is not ready. */
    public void emitVolatile(String event, Object... args) {
        process.send(emitCommand(event, args).put("volatile", true).toString());
    }

    /** {@code socket.emit(event, ...args, callback)}: the server's answer, when it comes. */
    public PendingAck emitWithAck(String event, Object... args) {
        String id = "r" + requestIds.incrementAndGet();
        process.send(emitCommand(event, args).put("ack", id).toString());
        return new PendingAck(id);
    }

    /** {@code socket.timeout(ms).emit(event, ...args, callback)}: the answer or the time-out error. */
    public PendingAck emitWithAck(Duration timeout, String event, Object... args) {
        String id = "r" + requestIds.incrementAndGet();
        process.send(emitCommand(event, args).put("ack", id).put("timeout", timeout.toMillis()).toString());
        return new PendingAck(id);
    }

    private ObjectNode emitCommand(String event, Object[] args) {
        ObjectNode command = command("emit").put("event", event);
        command.set("args", argsToWire(args));
        return command;
    }

    /** From now on, answers the server's acks of {@code event} at once with {@code args}. */
    public void answer(String event, Object... args) {
        ObjectNode command = command("answer").put("event", event);
        command.set("args", argsToWire(args));
        process.send(command.toString());
    }

    /** From now on, answers the server's acks of {@code event} with the event's own arguments. */
    public void answerWithEcho(String event) {
        process.send(command("answer").put("event", event).put("echo", true).toString());
    }

    /** From now on, never answers the server's acks of {@code event}. */
    public void neverAnswer(String event) {
        process.send(command("answer").put("event", event).put("never", true).toString());
    }

    /** Answers one server ack left pending ({@link Received#ackId()}). */
    public void ack(long ackId, Object... args) {
        ObjectNode command = command("ack").put("ackId", ackId);
        command.set("args", argsToWire(args));
        process.send(command.toString());
    }

    /**
     * Closes the underlying Engine.IO connection ({@code socket.io.engine.close()}) as a lost
     * network would: every socket of the connection disconnects and, unless reconnection is off,
     * the client reconnects (and tries to recover its session).
     */
    public void dropTransport() {
        process.send(command("dropTransport").toString());
    }

    /** {@code socket.disconnect()}: leaves the namespace; the client does not come back by itself. */
    public void disconnect() {
        process.send(command("disconnect").toString());
    }

    /** {@code socket.connect()}: connects again after a disconnect. */
    public void reconnect() {
        process.send(command("connect").toString());
    }

    private ObjectNode command(String name) {
        return JSON.createObjectNode().put("cmd", name).put("nsp", nsp);
    }

    // ---- events ----

    /** A {@code connect}: the socket joined its namespace. */
    public record Connect(String id, boolean recovered, String transport) {
    }

    /** A {@code connect_error}: {@code err.message} and {@code err.data} ({@code null} when none). */
    public record ConnectError(String message, JsonNode data) {
    }

    /**
     * An event from the server.
     *
     * @param ackId the id to answer with {@link #ack}, or 0 when the server waits for no ack or an
     *              {@link #answer} rule answered it
     */
    public record Received(String name, ArrayNode args, long ackId, boolean answered) {

        /** Argument {@code index} as bytes; fails if it is not binary. */
        public byte[] bytes(int index) {
            return binary(args.get(index));
        }

        /** Argument {@code index} as text; fails if it is not a string. */
        public String string(int index) {
            JsonNode node = args.get(index);
            if (node == null || !node.isTextual()) {
                throw new AssertionError("argument " + index + " of " + this + " is not a string");
            }
            return node.textValue();
        }
    }

    /** The answer to one {@link #emitWithAck}. */
    public final class PendingAck {
        private final String id;

        private PendingAck(String id) {
            this.id = id;
        }

        /** The server's ack arguments; fails if the client reported an error instead (a time-out). */
        public ArrayNode await() {
            return await(DEFAULT_TIMEOUT);
        }

        public ArrayNode await(Duration timeout) {
            JsonNode line = take(timeout);
            if (line.has("error")) {
                throw new AssertionError("ack " + id + " failed: " + line.get("error").asText() + "\n" + process.report());
            }
            return (ArrayNode) fromWire(line.get("args"));
        }

        /** The error the client reported instead of an answer (e.g. "operation has timed out"). */
        public String awaitError(Duration timeout) {
            JsonNode line = take(timeout);
            if (!line.has("error")) {
                throw new AssertionError("ack " + id + " was answered: " + line + "\n" + process.report());
            }
            return line.get("error").asText();
        }

        private JsonNode take(Duration timeout) {
            return parse(process.awaitLine(text -> {
                JsonNode event = parse(text);
                return "ack".equals(event.path("event").asText()) && id.equals(event.path("id").asText());
            }, timeout));
        }
    }

    /** Takes the next {@code connect} of this socket. */
    public Connect awaitConnect() {
        return awaitConnect(DEFAULT_TIMEOUT);
    }

    /** Takes the next {@code connect} of this socket, waiting up to {@code timeout} (a reconnection after backoff). */
    public Connect awaitConnect(Duration timeout) {
        JsonNode event = awaitEvent("connect", timeout);
        return new Connect(event.path("id").asText(), event.path("recovered").asBoolean(),
                event.path("transport").asText(null));
    }

    /** Takes the next {@code connect_error} of this socket. */
    public ConnectError awaitConnectError() {
        JsonNode event = awaitEvent("connect_error");
        JsonNode data = event.get("data");
        return new ConnectError(event.path("message").asText(null), data == null ? null : fromWire(data));
    }

    /** Takes the next {@code disconnect} of this socket; its reason. */
    public String awaitDisconnect() {
        return awaitEvent("disconnect").path("reason").asText();
    }

    /** Takes the next server event {@code name} on this socket. */
    public Received awaitReceived(String name) {
        return awaitReceived(name, DEFAULT_TIMEOUT);
    }

    public Received awaitReceived(String name, Duration timeout) {
        JsonNode event = parse(process.awaitLine(line -> {
            JsonNode parsed = parse(line);
            return isMine(parsed, "received") && name.equals(parsed.path("name").asText());
        }, timeout));
        return received(event);
    }

    /** Every server event {@code name} this socket received so far, taken or not, in order. */
    public List<Received> allReceived(String name) {
        return events().stream()
                .filter(e -> isMine(e, "received") && name.equals(e.path("name").asText()))
                .map(SocketIoClient::received)
                .toList();
    }

    /**
     * Takes the next event {@code event} ({@code connect}, {@code upgrade}, {@code reconnect}, ...);
     * for the events of a socket ({@code connect}, {@code connect_error}, {@code disconnect},
     * {@code received}), this socket's. Binary values are still {@code {"$binary": base64}}.
     */
    public JsonNode awaitEvent(String event) {
        return awaitEvent(event, DEFAULT_TIMEOUT);
    }

    public JsonNode awaitEvent(String event, Duration timeout) {
        return parse(process.awaitLine(line -> isMine(parse(line), event), timeout));
    }

    private boolean isMine(JsonNode parsed, String event) {
        if (!event.equals(parsed.path("event").asText())) {
            return false;
        }
        return !SOCKET_EVENTS.contains(event) || nsp.equals(parsed.path("nsp").asText());
    }

    /** Every event of the script so far (every namespace), taken or not. */
    public List<JsonNode> events() {
        return process.lines().stream().map(SocketIoClient::parse).toList();
    }

    /** The script under this client, for its exit code and output. */
    public NodeProcess process() {
        return process;
    }

    /**
     * Ends the script: stdin closed, so it disconnects its sockets and exits; killed if it has not
     * within a second. Sockets from {@link #open} leave this to the socket that made them.
     */
    @Override
    public void close() {
        if (!owner) {
            return;
        }
        process.end(Duration.ofSeconds(1));
    }

    /** Closes several clients at once: all are told first, so their exits overlap. */
    public static void closeAll(Collection<SocketIoClient> clients) {
        clients.forEach(client -> {
            if (client.owner) {
                client.process.closeStdin();
            }
        });
        clients.forEach(SocketIoClient::close);
    }

    // ---- JSON on the wire ----

    private static Received received(JsonNode event) {
        return new Received(event.path("name").asText(), (ArrayNode) fromWire(event.path("args")),
                event.path("ackId").asLong(0), event.path("answered").asBoolean());
    }

    private static ArrayNode argsToWire(Object[] args) {
        ArrayNode array = JSON.createArrayNode();
        for (Object arg : args) {
            array.add(toWire(arg));
        }
        return array;
    }

    /** A value as the script takes it: JSON, with bytes as {@code {"$binary": base64}}. */
    static JsonNode toWire(Object value) {
        if (value == null) {
            return NullNode.instance;
        }
        JsonNode node = value instanceof JsonNode json ? json : JSON.valueToTree(value);
        if (node.isBinary()) {
            return JSON.createObjectNode().put(BINARY_KEY, Base64.getEncoder().encodeToString(binary(node)));
        }
        if (node.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            node.forEach(item -> array.add(toWire(item)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.set(field.getKey(), toWire(field.getValue()));
            }
            return object;
        }
        return node;
    }

    /** A value the script reported, with {@code {"$binary": base64}} back as {@link BinaryNode}s. */
    static JsonNode fromWire(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            node.forEach(item -> array.add(fromWire(item)));
            return array;
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.has(BINARY_KEY)) {
                return BinaryNode.valueOf(Base64.getDecoder().decode(node.get(BINARY_KEY).asText()));
            }
            ObjectNode object = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.set(field.getKey(), fromWire(field.getValue()));
            }
            return object;
        }
        return node;
    }

    /** The bytes of a binary node; fails if it is not one. */
    public static byte[] binary(JsonNode node) {
        if (node == null || !node.isBinary()) {
            throw new AssertionError("expected binary, got " + node);
        }
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("event", "unparsable").put("line", line);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        }
    }
}
