package io.wsk.bench;

import io.netty.channel.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code conns}: opens N idle WebSocket sessions with at most M handshakes in flight, reports the
 * handshake rate, then holds them (answering pings) for a while so the server can be measured.
 *
 * <p>For {@code compare}: {@code MARK start} and {@code MARK end} bracket the opening (the server's
 * CPU per handshake), the {@code RESULT} line follows, and {@code MARK held} comes once every
 * connection has been open for {@code --settle} seconds, when the server's memory is read.
 */
@Command(name = "conns", mixinStandardHelpOptions = true,
        description = "Open and hold N idle Engine.IO WebSocket connections.")
final class ConnsScenario implements Callable<Integer> {

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

    @Option(names = "--namespace",
            description = "Also join this Socket.IO namespace on each connection (e.g. /); default: raw Engine.IO.")
    String namespace;

    @Mixin
    ClientOptions connections;

    @Override
    public Integer call() throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastOpenedAt = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        SourceAddresses addresses = connections.sourceAddresses();
        EioWebSocketClient.Events events = new EioWebSocketClient.Events() {
            @Override
            public void opened(Channel channel) {
                lastOpenedAt.set(System.nanoTime());
                opened.incrementAndGet();
                permits.release();
            }

            @Override
            public void failed(Throwable cause) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, cause);
                permits.release();
            }
        };
        try (EioWebSocketClient client = new EioWebSocketClient(url, connections.threads, namespace, events)) {
            ResultLine.mark("start");
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                    System.out.println("handshakes stalled: " + opened.get() + " opened");
                    break;
                }
                client.connect(addresses.next(), events::failed);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (opened.get() + failed.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ResultLine.mark("end");
            // Up to the last handshake, not the polling loop's wake-up.
            double seconds = Math.max(1, (opened.get() == 0 ? System.nanoTime() : lastOpenedAt.get()) - start) / 1e9;
            System.out.printf("opened %d of %d in %.2f s: %.0f handshakes/s; failed %d%s%n",
                    opened.get(), count, seconds, opened.get() / seconds, failed.get(),
                    firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")");
            new ResultLine("conns").add("count", count).add("opened", opened.get()).add("failed", failed.get())
                    .add("seconds", seconds).add("handshakes_per_s", Math.round(opened.get() / seconds)).print();
            Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
            ResultLine.mark("held");
            Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        }
        return failed.get() == 0 ? 0 : 1;
    }
}
