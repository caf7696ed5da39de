package io.wsk.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code conns}: opens N idle WebSocket sessions with at most M handshakes in flight, reports the
 * handshake rate, then holds them (answering pings) for a while so the server can be measured.
 *
 * <p>With {@code --warmup}, that many connections are opened and closed first (10,000 at a time),
 * before anything is measured: a generator that has not run its own code hot spends its core in
 * the JIT compiler, and the handshake rate is then its own, not the server's.
 *
 * <p>For {@code compare}: {@code MARK start} and {@code MARK end} bracket the opening (the server's
 * CPU per handshake), the {@code RESULT} line follows, and {@code MARK held} comes once every
 * connection has been open for {@code --settle} seconds, when the server's memory is read.
 */
@Command(name = "conns", mixinStandardHelpOptions = true,
        description = "Open and hold N idle Engine.IO WebSocket connections.")
final class ConnsScenario implements Callable<Integer> {

    /** Warm-up connections open at once at most: with the measured ones later, under the open-files limit. */
    private static final int WARMUP_ROUND = 10_000;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:3000/engine.io/?EIO=4&transport=websocket",
            description = "WebSocket URL of the Engine.IO endpoint (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--count", defaultValue = "10000", description = "Connections to open (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--in-flight", defaultValue = "500",
            description = "Most handshakes under way at once (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--settle", defaultValue = "3",
            description = "Seconds between the last handshake and MARK held (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--hold", defaultValue = "30",
            description = "Seconds to hold the connections after MARK held (default ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Option(names = "--warmup", defaultValue = "0",
            description = "Connections to open and close first, in this process, so the generator's own code is "
                    + "compiled before the measured ones (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--namespace",
            description = "Also join this Socket.IO namespace on each connection (e.g. /); default: raw Engine.IO.")
    String namespace;

    @Mixin
    ClientOptions connections;

    @Override
    public Integer call() throws Exception {
        SourceAddresses addresses = connections.sourceAddresses();
        for (int remaining = warmup; remaining > 0; remaining -= WARMUP_ROUND) {
            warmUp(Math.min(remaining, WARMUP_ROUND), addresses);
        }
        HandshakeBatch batch = new HandshakeBatch(count, addresses);
        try (EioWebSocketClient client = new EioWebSocketClient(url, connections.threads, namespace, batch)) {
            ResultLine.mark("start");
            batch.start(client, inFlight);
            if (!batch.await(Duration.ofSeconds(60 + count / 500))) {
                System.out.println("handshakes stalled: " + batch.opened() + " opened, " + batch.failed() + " failed");
            }
            ResultLine.mark("end");
            double seconds = batch.seconds();
            System.out.printf("opened %d of %d in %.2f s: %.0f handshakes/s; failed %d%s%n",
                    batch.opened(), count, seconds, batch.opened() / seconds, batch.failed(),
                    batch.firstFailure() == null ? "" : " (first: " + batch.firstFailure() + ")");
            new ResultLine("conns").add("count", count).add("opened", batch.opened()).add("failed", batch.failed())
                    .add("seconds", seconds).add("handshakes_per_s", Math.round(batch.opened() / seconds)).print();
            Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
            ResultLine.mark("held");
            Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        }
        return batch.failed() == 0 ? 0 : 1;
    }

    /** Opens {@code n} connections and closes them; a client of its own, so closing it closes them. */
    private void warmUp(int n, SourceAddresses addresses) throws InterruptedException {
        HandshakeBatch warm = new HandshakeBatch(n, addresses);
        try (EioWebSocketClient client = new EioWebSocketClient(url, connections.threads, namespace, warm)) {
            warm.start(client, inFlight);
            warm.await(Duration.ofSeconds(60 + n / 500));
        }
        System.out.printf("warm-up: opened %d of %d in %.2f s, closed%s%n", warm.opened(), n, warm.seconds(),
                warm.firstFailure() == null ? "" : "; " + warm.failed() + " failed (first: " + warm.firstFailure() + ")");
    }
}
