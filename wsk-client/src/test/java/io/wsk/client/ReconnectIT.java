package io.wsk.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server is SIGKILLed and started again on the same port: the client retries with the JS
 * client's backoff (each delay checked against its jitter bounds, from the recorded times of
 * the attempts), and the emits made while the server was down reach it once each, in order.
 */
class ReconnectIT {

    private static final long MIN = 200;
    private static final long MAX = 1000;
    private static final double JITTER = 0.5;
    /** Timers never fire early; the listener thread may record an event a little late. */
    private static final long EARLY_SLACK_MILLIS = 30;
    private static final long LATE_SLACK_MILLIS = 400;

    static java.util.stream.Stream<PeerProcess.Kind> peers() {
        return Peers.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void reconnectsWithBackoffAndSendsWhatWasBufferedOnce(PeerProcess.Kind kind) throws Exception {
        try (PeerProcess peer = PeerProcess.start(kind);
             Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder()
                     .reconnectionDelay(Duration.ofMillis(MIN)).reconnectionDelayMax(Duration.ofMillis(MAX))
                     .randomizationFactor(JITTER).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket).record(socket, "b");
            socket.connect();
            String firstId = recorder.awaitConnect();

            peer.kill();
            assertThat(recorder.awaitDisconnect()).isIn("transport close", "transport error");
            for (int n = 1; n <= 3; n++) {
                socket.emit("pub", Map.of("n", n));
            }
            // Buffered with an ack: sent after the reconnection, answered then.
            java.util.concurrent.CompletableFuture<Args> echo = socket.emitWithAck("echo", "while down");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> recorder.managerEvents.stream().filter(e -> e.what().equals("error")).count() >= 4);
            peer.restart();
            String secondId = recorder.awaitConnect();
            assertThat(secondId).isNotEqualTo(firstId);

            for (int n = 1; n <= 3; n++) {
                assertThat(recorder.next("b").node(0).get("n").asInt()).isEqualTo(n);
            }
            assertThat(echo.get(10, TimeUnit.SECONDS).string(0)).isEqualTo("while down");
            socket.emitWithAck("echo", "sync").get(10, TimeUnit.SECONDS); // all sent before it are in
            assertThat(recorder.queue("b")).as("each buffered emit arrives once").isEmpty();
            checkDelays(recorder.managerEvents);
        }
    }

    /** Attempt k starts one backoff delay after the close (k = 1) or after attempt k-1 failed. */
    private static void checkDelays(List<Recorder.Timed> events) {
        List<String> problems = new ArrayList<>();
        long reference = -1;
        int attempts = 0;
        for (Recorder.Timed event : events) {
            switch (event.what()) {
                case "close", "error" -> reference = event.nanos();
                case "attempt" -> {
                    attempts++;
                    assertThat(event.attempt()).isEqualTo(attempts);
                    long delay = TimeUnit.NANOSECONDS.toMillis(event.nanos() - reference);
                    long[] bounds = Backoff.bounds(MIN, MAX, JITTER, attempts - 1);
                    if (delay < bounds[0] - EARLY_SLACK_MILLIS || delay > bounds[1] + LATE_SLACK_MILLIS) {
                        problems.add("attempt " + attempts + " after " + delay + " ms, not in [" + bounds[0] + ", "
                                + bounds[1] + "]");
                    }
                }
                case "reconnect" -> assertThat(event.attempt()).isEqualTo(attempts);
                default -> {
                }
            }
        }
        assertThat(attempts).isGreaterThanOrEqualTo(5);
        assertThat(events.get(events.size() - 1).what()).isEqualTo("reconnect");
        assertThat(problems).isEmpty();
    }
}
