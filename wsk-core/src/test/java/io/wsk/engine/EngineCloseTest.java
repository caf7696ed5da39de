package io.wsk.engine;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client closing its session with a close packet. */
class EngineCloseTest extends EngineTestSupport {

    @Test
    // official suite: E21
    void pollingClosePacketReleasesThePendingPollWithANoopAndEndsTheSession() throws Exception {
        String sid = http.handshake();

        // like the suite: both at once, on two connections; the server must cope with either order
        CompletableFuture<HttpResponse<String>> get = http.pollAsync(sid, "");
        CompletableFuture<HttpResponse<String>> post = http.sendAsync(http.postRequest(sid, "1"));

        HttpResponse<String> getResponse = get.get(5, TimeUnit.SECONDS);
        assertThat(getResponse.statusCode()).isEqualTo(200);
        assertThat(getResponse.body()).isEqualTo("6");
        HttpResponse<String> postResponse = post.get(5, TimeUnit.SECONDS);
        assertThat(postResponse.statusCode()).isEqualTo(200);
        assertThat(postResponse.body()).isEqualTo("ok");

        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_TRANSPORT_CLOSE);
    }

    @Test
    // official suite: E22 (stricter: closed at once, well before the ping timeout could do it)
    void webSocketClosePacketClosesTheConnectionImmediately() {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        long sent = System.nanoTime();
        ws.sendText("1");
        List<String> beforeClose = ws.awaitClose(Duration.ofSeconds(2));

        long elapsedMillis = (System.nanoTime() - sent) / 1_000_000;
        // a heartbeat ping may cross the close packet if the client was slow; nothing else may
        assertThat(beforeClose).allMatch("2"::equals);
        // closed by the close packet, not ~500 ms after the open by the ping timeout
        awaitCloseReasons(EngineSession.REASON_TRANSPORT_CLOSE);
        assertThat(elapsedMillis).isLessThan(400L);
    }
}
