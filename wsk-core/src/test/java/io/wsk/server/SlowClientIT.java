package io.wsk.server;

import io.wsk.engine.EngineSession;
import io.wsk.engine.RawConnection;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stalled client among well-behaved ones: the official {@code socket.io-client}s (WebSocket
 * and polling) get every broadcast, in order, while the client that stopped reading is closed
 * as slow and what waited for it goes with it.
 */
class SlowClientIT {

    private TestServer server;
    private SocketIoClient websocket;
    private SocketIoClient polling;
    private RawConnection stalled;

    @AfterEach
    void stop() throws Exception {
        SocketIoClient.closeAll(java.util.Arrays.asList(websocket, polling).stream().filter(c -> c != null).toList());
        if (stalled != null) {
            stalled.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void wellBehavedClientsLoseNothingWhileAStalledOneIsClosedAsSlow() throws Exception {
        server = TestServer.start();
        BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        server.io().onDisconnect((socket, reason) -> reasons.add(reason));
        websocket = SocketIoClient.connect(server.url(), Map.of("transports", List.of("websocket")));
        polling = SocketIoClient.connect(server.url(), Map.of("transports", List.of("polling")));
        websocket.awaitConnect();
        polling.awaitConnect();
        stalled = RawConnection.openWithReceiveBuffer(server.port(), 4096);
        stalled.openWebSocketSession(server.port(), "/socket.io/");
        stalled.sendText("40");

        String pad = "p".repeat(64 * 1024);
        int count = 200;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            // 100 a second, 6.4 MB/s: what a healthy client takes, far more than the stalled one's window
            while (System.nanoTime() - start < i * 10_000_000L) {
                Thread.sleep(1);
            }
            server.io().emit("big", i, pad);
        }

        assertThat(reasons.poll(10, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.SLOW_CLIENT);
        for (SocketIoClient client : List.of(websocket, polling)) {
            for (int i = 0; i < count; i++) {
                assertThat(client.awaitReceived("big", Duration.ofSeconds(20)).args().get(0).asInt()).isEqualTo(i);
            }
        }
        assertThat(reasons).as("nobody else disconnected").isEmpty();
        assertThat(server.io().engine().slowClients().count()).isEqualTo(1);
        assertThat(server.io().engine().sessions()).hasSize(2).allMatch(EngineSession::isOpen);
        for (EngineSession session : server.io().engine().sessions()) {
            long queued = session.eventLoop().submit(session::queuedBytes).get(5, TimeUnit.SECONDS);
            assertThat(queued).isLessThanOrEqualTo(server.io().engine().options().maxOutboundBytes());
        }
    }
}
