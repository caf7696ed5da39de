package io.wsk.server;

import io.wsk.engine.CorsPolicy;
import io.wsk.engine.EngineOptions;
import io.wsk.http.HttpServer;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A real wsk Socket.IO server on a free loopback port, for tests. Configure it through the
 * options builder, then register handlers on {@link #io()} before clients connect.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(o -> o.connectTimeoutMillis(1000))) {
 *     server.io().on("echo", (socket, args, ack) -> ack.send(args.toArray()));
 *     // connect a client to server.url()
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    /** The official v5 suite's timings: ping every 300 ms, 200 ms timeout, 1 MB payloads, CORS for any origin. */
    public static final UnaryOperator<EngineOptions.Builder> SUITE_ENGINE = b -> b
            .path("/socket.io/")
            .pingIntervalMillis(300)
            .pingTimeoutMillis(200)
            .maxPayload(1_000_000)
            .cors(CorsPolicy.anyOrigin(false));

    private final SocketIoServer io;
    private final HttpServer http;

    private TestServer(SocketIoOptions options) throws InterruptedException {
        this.io = SocketIoServer.create(options);
        this.http = io.mount(HttpServer.builder().host("127.0.0.1").port(0).ioThreads(2)).start();
    }

    /** Default Socket.IO options (25 s pings), path {@code /socket.io/}. */
    public static TestServer start() throws InterruptedException {
        return start(o -> o);
    }

    /** Options changed by {@code customise}, starting from the defaults. */
    public static TestServer start(UnaryOperator<SocketIoOptions.Builder> customise) throws InterruptedException {
        return new TestServer(customise.apply(SocketIoOptions.builder()).build());
    }

    /** The official v5 suite's settings (300/200 ms heartbeat, connectTimeout 1 s). */
    public static TestServer startWithSuiteTimings(Consumer<SocketIoServer> handlers) throws InterruptedException {
        TestServer server = start(o -> o.engine(SUITE_ENGINE.apply(EngineOptions.builder()).build())
                .connectTimeoutMillis(1000));
        handlers.accept(server.io());
        return server;
    }

    public SocketIoServer io() {
        return io;
    }

    public int port() {
        return http.port();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code ws://127.0.0.1:<port>/socket.io/?EIO=4&transport=websocket} */
    public String webSocketUrl() {
        return "ws://127.0.0.1:" + port() + "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    public void close() {
        io.close();
        http.close();
    }
}
