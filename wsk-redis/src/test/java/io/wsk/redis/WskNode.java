package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.util.concurrent.EventExecutor;
import io.wsk.adapter.Adapter;
import io.wsk.http.EventLoops;
import io.wsk.http.HttpServer;
import io.wsk.server.Namespace;
import io.wsk.server.SocketIoOptions;
import io.wsk.server.SocketIoServer;
import io.wsk.testkit.RedisServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.awaitility.Awaitility.await;

/**
 * A wsk node of a Redis cluster, in this JVM: a {@link SocketIoServer} on a free loopback port
 * with a {@link RedisAdapterFactory} (classic, or sharded in a {@link SubscriptionMode}) over a
 * {@link RedisBus} of its own, which runs on the server's two event loops as in {@code wsk serve},
 * and the bench handlers on every namespace it was given, as {@code wsk-app}'s BenchApp and
 * {@code interop/redis/node-server.mjs} have them:
 * <ul>
 *   <li>{@code echo}: ack with the same arguments, or emit {@code echo} back when no ack is asked;</li>
 *   <li>{@code join}: join the room named by the first argument; ack;</li>
 *   <li>{@code pub}: emit {@code b} with the argument to everyone, or to room {@code arg.room}; ack;</li>
 *   <li>{@code count}: ack with the number of sockets in the whole cluster (fetchSockets).</li>
 * </ul>
 * As in the Node script, {@code socket.data} is the handshake's {@code auth.data} when there is one,
 * so that fetchSockets has data to show.
 */
final class WskNode implements AutoCloseable {

    /** How long a cluster may take to see all its nodes (subscriptions of new nodes take a moment). */
    static final Duration CLUSTER_UP = Duration.ofSeconds(10);

    private final String name;
    private final EventLoops loops;
    private final RedisBus bus;
    private final AutoCloseable factory;
    private final SocketIoServer io;
    private final HttpServer http;

    private WskNode(Builder b) throws InterruptedException {
        this.name = b.name;
        this.loops = EventLoops.create(2);
        this.bus = new RedisBus(b.redisUrl, b.maxPending, loops.group());
        io.wsk.adapter.AdapterFactory adapters = b.streams != null
                ? new RedisStreamsAdapterFactory(bus, b.streams.withRequestsTimeoutMillis(b.requestsTimeoutMillis))
                : new RedisAdapterFactory(bus, new RedisAdapterOptions(b.key, b.requestsTimeoutMillis,
                        b.publishOnSpecificResponseChannel), b.shardedMode);
        this.factory = (AutoCloseable) adapters;
        HttpServer started = null;
        SocketIoServer server = null;
        try {
            SocketIoOptions.Builder options = SocketIoOptions.builder().adapter(adapters);
            if (b.recovery != null) {
                options.recovery(b.recovery);
            }
            server = SocketIoServer.create(options.build());
            benchHandlers(server.sockets());
            for (String nsp : b.namespaces) {
                benchHandlers(server.of(nsp));
            }
            started = server.mount(HttpServer.builder().host("127.0.0.1").port(0).eventLoops(loops)).start();
        } catch (InterruptedException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            closeQuietly(factory);
            bus.close();
            loops.close();
            throw e;
        }
        this.io = server;
        this.http = started;
    }

    /** A node with the classic adapter on {@code redis}, serving {@code /} and {@code namespaces}. */
    static WskNode classic(RedisServer redis, String... namespaces) throws InterruptedException {
        return builder(redis.url()).namespaces(namespaces).start();
    }

    /** A node with the sharded adapter in {@code mode} on {@code redis}. */
    static WskNode sharded(RedisServer redis, SubscriptionMode mode, String... namespaces) throws InterruptedException {
        return builder(redis.url()).sharded(mode).namespaces(namespaces).start();
    }

    static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    static final class Builder {
        private final String redisUrl;
        private String name = "wsk";
        private SubscriptionMode shardedMode;
        private int maxPending = 10_000;
        private long requestsTimeoutMillis = 5000;
        private boolean publishOnSpecificResponseChannel;
        private String key = "socket.io";
        private final List<String> namespaces = new ArrayList<>();
        private RedisStreamsAdapterOptions streams;
        private io.wsk.server.RecoveryOptions recovery;

        private Builder(String redisUrl) {
            this.redisUrl = redisUrl;
        }

        /** The node's name: its default answer to server-side events ({@link #answerServerSideEmit}). */
        Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The sharded adapter in {@code mode} instead of the classic one. */
        Builder sharded(SubscriptionMode mode) {
            this.shardedMode = mode;
            return this;
        }

        /** The bus's queue limit for publishes while Redis is away. */
        /** The Redis Streams adapter with {@code options} instead of a pub/sub one. */
        Builder streams(RedisStreamsAdapterOptions options) {
            this.streams = options;
            return this;
        }

        /** Connection state recovery on, with this window. */
        Builder recovery(Duration window) {
            this.recovery = new io.wsk.server.RecoveryOptions(window, true);
            return this;
        }

        Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /** The channel prefix (default {@code socket.io}). */
        Builder key(String key) {
            this.key = key;
            return this;
        }

        /** The classic adapter answers each requester on its own response channel. */
        Builder publishOnSpecificResponseChannel() {
            this.publishOnSpecificResponseChannel = true;
            return this;
        }

        Builder requestsTimeoutMillis(long millis) {
            this.requestsTimeoutMillis = millis;
            return this;
        }

        /** Namespaces created at start, with the bench handlers as on {@code /}. */
        Builder namespaces(String... names) {
            namespaces.addAll(List.of(names));
            return this;
        }

        WskNode start() throws InterruptedException {
            return new WskNode(this);
        }
    }

    private static void benchHandlers(Namespace nsp) {
        nsp.onConnection(socket -> {
            JsonNode data = socket.handshake().auth().get("data");
            if (data != null) {
                socket.setData(data);
            }
        });
        nsp.on("echo", (socket, args, ack) -> {
            if (ack.isRequested()) {
                ack.send(args.toArray());
            } else {
                socket.emit("echo", args.toArray());
            }
        });
        nsp.on("join", (socket, args, ack) -> {
            String room = args.string(0);
            if (room != null) {
                socket.join(room);
            }
            ack.send();
        });
        nsp.on("pub", (socket, args, ack) -> {
            JsonNode arg = args.node(0);
            JsonNode room = arg == null ? null : arg.get("room");
            if (room != null && room.isTextual()) {
                nsp.to(room.textValue()).emit("b", arg);
            } else {
                nsp.emit("b", arg);
            }
            ack.send();
        });
        nsp.on("count", (socket, args, ack) -> nsp.fetchSockets().thenAccept(sockets -> ack.send(sockets.size())));
    }

    // ---- access ----

    String name() {
        return name;
    }

    SocketIoServer io() {
        return io;
    }

    RedisBus bus() {
        return bus;
    }

    /** Whether {@code thread} is one of this node's event loops. */
    boolean isLoop(Thread thread) {
        for (EventExecutor loop : loops.group()) {
            if (loop.inEventLoop(thread)) {
                return true;
            }
        }
        return false;
    }

    /** The adapter of namespace {@code /}. */
    Adapter adapter() {
        return adapter("/");
    }

    Adapter adapter(String nsp) {
        return io.of(nsp).adapter();
    }

    int port() {
        return http.port();
    }

    /** {@code http://127.0.0.1:<port>}, for a client of {@code /}. */
    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:<port><nsp>}, for a client of namespace {@code nsp}. */
    String url(String nsp) {
        return url() + nsp;
    }

    /** What the adapter of {@code /} counts, this node included. */
    int serverCount() {
        return adapter().serverCount().join();
    }

    /** Waits until the adapter of {@code /} counts {@code expected} nodes. */
    void awaitServerCount(int expected) {
        await("serverCount of " + name + " = " + expected).atMost(CLUSTER_UP)
                .until(this::serverCount, count -> count == expected);
    }

    /**
     * From now on, records the server-side events {@code event} this node receives (their
     * arguments) and answers those that wait for it with {@code reply}; {@code null} never answers.
     */
    BlockingQueue<ArrayNode> answerServerSideEmit(String event, Object reply) {
        return answerServerSideEmit("/", event, reply);
    }

    BlockingQueue<ArrayNode> answerServerSideEmit(String nsp, String event, Object reply) {
        BlockingQueue<ArrayNode> received = new LinkedBlockingQueue<>();
        io.of(nsp).onServerSideEmit(event, (args, answer) -> {
            received.add(args.asArray().deepCopy());
            if (reply != null) {
                answer.accept(reply);
            }
        });
        return received;
    }

    @Override
    public void close() {
        try {
            io.close();
            http.close();
        } finally {
            closeQuietly(factory);
            bus.close();
            loops.close();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing the rest matters more
        }
    }

    @Override
    public String toString() {
        return "WskNode[" + name + " on " + url() + "]";
    }
}
