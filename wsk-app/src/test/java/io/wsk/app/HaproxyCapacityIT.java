package io.wsk.app;

import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node at capacity behind the shipped {@code deploy/haproxy.cfg}: it answers handshakes past
 * {@code --max-connections} with 503, HAProxy retries them on another node, and the official
 * clients connect at the first attempt, none seeing an error.
 */
class HaproxyCapacityIT {

    private ClusterFixture cluster;
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close(); // and the HAProxy in front
        }
    }

    @Test
    void handshakesRefusedByAFullNodeAreRetriedOnAnotherAndEveryClientConnects() {
        cluster = new ClusterFixture(List.of(List.of("--max-connections", "1"), List.of(), List.of()));
        haproxy = cluster.behindHaproxy(ClusterFixture.SHIPPED_HAPROXY);
        List<SocketIoClient> clients = new ArrayList<>();
        // Round robin sends every third handshake to the full node: polling-only, upgrading and
        // WebSocket-only clients in turn, so each kind of handshake meets it.
        for (int i = 0; i < 9; i++) {
            if (i % 3 == 2) {
                SocketIoClient client = SocketIoClient.connect(haproxy.url(), Map.of("transports", List.of("websocket")));
                cluster.clients.add(client);
                clients.add(client);
            } else {
                clients.add(cluster.connect(haproxy.url(), i % 3 == 0));
            }
        }
        for (SocketIoClient client : clients) {
            client.awaitConnect();
        }

        cluster.nodes.get(0).awaitLog(line -> line.contains("handshakes refused (max connections reached)"),
                Duration.ofSeconds(5));
        cluster.assertNoConnectErrors();
        assertThat(haproxy.logLines()).as("some requests were retried elsewhere, none reached a client as 503")
                .noneMatch(line -> line.contains("/socket.io/") && line.matches(".* 503 .*"));
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "full");
    }
}
