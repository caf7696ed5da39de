package io.wsk.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fresh {@link EchoServer} with the official suite's settings for every test (so sessions and
 * close reasons never leak between tests), clients that are cleaned up afterwards, and the
 * assertions the Engine.IO tests share.
 */
abstract class EngineTestSupport {

    protected EchoServer server;
    protected PollingClient http;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private static volatile boolean warmedUp;

    /**
     * Runs one polling and one WebSocket handshake against a throwaway server, once per JVM. The
     * JDK's HTTP and WebSocket clients load a lot on first use; without this the first test of a
     * run can take over 300 ms from open to its first packet, and then meets a heartbeat ping.
     */
    @BeforeAll
    static void warmUpClients() throws InterruptedException {
        if (warmedUp) {
            return;
        }
        try (EchoServer warm = EchoServer.start()) {
            new PollingClient(warm.baseUrl()).handshake();
            try (WsTestClient ws = WsTestClient.connect(warm.baseUrl(), wsQuery())) {
                ws.nextText();
            }
        }
        warmedUp = true;
    }

    @BeforeEach
    void startServer() throws InterruptedException {
        useServer(EchoServer.start());
    }

    @AfterEach
    void stopServer() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
        server.close();
    }

    /** Replaces the default server with one whose suite settings are changed by {@code customise}. */
    protected void restartWith(UnaryOperator<EngineOptions.Builder> customise) throws InterruptedException {
        server.close();
        useServer(EchoServer.start(customise));
    }

    private void useServer(EchoServer s) {
        server = s;
        http = new PollingClient(s.baseUrl());
    }

    /** A WebSocket to {@code /engine.io/?<query>}, connected (101 received). */
    protected WsTestClient ws(String query) {
        return closeLater(WsTestClient.connect(server.baseUrl(), query));
    }

    /** A raw TCP connection to the server. */
    protected RawConnection raw() throws IOException {
        return closeLater(RawConnection.open(server.port()));
    }

    protected <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.push(resource);
        return resource;
    }

    protected static String wsQuery() {
        return "EIO=4&transport=websocket";
    }

    protected static String wsQuery(String sid) {
        return wsQuery() + "&sid=" + sid;
    }

    // ---- assertions ----

    /**
     * An Engine.IO error reply: the status, JSON content type, exactly {@code {"code","message"}},
     * and the CORS header (the suite's server enables CORS for any origin).
     */
    protected static void assertEngineError(HttpResponse<String> response, int status, int code, String message) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(MiniJson.parseObject(response.body()))
                .containsExactly(Map.entry("code", (long) code), Map.entry("message", message));
    }

    /** The same, for a reply read off a raw connection. */
    protected static void assertEngineError(RawConnection.Response response, int status, int code, String message) {
        assertThat(response.status()).as("status").isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(MiniJson.parseObject(response.bodyText()))
                .containsExactly(Map.entry("code", (long) code), Map.entry("message", message));
    }

    /** The session is unknown to the server: a poll gets 400 "Session ID unknown". */
    protected void assertSessionGone(String sid) {
        assertEngineError(http.poll(sid), 400, 1, "Session ID unknown");
    }

    /** The server still opens sessions normally, over polling and over WebSocket. */
    protected void assertServesFreshHandshake() {
        String sid = http.handshake();
        assertThat(server.engine().session(sid)).as("new polling session").isNotNull();
        try (WsTestClient ws = WsTestClient.connect(server.baseUrl(), wsQuery())) {
            assertThat(ws.nextText()).startsWith("0{\"sid\":");
        }
    }

    /**
     * Waits for the server to end {@code ws} and checks nothing but heartbeat pings came first:
     * a ping may cross a slow client's last packet, anything else may not.
     */
    protected static void assertClosedPromptly(WsTestClient ws) {
        assertThat(ws.awaitClose(Duration.ofSeconds(2))).as("messages before the close").allMatch("2"::equals);
    }

    /** Waits until the server holds a long-poll GET for {@code sid} (asked on the session's loop). */
    protected void awaitPendingPoll(String sid) {
        EngineSession session = server.engine().session(sid);
        assertThat(session).as("session " + sid).isNotNull();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(1)).until(() -> session.eventLoop()
                .submit(() -> {
                    PollingTransport polling = session.pollingTransport();
                    return polling != null && polling.isWritable();
                })
                .get(1, TimeUnit.SECONDS));
    }

    /** Waits until the server has reported exactly these session close reasons, in order. */
    protected void awaitCloseReasons(String... reasons) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(server.closeReasons).containsExactly(reasons));
    }
}
