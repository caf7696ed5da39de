package io.wsk.engine;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Moving a polling session to WebSocket: probe, noop for the paused poll, upgrade packet. */
class EngineUpgradeTest extends EngineTestSupport {

    /** Opens a polling session, probes it over a WebSocket and returns the probing socket. */
    private WsTestClient probe(String sid) {
        WsTestClient ws = ws(wsQuery(sid));
        ws.sendText("2probe");
        // the first frame must be the probe reply: no open packet on an upgrading WebSocket
        assertThat(ws.nextText()).isEqualTo("3probe");
        return ws;
    }

    @Test
    // official suite: E23
    void pollingSessionUpgradesToWebSocket() {
        String sid = http.handshake();
        WsTestClient ws = probe(sid);

        // once probed, a poll is released with a noop so the client can finish the upgrade
        HttpResponse<String> get = http.poll(sid);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("6");

        ws.sendText("5");
        ws.sendText("4hello");

        assertThat(ws.nextText()).isEqualTo("4hello");
        assertThat(server.engine().session(sid).transportName()).isEqualTo(TransportName.WEBSOCKET);
        assertThat(server.closeReasons).isEmpty();
    }

    @Test
    // official suite: E24
    void pollingRequestsAfterTheUpgradeAreRefusedWithoutHarmingTheSession() {
        String sid = http.handshake();
        WsTestClient ws = probe(sid);
        ws.sendText("5");

        // sent right after the upgrade packet, on another connection
        assertEngineError(http.poll(sid), 400, 3, "Bad request");

        ws.sendText("4hello");
        assertThat(ws.nextText()).isEqualTo("4hello");
        assertThat(server.closeReasons).isEmpty();
    }

    @Test
    // official suite: E25 (stricter: the second WebSocket gets its 101 and is then closed)
    void secondWebSocketForAnUpgradedSessionIsAcceptedThenClosedWithoutHarmingTheSession() throws Exception {
        String sid = http.handshake();
        WsTestClient ws = probe(sid);
        ws.sendText("5");

        // the suite's client has no error listener here: an HTTP refusal would fail it
        CompletableFuture<WsTestClient> second = WsTestClient.connectAsync(server.baseUrl(), wsQuery(sid));
        WsTestClient intruder = closeLater(second.get(5, TimeUnit.SECONDS));
        assertThat(intruder.awaitClose(Duration.ofSeconds(2))).as("messages to the second socket").isEmpty();

        ws.sendText("4hello");
        assertThat(ws.nextText()).isEqualTo("4hello");
        assertThat(server.closeReasons).isEmpty();
    }
}
