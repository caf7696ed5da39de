package io.wsk.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening a session, and refusing bad handshakes, over polling and WebSocket (Engine.IO v4). */
class EngineHandshakeTest extends EngineTestSupport {

    /** The open packet's JSON: exactly these five keys, with the suite's settings. */
    private static void assertOpenPacket(String packet, List<String> upgrades) {
        assertThat(packet).startsWith("0");
        Map<String, Object> open = MiniJson.parseObject(packet.substring(1));
        assertThat(open).containsOnlyKeys("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        // sids go into URLs unencoded, so they must be URL-safe; ours are 20 base64url chars
        assertThat(open.get("sid")).isInstanceOf(String.class);
        assertThat((String) open.get("sid")).matches("[A-Za-z0-9_-]{20}");
        assertThat(open.get("upgrades")).isEqualTo(upgrades);
        assertThat(open.get("pingInterval")).isEqualTo(300L);
        assertThat(open.get("pingTimeout")).isEqualTo(200L);
        assertThat(open.get("maxPayload")).isEqualTo(1_000_000L);
    }

    // ---- polling ----

    @Test
    // official suite: E01
    void pollingHandshakeOpensSessionAndOffersWebSocketUpgrade() {
        HttpResponse<String> response = http.get(PollingClient.POLLING_QUERY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=UTF-8");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertOpenPacket(response.body(), List.of("websocket"));
        String sid = (String) MiniJson.parseObject(response.body().substring(1)).get("sid");
        assertThat(server.engine().session(sid)).isNotNull();
    }

    @Test
    // official suite: E02
    void pollingHandshakeWithMissingOrInvalidEioIsRefused() {
        assertEngineError(http.get("transport=polling"), 400, 5, "Unsupported protocol version");
        assertEngineError(http.get("EIO=abc&transport=polling"), 400, 5, "Unsupported protocol version");
        assertThat(server.opened).isEmpty();
    }

    @Test
    // official suite: E03
    void pollingHandshakeWithMissingOrUnknownTransportIsRefused() {
        assertEngineError(http.get("EIO=4"), 400, 0, "Transport unknown");
        assertEngineError(http.get("EIO=4&transport=abc"), 400, 0, "Transport unknown");
        assertThat(server.opened).isEmpty();
    }

    @Test
    // official suite: E04
    void handshakeWithAMethodOtherThanGetIsRefused() {
        assertEngineError(http.method("POST", PollingClient.POLLING_QUERY, null), 400, 2, "Bad handshake method");
        assertEngineError(http.method("PUT", PollingClient.POLLING_QUERY, null), 400, 2, "Bad handshake method");
        assertThat(server.opened).isEmpty();
    }

    // ---- WebSocket ----

    @Test
    // official suite: E05
    void webSocketHandshakeOpensSessionWithNoFurtherUpgrades() {
        WsTestClient ws = ws(wsQuery());

        assertOpenPacket(ws.nextText(), List.of());
        assertThat(server.opened).hasSize(1);
        assertThat(server.opened.get(0).transportName()).isEqualTo(TransportName.WEBSOCKET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport=websocket", "EIO=abc&transport=websocket"})
    // official suite: E06 (stricter: the upgrade itself is refused, not accepted and then closed)
    void webSocketHandshakeWithMissingOrInvalidEioIsRefusedBeforeUpgrading(String query) throws IOException {
        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), query));

        assertEngineError(connection.readResponse(), 400, 5, "Unsupported protocol version");
        assertThat(server.opened).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4", "EIO=4&transport=abc"})
    // official suite: E07
    void webSocketHandshakeWithMissingOrUnknownTransportIsRefused(String query) throws IOException {
        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), query));

        assertEngineError(connection.readResponse(), 400, 0, "Transport unknown");
        assertThat(server.opened).isEmpty();
    }
}
