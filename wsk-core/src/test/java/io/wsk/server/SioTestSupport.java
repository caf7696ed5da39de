package io.wsk.server;

import io.wsk.engine.PollingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.fail;

/**
 * A fresh {@link TestServer} for every test (so handlers, sockets and rooms never leak between
 * tests), hand-driven clients that are dropped afterwards, and the waits the Socket.IO tests share.
 * By default the server has the reference defaults (25 s pings, 45 s connect timeout), so no
 * heartbeat frame comes between the frames a test expects; override {@link #startServer()} or
 * call {@link #restart} for other settings.
 */
abstract class SioTestSupport {

    /** How long a test waits for something the server does on its own threads. */
    static final Duration WAIT = Duration.ofSeconds(2);

    protected TestServer server;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private static volatile boolean warmedUp;

    /**
     * Runs one Socket.IO connection against a throwaway server, once per JVM: the JDK's HTTP and
     * WebSocket clients load a lot on first use, and the suite-timed tests have no time for it.
     */
    @BeforeAll
    static void warmUpClients() throws InterruptedException {
        if (warmedUp) {
            return;
        }
        try (TestServer warm = TestServer.start(); SioClient client = SioClient.open(URI.create(warm.webSocketUrl()))) {
            client.connect();
            new PollingClient(warm.url(), "/socket.io/").handshake();
        }
        warmedUp = true;
    }

    @BeforeEach
    void startTestServer() throws InterruptedException {
        server = startServer();
    }

    @AfterEach
    void stopTestServer() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
        server.close();
    }

    /** The server each test starts with. */
    protected TestServer startServer() throws InterruptedException {
        return TestServer.start();
    }

    /** Replaces the test's server (and drops its clients). */
    protected TestServer restart(TestServer replacement) throws Exception {
        stopTestServer();
        server = replacement;
        return replacement;
    }

    /** A WebSocket client whose Engine.IO session is open; no namespace joined. */
    protected SioClient open() {
        return closeLater(SioClient.open(URI.create(server.webSocketUrl())));
    }

    /** A client connected to {@code /}. */
    protected SioClient connected() {
        SioClient client = open();
        client.connect();
        return client;
    }

    /** Long-polling requests to {@code /socket.io/}. */
    protected PollingClient polling() {
        return new PollingClient(server.url(), "/socket.io/");
    }

    protected <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.push(resource);
        return resource;
    }

    /**
     * The handlers the official v5 suite expects: on {@code /}, {@code auth} sent on connection,
     * {@code message} echoed as {@code message-back}, {@code message-with-ack} acknowledged with its
     * arguments; on {@code /custom}, only the {@code auth} event.
     */
    static void suiteHandlers(SocketIoServer io) {
        io.onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
        io.on("message", (socket, args, ack) -> socket.emit("message-back", args.toArray()));
        io.on("message-with-ack", (socket, args, ack) -> ack.send(args.toArray()));
        io.of("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    }

    // ---- waiting ----

    /** The value of {@code future}, failing the test when it takes longer than {@link #WAIT}. */
    static <T> T result(Future<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + WAIT.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new AssertionError("failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The failure of {@code future}, which must fail within {@code wait}. */
    static Throwable awaitFailure(CompletableFuture<?> future, Duration wait) {
        try {
            Object value = future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("completed with " + value + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("neither completed nor failed within " + wait.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next item of {@code queue}, failing when none comes within {@link #WAIT}. */
    static <T> T take(BlockingQueue<T> queue) {
        try {
            T item = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                fail("nothing within " + WAIT.toMillis() + " ms");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
