package io.wsk.server;

import io.wsk.engine.MiniJson;
import io.wsk.engine.PollingClient;
import io.wsk.engine.TransportName;
import io.wsk.engine.WsTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The Engine.IO part of the official Socket.IO v5 suite (S01 to S16): the same handshake,
 * heartbeat, close and upgrade rules as the Engine.IO suite, under {@code /socket.io/}, against
 * a full Socket.IO server with the suite's settings (300 ms pings, 200 ms timeout, 1 s connect
 * timeout). Where the suite is lax, these tests also check the reply bodies and that the session
 * still carries Socket.IO traffic afterwards.
 */
class SocketIoProtocolEngineTest extends SioTestSupport {

    private PollingClient http;

    @Override
    protected TestServer startServer() throws InterruptedException {
        return TestServer.startWithSuiteTimings(SioTestSupport::suiteHandlers);
    }

    @BeforeEach
    void pollingClient() {
        http = polling();
    }

    private String wsUrl(String query) {
        return "ws://127.0.0.1:" + server.port() + "/socket.io/?" + query;
    }

    private WsTestClient ws(String query) {
        return closeLater(WsTestClient.connect(URI.create(wsUrl(query))));
    }

    /** The open packet: exactly the five keys, with the suite's settings. */
    private static void assertOpenPacket(String packet, List<String> upgrades) {
        assertThat(packet).startsWith("0");
        Map<String, Object> open = MiniJson.parseObject(packet.substring(1));
        assertThat(open).containsOnlyKeys("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        assertThat(open.get("sid")).isInstanceOf(String.class);
        // the suite puts the sid into URLs without encoding it
        assertThat((String) open.get("sid")).matches("[A-Za-z0-9_-]+");
        assertThat(open.get("upgrades")).isEqualTo(upgrades);
        assertThat(open.get("pingInterval")).isEqualTo(300L);
        assertThat(open.get("pingTimeout")).isEqualTo(200L);
        assertThat(open.get("maxPayload")).isEqualTo(1_000_000L);
    }

    /** An Engine.IO error reply: the status and exactly {@code {"code":..,"message":..}}. */
    private static void assertEngineError(HttpResponse<String> response, int code, String message) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(400);
        assertThat(MiniJson.parseObject(response.body()))
                .containsExactly(Map.entry("code", (long) code), Map.entry("message", message));
    }

    private void assertSessionGone(String sid) {
        assertEngineError(http.poll(sid), 1, "Session ID unknown");
    }

    /** A WebSocket handshake that must be refused with HTTP 400 before any upgrade. */
    private void assertWebSocketRefused(String query) {
        Throwable failure = catchThrowable(() -> WsTestClient.connectAsync(URI.create(wsUrl(query)))
                .thenApply(this::closeLater).join());
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode())
                .as("status for %s", query).isEqualTo(400);
    }

    // ---- handshake, polling ----

    @Test
    // official suite: S01
    void pollingHandshakeOpensASession() {
        HttpResponse<String> response = http.get(PollingClient.POLLING_QUERY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertOpenPacket(response.body(), List.of("websocket"));
        String sid = (String) MiniJson.parseObject(response.body().substring(1)).get("sid");
        assertThat(server.io().engine().session(sid)).isNotNull();
    }

    @Test
    // official suite: S02
    void pollingHandshakeWithMissingOrInvalidEioIsRefused() {
        assertEngineError(http.get("transport=polling"), 5, "Unsupported protocol version");
        assertEngineError(http.get("EIO=abc&transport=polling"), 5, "Unsupported protocol version");
        assertThat(server.io().engine().sessionCount()).isZero();
    }

    @Test
    // official suite: S03
    void pollingHandshakeWithMissingOrUnknownTransportIsRefused() {
        assertEngineError(http.get("EIO=4"), 0, "Transport unknown");
        assertEngineError(http.get("EIO=4&transport=abc"), 0, "Transport unknown");
        assertThat(server.io().engine().sessionCount()).isZero();
    }

    @Test
    // official suite: S04
    void handshakeWithAMethodOtherThanGetIsRefused() {
        assertEngineError(http.method("POST", PollingClient.POLLING_QUERY, null), 2, "Bad handshake method");
        assertEngineError(http.method("PUT", PollingClient.POLLING_QUERY, null), 2, "Bad handshake method");
        assertThat(server.io().engine().sessionCount()).isZero();
    }

    // ---- handshake, WebSocket ----

    @Test
    // official suite: S05
    void webSocketHandshakeOpensASessionWithNoFurtherUpgrades() {
        WsTestClient ws = ws("EIO=4&transport=websocket");

        assertOpenPacket(ws.nextText(), List.of());
        assertThat(server.io().engine().sessions()).singleElement()
                .satisfies(s -> assertThat(s.transportName()).isEqualTo(TransportName.WEBSOCKET));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport=websocket", "EIO=abc&transport=websocket"})
    // official suite: S06 (stricter: refused with HTTP 400, not upgraded and closed later)
    void webSocketHandshakeWithMissingOrInvalidEioIsRefused(String query) {
        assertWebSocketRefused(query);
        assertThat(server.io().engine().sessionCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4", "EIO=4&transport=abc"})
    // official suite: S07 (stricter: refused with HTTP 400)
    void webSocketHandshakeWithMissingOrUnknownTransportIsRefused(String query) {
        assertWebSocketRefused(query);
        assertThat(server.io().engine().sessionCount()).isZero();
    }

    // ---- heartbeat ----

    @Test
    // official suite: S08
    void pollingReceivesAPingEveryIntervalAfterEachPong() {
        long start = System.nanoTime();
        String sid = http.handshake();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> get = http.poll(sid);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).as("ping %d, alone in its response", i + 1).isEqualTo("2");
            assertThat(http.post(sid, "3").statusCode()).isEqualTo(200);
        }
        // a ping a full interval after the open and after each pong, never early
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(900L);
    }

    @Test
    // official suite: S09 (stricter: the refusal is "Session ID unknown")
    void pollingSessionIsClosedOnceThePingTimeoutHasPassed() throws InterruptedException {
        String sid = http.handshake();

        // ping at 300 ms, no pong within 200 ms: the session must be gone at 500 ms
        Thread.sleep(300 + 200);

        assertSessionGone(sid);
    }

    @Test
    // official suite: S10
    void webSocketReceivesAPingEveryIntervalAfterEachPong() {
        WsTestClient ws = ws("EIO=4&transport=websocket");
        assertThat(ws.nextText()).startsWith("0");

        for (int i = 0; i < 3; i++) {
            assertThat(ws.nextText()).as("ping %d", i + 1).isEqualTo("2");
            ws.sendText("3");
        }
    }

    @Test
    // official suite: S11 (stricter: exactly one ping, then the close, at the timeout)
    void webSocketIsClosedWhenPingsGoUnanswered() {
        long start = System.nanoTime();
        WsTestClient ws = ws("EIO=4&transport=websocket");

        List<String> beforeClose = ws.awaitClose(Duration.ofSeconds(5));

        assertThat(beforeClose).hasSize(2);
        assertThat(beforeClose.get(0)).startsWith("0");
        assertThat(beforeClose.get(1)).isEqualTo("2");
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(450L);
    }

    // ---- close ----

    @Test
    // official suite: S12 (stricter: the POST is answered "ok", the session is gone as unknown)
    void pollingClosePacketReleasesThePendingPollWithANoopAndEndsTheSession() throws Exception {
        String sid = http.handshake();

        CompletableFuture<HttpResponse<String>> get = http.pollAsync(sid, "");
        CompletableFuture<HttpResponse<String>> post = http.sendAsync(http.postRequest(sid, "1"));

        HttpResponse<String> getResponse = get.get(5, TimeUnit.SECONDS);
        assertThat(getResponse.statusCode()).isEqualTo(200);
        assertThat(getResponse.body()).isEqualTo("6");
        HttpResponse<String> postResponse = post.get(5, TimeUnit.SECONDS);
        assertThat(postResponse.statusCode()).isEqualTo(200);
        assertThat(postResponse.body()).isEqualTo("ok");

        assertSessionGone(sid);
    }

    @Test
    // official suite: S13 (stricter: closed at once, not by the ping timeout ~500 ms after the open)
    void webSocketClosePacketClosesTheConnectionImmediately() {
        WsTestClient ws = ws("EIO=4&transport=websocket");
        assertThat(ws.nextText()).startsWith("0");

        long sent = System.nanoTime();
        ws.sendText("1");
        List<String> beforeClose = ws.awaitClose(Duration.ofSeconds(2));

        // a heartbeat ping may cross the close packet on a slow machine; nothing else may
        assertThat(beforeClose).allMatch("2"::equals);
        assertThat(millisSince(sent)).isLessThan(400L);
        assertThat(server.io().engine().sessionCount()).isZero();
    }

    // ---- upgrade ----

    /** Opens a polling session, probes it over a WebSocket and returns the probing socket. */
    private WsTestClient probe(String sid) {
        WsTestClient ws = ws("EIO=4&transport=websocket&sid=" + sid);
        ws.sendText("2probe");
        // the first frame must be the probe reply: no open packet on an upgrading WebSocket
        assertThat(ws.nextText()).isEqualTo("3probe");
        return ws;
    }

    @Test
    // official suite: S14 (stricter: the paused poll gets a noop, and Socket.IO then works over the WebSocket)
    void pollingSessionUpgradesToWebSocket() {
        String sid = http.handshake();
        WsTestClient ws = probe(sid);

        HttpResponse<String> get = http.poll(sid);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("6");
        ws.sendText("5");

        ws.sendText("40");
        SioClient.sidOf(ws.nextText(), "");
        assertThat(ws.nextText()).isEqualTo("42[\"auth\",{}]");
        assertThat(server.io().engine().session(sid).transportName()).isEqualTo(TransportName.WEBSOCKET);
    }

    @Test
    // official suite: S15 (stricter: "Bad request", and the upgraded session still works)
    void pollingRequestsAfterTheUpgradeAreRefused() {
        String sid = http.handshake();
        WsTestClient ws = probe(sid);
        ws.sendText("5");

        // sent right after the upgrade packet, on another connection
        assertEngineError(http.poll(sid), 3, "Bad request");

        ws.sendText("40");
        SioClient.sidOf(ws.nextText(), "");
        assertThat(ws.nextText()).isEqualTo("42[\"auth\",{}]");
    }

    @Test
    // official suite: S16 (stricter: the intruder gets its 101, nothing else, and the session still works)
    void secondWebSocketForAnUpgradedSessionIsAcceptedThenClosed() throws Exception {
        String sid = http.handshake();
        WsTestClient ws = probe(sid);
        ws.sendText("5");

        // the suite's client has no error listener here: an HTTP refusal would fail it
        WsTestClient intruder = closeLater(WsTestClient.connectAsync(URI.create(wsUrl("EIO=4&transport=websocket&sid=" + sid)))
                .get(5, TimeUnit.SECONDS));
        assertThat(intruder.awaitClose(Duration.ofSeconds(2))).as("frames to the second socket").isEmpty();

        ws.sendText("40");
        SioClient.sidOf(ws.nextText(), "");
        assertThat(ws.nextText()).isEqualTo("42[\"auth\",{}]");
    }
}
