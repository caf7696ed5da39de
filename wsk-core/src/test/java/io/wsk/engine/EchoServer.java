package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.wsk.http.HttpServer;
import io.wsk.protocol.EngineFrame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A real wsk Engine.IO endpoint on a free loopback port that echoes every message (text as text,
 * binary as binary), like the server the official suite expects. Records what it saw, for tests
 * that check the server side too.
 */
public final class EchoServer implements AutoCloseable {

    /** The official suite's settings: 300 ms pings, 200 ms timeout, 1 MB payloads, CORS for any origin. */
    public static final UnaryOperator<EngineOptions.Builder> SUITE_OPTIONS = b -> b
            .path("/engine.io/")
            .pingIntervalMillis(300)
            .pingTimeoutMillis(200)
            .maxPayload(1_000_000)
            .cors(CorsPolicy.anyOrigin(false));

    private final Engine engine;
    private final HttpServer server;
    /** Close reasons reported to the listener, in order. */
    public final List<String> closeReasons = new CopyOnWriteArrayList<>();
    /** Sessions opened, in order. */
    public final List<EngineSession> opened = new CopyOnWriteArrayList<>();
    /** Messages received (and echoed), every session's. */
    public final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();

    private EchoServer(EngineOptions options) throws InterruptedException {
        this.engine = new Engine(options, session -> {
            opened.add(session);
            session.setListener(new SessionListener() {
                @Override
                public void onMessage(EngineSession s, ByteBuf data, boolean binary) {
                    received.incrementAndGet();
                    ByteBuf copy = s.alloc().buffer(data.readableBytes() + 1);
                    if (!binary) {
                        copy.writeByte('4');
                    }
                    copy.writeBytes(data, data.readerIndex(), data.readableBytes());
                    EngineFrame frame = binary ? EngineFrame.binaryMessage(copy) : EngineFrame.encodedMessage(copy);
                    s.send(frame);
                    frame.release();
                }

                @Override
                public void onClose(EngineSession s, String reason) {
                    closeReasons.add(reason);
                }
            });
        });
        this.server = HttpServer.builder().host("127.0.0.1").port(0).ioThreads(2)
                .routePrefix(options.path(), engine).maxBodyBytes(options.maxPayload())
                .start();
    }

    /** An echo server with the official suite's settings. */
    public static EchoServer start() throws InterruptedException {
        return start(SUITE_OPTIONS);
    }

    /** An echo server with the suite's settings changed by {@code customise}. */
    public static EchoServer start(UnaryOperator<EngineOptions.Builder> customise) throws InterruptedException {
        return new EchoServer(customise.apply(SUITE_OPTIONS.apply(EngineOptions.builder())).build());
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Engine engine() {
        return engine;
    }

    /** The server's open client connections. */
    public io.netty.channel.group.ChannelGroup connections() {
        return server.connections();
    }

    @Override
    public void close() {
        engine.close();
        server.close();
    }
}
