package io.wsk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The official Node {@code socket.io} server with {@code @socket.io/redis-adapter}, as a real peer
 * in a Redis cluster: drives {@code interop/redis/node-server.mjs}. wsk nodes must interoperate
 * with it exactly as Node nodes do with each other.
 *
 * <p>Its sockets have the handlers of wsk's bench app ({@code echo}, {@code join}, {@code pub},
 * {@code count}); the methods here run the server-side API ({@code io.to(room).emit},
 * {@code fetchSockets}, {@code serverSideEmit}, ...) in it. Methods that publish return once Redis
 * has taken the publish. Arguments are JSON-serializable values, {@code byte[]} for binary; what
 * comes back has binary as Jackson {@code BinaryNode}s.
 */
public final class NodeSocketIoServer implements AutoCloseable {

    public static final String SCRIPT = "redis/node-server.mjs";
    /** How long commands and {@code await*} wait unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long starting may take (the first start in a JVM may also install the npm packages first). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final NodeProcess process;
    private final CommandChannel channel;
    private final int port;
    private final String name;
    private final boolean sharded;

    private NodeSocketIoServer(NodeProcess process, int port, String name, boolean sharded) {
        this.process = process;
        this.channel = new CommandChannel(process);
        this.port = port;
        this.name = name;
        this.sharded = sharded;
    }

    /** A server with the classic adapter on {@code redis}, on a free port. */
    public static NodeSocketIoServer start(RedisServer redis) {
        return builder(redis.url()).start();
    }

    /** Options for a server using the Redis at {@code redisUrl}. */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    /** How to start one server. */
    public static final class Builder {
        private final String redisUrl;
        private int port;
        private String name;
        private boolean sharded;
        private boolean streams;
        private final List<String> namespaces = new ArrayList<>();
        private final Map<String, Object> adapterOptions = new LinkedHashMap<>();
        private final Map<String, Object> serverOptions = new LinkedHashMap<>();
        private Duration lifetime = NodeProcess.DEFAULT_LIFETIME;

        private Builder(String redisUrl) {
            this.redisUrl = redisUrl;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The server's name, also its default answer to server-side events (default {@code node-<port>}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** {@code createShardedAdapter} (sharded pub/sub) instead of {@code createAdapter}, with its default subscription mode. */
        public Builder sharded() {
            this.sharded = true;
            return this;
        }

        /** {@code createShardedAdapter} with {@code subscriptionMode} {@code static}, {@code dynamic} or {@code dynamic-private}. */
        public Builder sharded(String subscriptionMode) {
            this.sharded = true;
            return adapterOption("subscriptionMode", subscriptionMode);
        }

        /** Namespaces created at start, with the same handlers as {@code /}. */
        /** {@code @socket.io/redis-streams-adapter} (Redis Streams) instead of the pub/sub adapter. */
        public Builder streams() {
            this.streams = true;
            return this;
        }

        public Builder namespaces(String... names) {
            namespaces.addAll(List.of(names));
            return this;
        }

        /** An adapter option, e.g. {@code requestsTimeout}, {@code key} (classic) or {@code channelPrefix} (sharded). */
        public Builder adapterOption(String key, Object value) {
            adapterOptions.put(key, value);
            return this;
        }

        /** A socket.io {@code Server} option, e.g. {@code connectionStateRecovery}. */
        public Builder serverOption(String key, Object value) {
            serverOptions.put(key, value);
            return this;
        }

        /** How long the script may run before it is killed (default {@link NodeProcess#DEFAULT_LIFETIME}). */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Starts the server and waits until it listens. */
        public NodeSocketIoServer start() {
            return awaitListening(launch());
        }

        private NodeProcess launch() {
            Map<String, Object> options = new LinkedHashMap<>();
            if (name != null) {
                options.put("name", name);
            }
            options.put("namespaces", namespaces);
            options.put("adapter", adapterOptions);
            options.put("server", serverOptions);
            List<String> args = new ArrayList<>(List.of(Integer.toString(port), redisUrl, CommandChannel.toJson(options)));
            if (streams) {
                args.add("--streams");
            } else if (sharded) {
                args.add("--sharded");
            }
            return NodeProcess.start(SCRIPT, args, lifetime);
        }
    }

    /**
     * Starts several servers at once (Node's start-up overlaps) and waits until all listen; if
     * one fails, those started are closed.
     */
    public static List<NodeSocketIoServer> startAll(Builder... builders) {
        List<NodeProcess> processes = new ArrayList<>();
        List<NodeSocketIoServer> servers = new ArrayList<>();
        try {
            for (Builder builder : builders) {
                processes.add(builder.launch());
            }
            for (NodeProcess process : processes) {
                servers.add(awaitListening(process));
            }
            return List.copyOf(servers);
        } catch (RuntimeException | Error e) {
            processes.forEach(NodeProcess::close);
            throw e;
        }
    }

    private static NodeSocketIoServer awaitListening(NodeProcess process) {
        try {
            JsonNode listening = new CommandChannel(process).awaitEvent("listening", START_TIMEOUT);
            return new NodeSocketIoServer(process, listening.path("port").asInt(),
                    listening.path("name").asText(), listening.path("sharded").asBoolean());
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public boolean sharded() {
        return sharded;
    }

    /** {@code http://127.0.0.1:<port>}, for a client of the main namespace. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<port><nsp>}, for a client of namespace {@code nsp}. */
    public String url(String nsp) {
        return url() + nsp;
    }

    // ---- the server-side API ----

    /** {@code io.emit(event, ...args)}. */
    public void emit(String event, Object... args) {
        broadcast("/").emit(event, args);
    }

    /** {@code io.of(nsp)}: what follows applies to namespace {@code nsp}. */
    public Broadcast of(String nsp) {
        return broadcast(nsp.startsWith("/") ? nsp : "/" + nsp);
    }

    /** {@code io.to(rooms)}. */
    public Broadcast to(String... rooms) {
        return broadcast("/").to(rooms);
    }

    /** {@code io.in(rooms)}, the same as {@link #to}. */
    public Broadcast in(String... rooms) {
        return to(rooms);
    }

    /** {@code io.except(rooms)}. */
    public Broadcast except(String... rooms) {
        return broadcast("/").except(rooms);
    }

    /** {@code io.local}: this server's sockets only, nothing published. */
    public Broadcast local() {
        return broadcast("/").local();
    }

    /** {@code io.timeout(ms)}, for {@link Broadcast#emitWithAck} and {@link Broadcast#fetchSockets}. */
    public Broadcast timeout(Duration timeout) {
        return broadcast("/").timeout(timeout);
    }

    /** {@code io.fetchSockets()}: every socket of {@code /} in the cluster. */
    public List<FetchedSocket> fetchSockets() {
        return broadcast("/").fetchSockets();
    }

    /** {@code io.socketsJoin(rooms)}. */
    public void socketsJoin(String... rooms) {
        broadcast("/").socketsJoin(rooms);
    }

    /** {@code io.socketsLeave(rooms)}. */
    public void socketsLeave(String... rooms) {
        broadcast("/").socketsLeave(rooms);
    }

    /** {@code io.disconnectSockets(close)}. */
    public void disconnectSockets(boolean close) {
        broadcast("/").disconnectSockets(close);
    }

    /** {@code io.serverSideEmit(event, ...args)}: to the other servers, no ack. */
    public void serverSideEmit(String event, Object... args) {
        broadcast("/").serverSideEmit(event, args);
    }

    /** {@code io.serverSideEmit(event, ...args, callback)}: the other servers' answers (within the adapter's {@code requestsTimeout}). */
    public Pending<Acks> serverSideEmitWithAck(String event, Object... args) {
        return broadcast("/").serverSideEmitWithAck(event, args);
    }

    /** {@code io.engine.clientsCount}: Engine.IO connections to this server. */
    public int clientsCount() {
        return channel.call(channel.command("clientsCount"), DEFAULT_TIMEOUT).path("value").asInt();
    }

    /** {@code io.of('/').adapter.serverCount()}: the servers the adapter sees, itself included. */
    public int serverCount() {
        return serverCount("/");
    }

    public int serverCount(String nsp) {
        return channel.call(channel.command("serverCount").put("nsp", nsp), DEFAULT_TIMEOUT).path("value").asInt();
    }

    /**
     * Waits (polling, within {@code timeout}) until {@link #serverCount()} is {@code expected}:
     * subscriptions of servers just started take a moment to show.
     */
    public void awaitServerCount(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int count;
        while ((count = serverCount()) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("serverCount stayed " + count + ", expected " + expected
                        + " within " + timeout.toMillis() + " ms\n" + process.report());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while polling serverCount", e);
            }
        }
    }

    // ---- server-side events from other servers ----

    /** From now on, answers server-side events {@code event} that ask for an ack with {@code args}. */
    public void answerServerSideEmit(String event, Object... args) {
        ObjectNode command = channel.command("answer").put("event", event);
        command.set("args", CommandChannel.args(args));
        channel.call(command, DEFAULT_TIMEOUT);
    }

    /** From now on, answers server-side events {@code event} with their own arguments. */
    public void answerServerSideEmitWithEcho(String event) {
        channel.call(channel.command("answer").put("event", event).put("echo", true), DEFAULT_TIMEOUT);
    }

    /** From now on, never answers server-side events {@code event}. */
    public void neverAnswerServerSideEmit(String event) {
        channel.call(channel.command("answer").put("event", event).put("never", true), DEFAULT_TIMEOUT);
    }

    /**
     * A server-side event this server received.
     *
     * @param ack      whether the sender waits for an answer
     * @param answered whether this server answered (by default with its {@link #name()})
     */
    public record ServerSideEvent(String nsp, String name, ArrayNode args, boolean ack, boolean answered) {
    }

    /** Takes the next server-side event {@code name} (any namespace). */
    public ServerSideEvent awaitServerSideEmit(String name) {
        return awaitServerSideEmit(name, DEFAULT_TIMEOUT);
    }

    public ServerSideEvent awaitServerSideEmit(String name, Duration timeout) {
        JsonNode event = channel.awaitEvent(e -> "serverSideEmit".equals(e.path("event").asText())
                && name.equals(e.path("name").asText()), timeout);
        return new ServerSideEvent(event.path("nsp").asText(), name,
                (ArrayNode) SocketIoClient.fromWire(event.path("args")),
                event.path("ack").asBoolean(), event.path("answered").asBoolean());
    }

    // ---- connections ----

    /** Takes the next connection to namespace {@code /}; the socket id. */
    public String awaitConnection() {
        return awaitConnection("/");
    }

    /** Takes the next connection to namespace {@code nsp}; the socket id. */
    public String awaitConnection(String nsp) {
        return channel.awaitEvent(e -> "connection".equals(e.path("event").asText())
                && nsp.equals(e.path("nsp").asText()), DEFAULT_TIMEOUT).path("id").asText();
    }

    /** Takes the next disconnection of socket {@code id}; the reason. */
    public String awaitDisconnect(String id) {
        return channel.awaitEvent(e -> "disconnect".equals(e.path("event").asText())
                && id.equals(e.path("id").asText()), DEFAULT_TIMEOUT).path("reason").asText();
    }

    /** Every event of the script so far, taken or not (including {@code redisError}s). */
    public List<JsonNode> events() {
        return channel.events();
    }

    /** The script under this server, for its exit code and output. */
    public NodeProcess process() {
        return process;
    }

    /** Kills the server (SIGKILL): a crash, its sockets and Redis connections cut without a word. */
    public void kill() {
        process.close();
    }

    /** Ends the server: stdin closed, so it closes the server and its Redis clients; killed if still running after 2 s. */
    @Override
    public void close() {
        process.end(Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "NodeSocketIoServer[" + name + " on " + url() + (sharded ? ", sharded" : "") + "]";
    }

    // ---- broadcasts ----

    private Broadcast broadcast(String nsp) {
        return new Broadcast(nsp, List.of(), List.of(), false, false, null);
    }

    /** The answers to a broadcast or server-side emit with an ack: {@code error} is {@code null} unless it timed out. */
    public record Acks(ArrayNode responses, String error) {

        /** The responses; fails if the operation reported an error. */
        public ArrayNode ok() {
            if (error != null) {
                throw new AssertionError("expected every answer, got error '" + error + "' with " + responses);
            }
            return responses;
        }
    }

    /** One socket of a {@code fetchSockets} answer; {@code remote} when it lives on another server. */
    public record FetchedSocket(String id, List<String> rooms, JsonNode data, JsonNode auth, boolean remote) {
    }

    /** A result still to come. */
    public final class Pending<T> {
        private final String id;
        private final ObjectNode command;
        private final Function<JsonNode, T> result;

        private Pending(String id, ObjectNode command, Function<JsonNode, T> result) {
            this.id = id;
            this.command = command;
            this.result = result;
        }

        public T await() {
            return await(DEFAULT_TIMEOUT);
        }

        public T await(Duration timeout) {
            return result.apply(channel.awaitResult(id, timeout));
        }

        @Override
        public String toString() {
            return "pending " + command;
        }
    }

    /** {@code io.of(nsp).to(..).except(..)} and flags: the target of an operation, immutable. */
    public final class Broadcast {
        private final String nsp;
        private final List<String> to;
        private final List<String> except;
        private final boolean isVolatile;
        private final boolean local;
        private final Duration timeout;

        private Broadcast(String nsp, List<String> to, List<String> except, boolean isVolatile, boolean local,
                          Duration timeout) {
            this.nsp = nsp;
            this.to = to;
            this.except = except;
            this.isVolatile = isVolatile;
            this.local = local;
            this.timeout = timeout;
        }

        public Broadcast to(String... rooms) {
            return new Broadcast(nsp, concat(to, rooms), except, isVolatile, local, timeout);
        }

        public Broadcast in(String... rooms) {
            return to(rooms);
        }

        public Broadcast except(String... rooms) {
            return new Broadcast(nsp, to, concat(except, rooms), isVolatile, local, timeout);
        }

        /** The {@code volatile} flag. */
        public Broadcast asVolatile() {
            return new Broadcast(nsp, to, except, true, local, timeout);
        }

        /** The {@code local} flag: this server's sockets only. */
        public Broadcast local() {
            return new Broadcast(nsp, to, except, isVolatile, true, timeout);
        }

        /** {@code timeout(ms)}, for {@link #emitWithAck} (default 5 s) and {@link #fetchSockets}. */
        public Broadcast timeout(Duration timeout) {
            return new Broadcast(nsp, to, except, isVolatile, local, timeout);
        }

        /** {@code emit(event, ...args)}; returns once the publish reached Redis. */
        public void emit(String event, Object... args) {
            call(emitCommand(event, args));
        }

        /** {@code timeout(ms).emit(event, ...args, callback)}: every client's answer, or the time-out error with those that came. */
        public Pending<Acks> emitWithAck(String event, Object... args) {
            ObjectNode command = emitCommand(event, args).put("ack", true);
            return pending(command, NodeSocketIoServer::acks);
        }

        /** {@code fetchSockets()}: the matching sockets of the whole cluster. */
        public List<FetchedSocket> fetchSockets() {
            JsonNode result = call(command("fetchSockets"));
            List<FetchedSocket> sockets = new ArrayList<>();
            for (JsonNode socket : result.path("sockets")) {
                List<String> rooms = new ArrayList<>();
                socket.path("rooms").forEach(room -> rooms.add(room.asText()));
                sockets.add(new FetchedSocket(socket.path("id").asText(), List.copyOf(rooms),
                        SocketIoClient.fromWire(socket.get("data")), SocketIoClient.fromWire(socket.get("auth")),
                        socket.path("remote").asBoolean()));
            }
            return sockets;
        }

        /** {@code socketsJoin(rooms)}. */
        public void socketsJoin(String... rooms) {
            ObjectNode command = command("socketsJoin");
            List.of(rooms).forEach(command.putArray("rooms")::add);
            call(command);
        }

        /** {@code socketsLeave(rooms)}. */
        public void socketsLeave(String... rooms) {
            ObjectNode command = command("socketsLeave");
            List.of(rooms).forEach(command.putArray("rooms")::add);
            call(command);
        }

        /** {@code disconnectSockets(close)}. */
        public void disconnectSockets(boolean close) {
            call(command("disconnectSockets").put("close", close));
        }

        /** {@code of(nsp).serverSideEmit(event, ...args)}; rooms do not apply. */
        public void serverSideEmit(String event, Object... args) {
            call(serverSideEmitCommand(event, args));
        }

        /** {@code of(nsp).serverSideEmit(event, ...args, callback)}; rooms do not apply. */
        public Pending<Acks> serverSideEmitWithAck(String event, Object... args) {
            return pending(serverSideEmitCommand(event, args).put("ack", true), NodeSocketIoServer::acks);
        }

        private ObjectNode serverSideEmitCommand(String event, Object[] args) {
            if (!to.isEmpty() || !except.isEmpty()) {
                throw new IllegalStateException("serverSideEmit goes to every server: no to / except");
            }
            ObjectNode command = channel.command("serverSideEmit").put("nsp", nsp).put("event", event);
            command.set("args", CommandChannel.args(args));
            return command;
        }

        private ObjectNode emitCommand(String event, Object[] args) {
            ObjectNode command = command("emit").put("event", event);
            command.set("args", CommandChannel.args(args));
            if (isVolatile) {
                command.put("volatile", true);
            }
            if (local) {
                command.put("local", true);
            }
            return command;
        }

        private ObjectNode command(String name) {
            ObjectNode command = CommandChannel.target(channel.command(name), nsp, to, except);
            if (timeout != null) {
                command.put("timeout", timeout.toMillis());
            }
            return command;
        }

        private JsonNode call(ObjectNode command) {
            return channel.call(command, DEFAULT_TIMEOUT);
        }

        private <T> Pending<T> pending(ObjectNode command, Function<JsonNode, T> result) {
            return new Pending<>(channel.send(command), command, result);
        }
    }

    private static Acks acks(JsonNode result) {
        JsonNode responses = result.get("responses");
        return new Acks(responses == null ? CommandChannel.JSON.createArrayNode() : (ArrayNode) SocketIoClient.fromWire(responses),
                result.hasNonNull("error") ? result.get("error").asText() : null);
    }

    private static List<String> concat(List<String> list, String[] more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
