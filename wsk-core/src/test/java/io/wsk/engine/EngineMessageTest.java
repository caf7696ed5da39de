package io.wsk.engine;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sending and receiving messages, and what ends a session, over polling and WebSocket. */
class EngineMessageTest extends EngineTestSupport {

    private static final String SEP = "\u001e";

    // ---- polling ----

    @Test
    // official suite: E08
    void pollingEchoesOneTextPacket() {
        String sid = http.handshake();

        HttpResponse<String> post = http.post(sid, "4hello");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("ok");

        HttpResponse<String> get = http.poll(sid);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("4hello");
    }

    @Test
    // official suite: E09
    void pollingEchoesSeveralTextPacketsInOneResponseInOrder() {
        String sid = http.handshake();

        HttpResponse<String> post = http.post(sid, "4test1" + SEP + "4test2" + SEP + "4test3");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("ok");

        HttpResponse<String> get = http.poll(sid);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("4test1" + SEP + "4test2" + SEP + "4test3");
    }

    @Test
    // official suite: E10
    void pollingEchoesTextAndBase64BinaryPackets() {
        String sid = http.handshake();

        // bAQIDBA== is the binary message 01 02 03 04
        HttpResponse<String> post = http.post(sid, "4hello" + SEP + "bAQIDBA==");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("ok");

        HttpResponse<String> get = http.poll(sid);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("4hello" + SEP + "bAQIDBA==");
    }

    @Test
    // official suite: E11 (stricter: the POST is answered "ok", like the reference, and the session ends)
    void pollingPacketWithInvalidTypeEndsTheSession() {
        String sid = http.handshake();

        HttpResponse<String> post = http.post(sid, "abc");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("ok");

        assertSessionGone(sid);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_PARSE_ERROR);
    }

    @Test
    // official suite: E12
    void overlappingPollsEndTheSessionAndReleaseTheFirstWithAClosePacket() throws Exception {
        String sid = http.handshake();

        CompletableFuture<HttpResponse<String>> first = http.pollAsync(sid, "");
        awaitPendingPoll(sid);
        assertThat(first).as("a fresh long-poll must be held, not answered").isNotDone();
        // the suite adds an unknown query parameter to the second poll; it must be tolerated
        CompletableFuture<HttpResponse<String>> second = http.pollAsync(sid, "&t=burst");

        HttpResponse<String> firstResponse = first.get(5, TimeUnit.SECONDS);
        HttpResponse<String> secondResponse = second.get(5, TimeUnit.SECONDS);
        assertThat(firstResponse.statusCode()).isEqualTo(200);
        assertThat(firstResponse.body()).isEqualTo("1");
        // the suite accepts 400 or 500; 400 is what keeps E13 safe when abort detection is late
        assertThat(secondResponse.statusCode()).isEqualTo(400);

        assertSessionGone(sid);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_TRANSPORT_ERROR);
    }

    @Test
    // official suite: E13
    void abortedPollEndsTheSession() throws Exception {
        String sid = http.handshake();

        RawConnection pending = raw();
        pending.write("GET /engine.io/?" + PollingClient.sessionQuery(sid) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n\r\n");
        awaitPendingPoll(sid);
        pending.close();

        // sent at once: either the server already saw the abort (unknown sid) or this GET
        // overlaps the dead one (duplicate poll); both are 400 and end the session
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_ERROR);
        assertSessionGone(sid);
    }

    // ---- WebSocket ----

    @Test
    // official suite: E14
    void webSocketEchoesATextPacket() {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        ws.sendText("4hello");

        assertThat(ws.nextText()).isEqualTo("4hello");
    }

    @Test
    // official suite: E15
    void webSocketEchoesABinaryFrameAsABinaryFrame() {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        ws.sendBinary(new byte[] {1, 2, 3, 4});

        assertThat(ws.nextBinary()).containsExactly(1, 2, 3, 4);
    }

    @Test
    // official suite: E16 (stricter: closed at once, for a parse error, not later by the heartbeat)
    void webSocketPacketWithInvalidTypeClosesTheConnection() {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        ws.sendText("abc");

        assertClosedPromptly(ws);
        awaitCloseReasons(EngineSession.REASON_PARSE_ERROR);
    }
}
