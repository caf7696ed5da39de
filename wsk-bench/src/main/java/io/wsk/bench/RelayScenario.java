package io.wsk.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code relay}: messages crossing the cluster bus. A publisher connected to node A sends
 * {@code pub} events at a fixed rate (open loop: it never waits for replies); the bench app
 * broadcasts each as {@code b}, which reaches receivers connected to node B only through the
 * adapter (Redis). Each message carries its scheduled send time, so latency counts from when
 * it should have left, not when a stalled sender got to it (no coordinated omission).
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Cross-node messages/s and latency through the cluster adapter.")
final class RelayScenario implements Callable<Integer> {

    @Option(names = "--publish-url", required = true, description = "Socket.IO WebSocket URL of node A.")
    URI publishUrl;

    @Option(names = "--receive-url", required = true, description = "Socket.IO WebSocket URL of node B.")
    URI receiveUrl;

    @Option(names = "--receivers", defaultValue = "1", description = "Receivers on node B (default ${DEFAULT-VALUE}).")
    int receivers;

    @Option(names = "--rate", defaultValue = "1000", description = "Messages per second to publish (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--drain", defaultValue = "2",
            description = "Seconds after the window during which its messages still count (default ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Mixin
    ClientOptions connections;

    @Mixin
    MeasureOptions measure;

    @Override
    public Integer call() throws Exception {
        Failures failures = new Failures();
        Recorder latencies = new Recorder(3);
        // Counted: receipts of messages scheduled in the measured window. Counting every receipt
        // in the window let a backlog left by the warm-up make up for messages of the window that
        // never arrived (runs past the relay's capacity showed 101-142 % delivered).
        AtomicLong received = new AtomicLong();
        AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch ready = new CountDownLatch(receivers + 1);
        AtomicReference<Channel> publisher = new AtomicReference<>();
        EioWebSocketClient.Events receiverEvents = new EioWebSocketClient.Events() {
            @Override
            public void opened(Channel channel) {
                ready.countDown();
            }

            @Override
            public void failed(Throwable cause) {
                failures.record("receiver", cause);
            }

            @Override
            public void message(Channel channel, ByteBuf frame) {
                long sent = scheduledTime(frame);
                if (sent > 0) {
                    long now = System.nanoTime();
                    if (sent >= windowStart.get()) {
                        received.incrementAndGet();
                    }
                    latencies.recordValue(Math.max(1, (now - sent) / 1000));
                }
            }
        };
        EioWebSocketClient.Events publisherEvents = new EioWebSocketClient.Events() {
            @Override
            public void opened(Channel channel) {
                publisher.set(channel);
                ready.countDown();
            }

            @Override
            public void failed(Throwable cause) {
                failures.record("publisher", cause);
            }
        };
        SourceAddresses sources = connections.sourceAddresses();
        try (EioWebSocketClient receiving = new EioWebSocketClient(receiveUrl, connections.threads, "/", receiverEvents);
             EioWebSocketClient publishing = new EioWebSocketClient(publishUrl, 1, "/", publisherEvents)) {
            for (int i = 0; i < receivers; i++) {
                receiving.connect(sources.next(), receiverEvents::failed);
            }
            publishing.connect(sources.next(), publisherEvents::failed);
            if (!failures.await(ready, 30)) {
                System.err.println("not all connections opened");
                return 1;
            }
            Thread.sleep(500);
            String pad = measure.pad();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(measure.warmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(measure.seconds);
            windowStart.set(measureFrom);
            AtomicLong sentMeasured = new AtomicLong();
            OpenLoopSender sender = new OpenLoopSender(publisher.get(), rate, start, end, (channel, scheduled) -> {
                channel.write(new TextWebSocketFrame("42[\"pub\",{\"t\":" + scheduled + ",\"p\":\"" + pad + "\"}]"),
                        channel.voidPromise());
                if (scheduled >= measureFrom) {
                    sentMeasured.incrementAndGet();
                }
            });
            sender.start();
            TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
            latencies.reset();
            ResultLine.mark("start");
            if (!sender.await(end - System.nanoTime() + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS)) {
                System.err.println("relay: the publisher fell more than 10 s behind its schedule");
            }
            ResultLine.mark("end");
            // Messages sent at the end of the window still count once they arrive.
            Thread.sleep(TimeUnit.SECONDS.toMillis(drainSeconds));
            long delivered = received.get();
            Histogram h = latencies.getIntervalHistogram();
            long expected = sentMeasured.get() * receivers;
            System.out.printf("relay: rate %d msg/s x %d receivers for %d s: sent %d, delivered %d of %d (%.2f%%), "
                            + "%.0f deliveries/s; latency us p50 %d p99 %d p99.9 %d max %d%n",
                    rate, receivers, measure.seconds, sentMeasured.get(), delivered, expected,
                    expected == 0 ? 0 : 100.0 * delivered / expected, delivered / (double) measure.seconds,
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
            new ResultLine("relay").add("rate", rate).add("receivers", receivers).add("seconds", (double) measure.seconds)
                    .add("sent", sentMeasured.get()).add("delivered", delivered)
                    .add("delivered_per_s", Math.round(delivered / (double) measure.seconds))
                    .add("ratio", expected == 0 ? 0.0 : (double) delivered / expected).latency(h).print();
        }
        return 0;
    }

    private static final byte[] BROADCAST = FrameFields.bytes("42[\"b\"");
    private static final byte[] TIME = FrameFields.bytes("\"t\":");

    /** The {@code t} field of a {@code 42["b",{"t":...}]} frame, or -1. */
    static long scheduledTime(ByteBuf frame) {
        FrameFields fields = FrameFields.of(frame);
        return fields.startsWith(BROADCAST) ? fields.number(TIME, BROADCAST.length) : -1;
    }
}
