package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection state recovery, against wsk with recovery on and Node with
 * {@code connectionStateRecovery}: the server drops the client's connection, emits while it is
 * away, and the client gets its session back ({@code recovered()}, the same id) and every missed
 * event once, in order.
 */
class RecoveryIT {

    private static final Peers PEERS = new Peers(Map.of("recovery", true));

    @AfterAll
    static void closePeers() {
        PEERS.closeAll();
    }

    static java.util.stream.Stream<PeerProcess.Kind> peers() {
        return Peers.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void recoversTheSessionAndTheMissedEvents(PeerProcess.Kind kind) throws Exception {
        PeerProcess peer = PEERS.get(kind);
        // A fixed 1 s delay: the test emits while the client is surely away.
        try (Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder()
                .reconnectionDelay(Duration.ofSeconds(1)).randomizationFactor(0).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket).record(socket, "tick").record(socket, "missed");
            socket.connect();
            String id = recorder.awaitConnect();
            assertThat(socket.recovered()).isFalse();

            peer.emit("/", "tick", 0); // recovery needs an offset: one stored event at least
            Args tick = recorder.next("tick");
            assertThat(tick.size()).as("the offset is the last argument").isEqualTo(2);

            socket.emit("drop");
            assertThat(recorder.awaitDisconnect()).isEqualTo("transport close");
            peer.await(e -> e.path("event").asText().equals("disconnect") && e.path("id").asText().equals(id),
                    Recorder.TIMEOUT);
            for (int n = 1; n <= 3; n++) {
                peer.emit("/", "missed", n);
            }

            assertThat(recorder.awaitConnect()).isEqualTo(id + " recovered");
            assertThat(socket.recovered()).isTrue();
            JsonNode connection = peer.await(e -> e.path("event").asText().equals("connection"), Recorder.TIMEOUT);
            assertThat(connection.path("recovered").asBoolean()).isTrue();
            for (int n = 1; n <= 3; n++) {
                assertThat(recorder.next("missed").node(0).asInt()).isEqualTo(n);
            }
            socket.emitWithAck("echo", "sync").get(10, TimeUnit.SECONDS);
            assertThat(recorder.queue("missed")).as("each missed event once").isEmpty();
        }
    }
}
