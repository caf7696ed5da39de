package io.wsk.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients {@link ClientFootprint} compares, wsk's and the official Java client
 * ({@code io.socket:socket.io-client}; its protocol interop is wsk-core's JavaClientInteropIT), each
 * as it is configured there, against a wsk server process: they connect, connect again after the
 * server is SIGKILLed and started on the same port, and the official client with its defaults holds
 * no more than 64 connections open (what the README's figures say of it).
 */
class MeasuredClientsIT {

    private static final MeasuredClient.Backoff FAST = new MeasuredClient.Backoff(100, 0);
    private static PeerProcess peer;

    @BeforeAll
    static void startServer() {
        peer = PeerProcess.start(PeerProcess.Kind.WSK);
    }

    @AfterAll
    static void stopServer() {
        peer.close();
    }

    static Stream<String> clients() {
        return ClientFootprint.CLIENTS.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void connectsAndConnectsAgainAfterTheServerIsKilled(String name) throws Exception {
        Semaphore connects = new Semaphore(0);
        try (MeasuredClient client = ClientFootprint.CLIENTS.get(name).apply(2)) {
            MeasuredClient.Connection connection = client.open(peer.url(), FAST, connects::release);
            try {
                assertThat(connects.tryAcquire(10, TimeUnit.SECONDS)).as("connected").isTrue();
                peer.kill();
                peer.restart();
                assertThat(connects.tryAcquire(15, TimeUnit.SECONDS)).as("connected again").isTrue();
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void theOfficialClientsDefaultsHoldAtMost64ConnectionsOpen() throws Exception {
        int max = OfficialMeasuredClient.DEFAULT_MAX_CONNECTIONS;
        CountDownLatch connected = new CountDownLatch(max);
        CountDownLatch extra = new CountDownLatch(1);
        List<MeasuredClient.Connection> connections = new ArrayList<>();
        try (MeasuredClient client = OfficialMeasuredClient.defaults()) {
            try {
                for (int i = 0; i < max; i++) {
                    connections.add(client.open(peer.url(), MeasuredClient.DEFAULT_BACKOFF, connected::countDown));
                }
                assertThat(connected.await(20, TimeUnit.SECONDS)).as("the first 64 connected").isTrue();
                connections.add(client.open(peer.url(), MeasuredClient.DEFAULT_BACKOFF, extra::countDown));
                assertThat(extra.await(2, TimeUnit.SECONDS)).as("the 65th connected").isFalse();
            } finally {
                connections.forEach(MeasuredClient.Connection::close);
            }
        }
    }
}
