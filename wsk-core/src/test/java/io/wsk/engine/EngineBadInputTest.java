package io.wsk.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile or broken input: every case must end in a clear error reply or a closed connection or
 * session, and leave a server that still opens new sessions.
 */
class EngineBadInputTest extends EngineTestSupport {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    // ---- malformed packets ----

    @ParameterizedTest
    @ValueSource(strings = {"", "9x", "b!!!", "4ok\u001e"})
    void malformedPollingPayloadEndsTheSession(String body) {
        String sid = http.handshake();

        HttpResponse<String> post = http.post(sid, body);

        // like the reference server: the POST itself is read ("ok"), then the session is gone
        assertThat(post.statusCode()).isEqualTo(200);
        assertSessionGone(sid);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_PARSE_ERROR);
        assertServesFreshHandshake();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9x", "b!!!"})
    void malformedWebSocketPacketClosesTheConnection(String text) {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        ws.sendText(text);

        assertClosedPromptly(ws);
        awaitCloseReasons(EngineSession.REASON_PARSE_ERROR);
        assertServesFreshHandshake();
    }

    // ---- session ids ----

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "FORGED"})
    void requestsForAnUnknownSidAreRefused(String kind) throws IOException {
        String realSid = http.handshake();
        String sid = kind.equals("FORGED") ? forgedSid() : kind;

        assertEngineError(http.poll(sid), 400, 1, "Session ID unknown");
        assertEngineError(http.post(sid, "4hello"), 400, 1, "Session ID unknown");
        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), wsQuery(sid)));
        assertEngineError(connection.readResponse(), 400, 1, "Session ID unknown");

        assertThat(server.engine().session(realSid)).as("the real session is untouched").isNotNull();
        assertServesFreshHandshake();
    }

    /** 20 random URL-safe characters: shaped like a real sid, but never issued. */
    private static String forgedSid() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- query parameters ----

    @ParameterizedTest
    @ValueSource(strings = {"transport=polling", "EIO=abc&transport=polling", "EIO=3&transport=polling",
            "EIO=3&transport=websocket"})
    void unsupportedProtocolVersionIsRefused(String query) throws IOException {
        if (query.endsWith("websocket")) {
            RawConnection connection = raw();
            connection.write(RawConnection.webSocketRequest(server.port(), query));
            assertEngineError(connection.readResponse(), 400, 5, "Unsupported protocol version");
        } else {
            assertEngineError(http.get(query), 400, 5, "Unsupported protocol version");
        }
        assertThat(server.opened).isEmpty();
        assertServesFreshHandshake();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4&transport=abc", "EIO=4&transport=__proto__", "EIO=4&transport=",
            "EIO=4&transport=POLLING", "EIO=4&transport=constructor"})
    void unknownTransportIsRefused(String query) {
        assertEngineError(http.get(query), 400, 0, "Transport unknown");
        assertThat(server.opened).isEmpty();
        assertServesFreshHandshake();
    }

    // ---- sizes ----

    @Test
    void pollingBodyOfExactlyMaxPayloadIsAccepted() {
        String sid = http.handshake();
        String message = "4" + "a".repeat(1_000_000 - 1);

        HttpResponse<String> post = http.post(sid, message);

        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(http.poll(sid).body()).isEqualTo(message);
    }

    @Test
    void pollingBodyOverMaxPayloadIsRefusedWith413() throws IOException {
        String sid = http.handshake();
        byte[] body = ("4" + "a".repeat(1_000_000)).getBytes(StandardCharsets.US_ASCII);

        RawConnection connection = raw();
        connection.write("POST /engine.io/?" + PollingClient.sessionQuery(sid) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n");
        connection.write(body);

        assertThat(connection.readResponse().status()).isEqualTo(413);
        // refused by the HTTP layer on its Content-Length: the body is skipped, the keep-alive
        // connection carries on, and the session never saw the message
        connection.write("GET /engine.io/?" + PollingClient.POLLING_QUERY + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n\r\n");
        RawConnection.Response next = connection.readResponse();
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.bodyText()).startsWith("0{\"sid\":");
        assertThat(http.post(sid, "4after").statusCode()).isEqualTo(200);
        assertThat(http.poll(sid).body()).isEqualTo("4after");
        assertServesFreshHandshake();
    }

    @Test
    void webSocketFrameOverMaxPayloadClosesWith1009() throws IOException {
        RawConnection connection = openRawWebSocket();

        // announce a 1,000,001-byte text frame: refused on its header
        connection.write(RawConnection.frameHeader(true, RawConnection.OP_TEXT, 1_000_001));
        connection.write(new byte[] {1, 2, 3, 4});

        RawConnection.Frame close = connection.readFrame();
        assertThat(close.opcode()).isEqualTo(RawConnection.OP_CLOSE);
        assertThat(close.closeCode()).isEqualTo(1009);
        assertThat(connection.closedByServerWithin(CLOSE_WAIT)).as("connection closed").isTrue();
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_CLOSE);
        assertServesFreshHandshake();
    }

    @Test
    void fragmentedWebSocketMessageOverMaxPayloadClosesWith1009() throws IOException {
        RawConnection connection = openRawWebSocket();

        // two fragments, each under the limit, together over it
        byte[] half = ("4" + "a".repeat(599_999)).getBytes(StandardCharsets.US_ASCII);
        connection.sendFrame(false, RawConnection.OP_TEXT, half);
        connection.sendFrame(true, RawConnection.OP_CONTINUATION, "a".repeat(600_000).getBytes(StandardCharsets.US_ASCII));

        RawConnection.Frame close = connection.readFrame();
        assertThat(close.opcode()).isEqualTo(RawConnection.OP_CLOSE);
        assertThat(close.closeCode()).isEqualTo(1009);
        assertThat(connection.closedByServerWithin(CLOSE_WAIT)).as("connection closed").isTrue();
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_CLOSE);
        assertServesFreshHandshake();
    }

    @Test
    void webSocketTextFrameWithInvalidUtf8ClosesWith1007() throws IOException {
        RawConnection connection = openRawWebSocket();

        connection.sendFrame(true, RawConnection.OP_TEXT, new byte[] {'4', (byte) 0xc3, 0x28});

        RawConnection.Frame close = connection.readFrame();
        assertThat(close.opcode()).isEqualTo(RawConnection.OP_CLOSE);
        assertThat(close.closeCode()).isEqualTo(1007);
        assertThat(connection.closedByServerWithin(CLOSE_WAIT)).as("connection closed").isTrue();
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_CLOSE);
        assertServesFreshHandshake();
    }

    @Test
    void thousandsOfHeadersAreRefusedWith431() throws IOException {
        StringBuilder request = new StringBuilder("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
        for (int i = 0; i < 5000; i++) {
            request.append("X-h").append(i).append(": v\r\n");
        }
        request.append("\r\n");

        RawConnection connection = raw();
        connection.write(request.toString());

        assertThat(connection.readResponse().status()).isEqualTo(431);
        assertThat(connection.closedByServerWithin(CLOSE_WAIT)).as("connection closed").isTrue();
        assertThat(server.opened).isEmpty();
        assertServesFreshHandshake();
    }

    @Test
    void overlongRequestLineIsRefusedWith414() throws IOException {
        RawConnection connection = raw();
        connection.write("GET /engine.io/?EIO=4&transport=polling&x=" + "a".repeat(20_000) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n\r\n");

        assertThat(connection.readResponse().status()).isEqualTo(414);
        assertThat(connection.closedByServerWithin(CLOSE_WAIT)).as("connection closed").isTrue();
        assertThat(server.opened).isEmpty();
        assertServesFreshHandshake();
    }

    // ---- polling misuse ----

    @Test
    void twoConcurrentPollsEndTheSession() throws Exception {
        String sid = http.handshake();

        CompletableFuture<HttpResponse<String>> first = http.pollAsync(sid, "");
        awaitPendingPoll(sid);
        HttpResponse<String> second = http.poll(sid);

        assertThat(second.statusCode()).isEqualTo(400);
        HttpResponse<String> firstResponse = first.get(5, TimeUnit.SECONDS);
        assertThat(firstResponse.statusCode()).isEqualTo(200);
        assertThat(firstResponse.body()).isEqualTo("1");
        assertSessionGone(sid);
        assertServesFreshHandshake();
    }

    @Test
    void postToASessionThatUpgradedIsRefused() {
        String sid = http.handshake();
        WsTestClient ws = ws(wsQuery(sid));
        ws.sendText("2probe");
        assertThat(ws.nextText()).isEqualTo("3probe");
        ws.sendText("5");
        ws.sendText("4sync");
        assertThat(ws.nextText()).as("upgrade done").isEqualTo("4sync");

        assertEngineError(http.post(sid, "4hello"), 400, 3, "Bad request");

        ws.sendText("4still here");
        assertThat(ws.nextText()).isEqualTo("4still here");
        assertServesFreshHandshake();
    }

    @Test
    void binaryPostBodyIsRefusedAndEndsTheSession() {
        String sid = http.handshake();

        HttpResponse<String> post = http.send(http.request(PollingClient.sessionQuery(sid))
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(new byte[] {4, 1, 2, 3}))
                .build());

        assertEngineError(post, 400, 3, "Bad request");
        assertSessionGone(sid);
        assertServesFreshHandshake();
    }

    @Test
    void pingFromThePollingClientEndsTheSession() {
        String sid = http.handshake();

        http.post(sid, "2");

        assertSessionGone(sid);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_TRANSPORT_ERROR);
        assertServesFreshHandshake();
    }

    @Test
    void pingFromTheWebSocketClientClosesTheConnection() {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        ws.sendText("2");

        assertClosedPromptly(ws);
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_ERROR);
        assertServesFreshHandshake();
    }

    // ---- WebSocket handshake misuse ----

    @Test
    void garbageAfterTheWebSocketHandshakeClosesTheConnection() throws IOException {
        RawConnection connection = openRawWebSocket();

        // reserved opcode, RSV bits set, no mask: not a frame any client may send
        connection.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00, 0x13, 0x37});

        assertThat(connection.closedByServerWithin(CLOSE_WAIT)).as("connection closed").isTrue();
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_CLOSE);
        assertServesFreshHandshake();
    }

    @Test
    void webSocketHandshakeWithoutKeyIsRefused() throws IOException {
        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), wsQuery(), false));

        assertEngineError(connection.readResponse(), 400, 3, "Bad request");
        assertThat(server.opened).isEmpty();
        assertServesFreshHandshake();
    }

    @Test
    void webSocketFromADisallowedOriginIsRefused() throws Exception {
        restartWith(b -> b.webSocketOrigins(OriginPolicy.only(List.of("https://good.example"))));

        RawConnection evil = raw();
        evil.write(RawConnection.webSocketRequest(server.port(), wsQuery(), "Origin: https://evil.example"));
        assertEngineError(evil.readResponse(), 403, 4, "Origin not allowed");
        assertThat(server.opened).isEmpty();

        RawConnection good = raw();
        good.write(RawConnection.webSocketRequest(server.port(), wsQuery(), "Origin: https://good.example"));
        assertThat(good.readResponse().status()).isEqualTo(101);
        assertServesFreshHandshake();
    }

    @Test
    void handshakeFilterRefusalIsAnswered403WithItsMessage() throws Exception {
        restartWith(b -> b.handshakeFilter(exchange ->
                "let-me-in".equals(exchange.headers().get("X-Token")) ? null : "Token required"));

        assertEngineError(http.get(PollingClient.POLLING_QUERY), 403, 4, "Token required");
        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), wsQuery()));
        assertEngineError(connection.readResponse(), 403, 4, "Token required");
        assertThat(server.opened).isEmpty();

        HttpResponse<String> allowed = http.send(http.request(PollingClient.POLLING_QUERY)
                .header("X-Token", "let-me-in").GET().build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).startsWith("0{\"sid\":");
    }

    /** A raw WebSocket session past its 101 and open packet. */
    private RawConnection openRawWebSocket() throws IOException {
        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), wsQuery()));
        assertThat(connection.readResponse().status()).isEqualTo(101);
        RawConnection.Frame open = connection.readFrame();
        assertThat(open.opcode()).isEqualTo(RawConnection.OP_TEXT);
        assertThat(open.text()).startsWith("0{\"sid\":");
        return connection;
    }
}
