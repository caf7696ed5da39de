package io.wsk.engine;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v4 heartbeat with the suite's 300 ms ping interval and 200 ms ping timeout: the server
 * pings, the client pongs, and a missing pong ends the session.
 */
class EngineHeartbeatTest extends EngineTestSupport {

    /** The suite's per-test limit for heartbeat cases. */
    private static final Duration HEARTBEAT_LIMIT = Duration.ofSeconds(5);

    @Test
    // official suite: E17
    void pollingReceivesAPingEveryIntervalAfterEachPong() {
        long start = System.nanoTime();
        String sid = http.handshake();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> get = http.poll(sid);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).as("ping %d, alone in its response", i + 1).isEqualTo("2");

            HttpResponse<String> pong = http.post(sid, "3");
            assertThat(pong.statusCode()).isEqualTo(200);
        }

        // each ping comes a full interval after the open or the previous pong, never early
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).isBetween(900L, HEARTBEAT_LIMIT.toMillis());
        assertThat(server.closeReasons).isEmpty();
    }

    @Test
    // official suite: E18
    void pollingSessionIsClosedOnceThePingTimeoutHasPassed() throws InterruptedException {
        String sid = http.handshake();

        // ping at 300 ms, no pong within 200 ms: gone at 500 ms after the open, which the client
        // sees a little later; the suite polls right at 500 ms and must find the session closed
        Thread.sleep(300 + 200);

        assertSessionGone(sid);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_PING_TIMEOUT);
    }

    @Test
    // official suite: E19
    void webSocketReceivesAPingEveryIntervalAfterEachPong() {
        WsTestClient ws = ws(wsQuery());
        assertThat(ws.nextText()).startsWith("0");

        for (int i = 0; i < 3; i++) {
            assertThat(ws.nextText(Duration.ofSeconds(2))).as("ping %d", i + 1).isEqualTo("2");
            ws.sendText("3");
        }
        assertThat(server.closeReasons).isEmpty();
    }

    @Test
    // official suite: E20 (stricter: a ping came first, and the close is a ping timeout)
    void webSocketIsClosedWhenPingsGoUnanswered() {
        long start = System.nanoTime();
        WsTestClient ws = ws(wsQuery());

        List<String> beforeClose = ws.awaitClose(HEARTBEAT_LIMIT);

        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(beforeClose).hasSize(2);
        assertThat(beforeClose.get(0)).startsWith("0");
        assertThat(beforeClose.get(1)).isEqualTo("2");
        // 300 ms to the ping plus 200 ms of timeout, counted from the open on the server
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(450L);
        awaitCloseReasons(EngineSession.REASON_PING_TIMEOUT);
    }
}
