package io.wsk.engine;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A WebSocket client on {@link java.net.http.WebSocket} that records everything it receives, in
 * order, like the suite's client: every message counts, so an unexpected extra frame is seen.
 * Public so that the Socket.IO tests ({@code io.wsk.server}) use the same client.
 */
public final class WsTestClient implements WebSocket.Listener, AutoCloseable {

    public sealed interface Event permits Text, Binary, Closed, Failed {
    }

    public record Text(String text) implements Event {
    }

    public record Binary(byte[] bytes) implements Event {
    }

    /** A close frame from the server. */
    public record Closed(int code, String reason) implements Event {
    }

    /** The connection failed or was cut without a close frame. */
    public record Failed(Throwable error) implements Event {
    }

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder textParts = new StringBuilder();
    private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();
    private volatile WebSocket socket;

    private WsTestClient() {
    }

    /** {@code baseUrl} is {@code http://host:port}; {@code query} follows {@code /engine.io/?}. */
    static CompletableFuture<WsTestClient> connectAsync(String baseUrl, String query) {
        return connectAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/engine.io/?" + query));
    }

    /** Opens a WebSocket to {@code uri} ({@code ws://...}); fails with the handshake's error. */
    public static CompletableFuture<WsTestClient> connectAsync(URI uri) {
        WsTestClient client = new WsTestClient();
        return PollingClient.HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, client)
                .thenApply(ws -> client);
    }

    /** Connects and waits for the 101. */
    static WsTestClient connect(String baseUrl, String query) {
        return await(connectAsync(baseUrl, query), query);
    }

    /** Connects to {@code uri} and waits for the 101. */
    public static WsTestClient connect(URI uri) {
        return await(connectAsync(uri), uri);
    }

    private static WsTestClient await(CompletableFuture<WsTestClient> connecting, Object target) {
        try {
            return connecting.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("WebSocket handshake failed for " + target, e);
        }
    }

    public WebSocket socket() {
        return socket;
    }

    // ---- listener ----

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        textParts.append(data);
        if (last) {
            events.add(new Text(textParts.toString()));
            textParts.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binaryParts.writeBytes(chunk);
        if (last) {
            events.add(new Binary(binaryParts.toByteArray()));
            binaryParts.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Failed(error));
    }

    // ---- test side ----

    /** The next event, failing when none comes within {@code wait}. */
    public Event next(Duration wait) {
        try {
            Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("no WebSocket event within " + wait.toMillis() + " ms");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next event, or {@code null} when none comes within {@code wait}. */
    public Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event, which must be a text message. */
    public String nextText(Duration wait) {
        Event event = next(wait);
        assertThat(event).as("next WebSocket event").isInstanceOf(Text.class);
        return ((Text) event).text();
    }

    public String nextText() {
        return nextText(DEFAULT_WAIT);
    }

    /** The next event, which must be a binary message. */
    public byte[] nextBinary() {
        Event event = next(DEFAULT_WAIT);
        assertThat(event).as("next WebSocket event").isInstanceOf(Binary.class);
        return ((Binary) event).bytes();
    }

    /**
     * Waits for the connection to end (close frame or cut) and returns the text of the messages
     * received before it, in order.
     */
    public List<String> awaitClose(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> before = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("WebSocket not closed within " + wait.toMillis() + " ms; received " + before);
            }
            Event event = next(Duration.ofNanos(left));
            if (event instanceof Closed || event instanceof Failed) {
                return before;
            }
            before.add(event instanceof Text t ? t.text() : "<binary>");
        }
    }

    /** Waits for a close frame (not a mere cut) and returns it. */
    public Closed awaitCloseFrame(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no close frame within " + wait.toMillis() + " ms");
            }
            Event event = next(Duration.ofNanos(left));
            if (event instanceof Failed failed) {
                throw new AssertionError("connection failed instead of a close frame", failed.error());
            }
            if (event instanceof Closed closed) {
                return closed;
            }
        }
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Drops the connection without ceremony; safe to call more than once. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }
}
