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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code fanout}: one publisher, N receivers in one room. The publisher sends {@code pub} events
 * to the room; the bench app broadcasts each to every receiver as {@code b}. Two ways to load it:
 * <ul>
 *   <li>a window ({@code --in-flight W}, the default): W broadcasts are under way at all times, and
 *       the next leaves when the last receiver got one, so this finds the most deliveries/s the
 *       server sustains;</li>
 *   <li>a fixed rate ({@code --rate R}): open loop, each broadcast stamped with its scheduled send
 *       time, so latency includes any stall of the server (no coordinated omission).</li>
 * </ul>
 * Every broadcast carries a sequence number; a delivery is counted per receiver and frame.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "Broadcast deliveries/s and latency to N receivers in one room.")
final class FanoutScenario implements Callable<Integer> {

    private static final String ROOM = "fan";
    private static final int RING = 1 << 16;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket",
            description = "Socket.IO WebSocket URL (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--receivers", defaultValue = "1000", description = "Receivers in the room (default ${DEFAULT-VALUE}).")
    int receivers;

    @Option(names = "--in-flight", defaultValue = "8",
            description = "Broadcasts under way at once, when no --rate is given (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--rate", defaultValue = "0",
            description = "Broadcasts per second, open loop, instead of a window (default: window).")
    int rate;

    @Mixin
    ClientOptions connections;

    @Mixin
    MeasureOptions measure;

    private static final byte[] BROADCAST = FrameFields.bytes("42[\"b\"");
    private static final byte[] JOINED = FrameFields.bytes("430");
    private static final byte[] SEQUENCE = FrameFields.bytes("\"s\":");
    private static final byte[] TIME = FrameFields.bytes("\"t\":");

    private final Failures failures = new Failures();
    private final Recorder latencies = new Recorder(3);
    private final LongAdder delivered = new LongAdder();
    private final AtomicIntegerArray arrivals = new AtomicIntegerArray(RING);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong nextSequence = new AtomicLong();
    private final AtomicReference<Channel> publisher = new AtomicReference<>();
    private volatile boolean publishing;
    private String pad;

    @Override
    public Integer call() throws Exception {
        pad = measure.pad();
        CountDownLatch joined = new CountDownLatch(receivers);
        CountDownLatch publisherReady = new CountDownLatch(1);
        EioWebSocketClient.Events receiverEvents = new EioWebSocketClient.Events() {
            @Override
            public void opened(Channel channel) {
                channel.writeAndFlush(new TextWebSocketFrame("420[\"join\",\"" + ROOM + "\"]"));
            }

            @Override
            public void failed(Throwable cause) {
                failures.record("receiver", cause);
            }

            @Override
            public void message(Channel channel, ByteBuf frame) {
                FrameFields fields = FrameFields.of(frame);
                if (fields.startsWith(BROADCAST)) {
                    received(fields);
                } else if (fields.startsWith(JOINED)) {
                    joined.countDown();
                }
            }
        };
        EioWebSocketClient.Events publisherEvents = new EioWebSocketClient.Events() {
            @Override
            public void opened(Channel channel) {
                publisher.set(channel);
                publisherReady.countDown();
            }

            @Override
            public void failed(Throwable cause) {
                failures.record("publisher", cause);
            }
        };
        SourceAddresses addresses = connections.sourceAddresses();
        try (EioWebSocketClient receiving = new EioWebSocketClient(url, connections.threads, "/", receiverEvents);
             EioWebSocketClient publishing = new EioWebSocketClient(url, 1, "/", publisherEvents)) {
            for (int i = 0; i < receivers; i++) {
                receiving.connect(addresses.next(), receiverEvents::failed);
            }
            publishing.connect(addresses.next(), publisherEvents::failed);
            if (!failures.await(joined, 60) || !failures.await(publisherReady, 10)) {
                System.err.println("fanout: only " + (receivers - joined.getCount()) + " of " + receivers
                        + " receivers joined");
                return 1;
            }
            Thread.sleep(300);
            return rate > 0 ? runAtRate() : runWindow();
        }
    }

    /** One receiver got broadcast {@code s}: count it, and when it was the last, the broadcast is done. */
    private void received(FrameFields frame) {
        long sequence = frame.number(SEQUENCE, BROADCAST.length);
        long sent = frame.number(TIME, BROADCAST.length);
        if (sequence < 0 || sent < 0) {
            return;
        }
        latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
        delivered.increment();
        int slot = (int) (sequence & (RING - 1));
        if (arrivals.incrementAndGet(slot) == receivers) {
            arrivals.set(slot, 0);
            completed.incrementAndGet();
            if (publishing && rate == 0) {
                send(System.nanoTime(), true);
            }
        }
    }

    private void send(long stamp, boolean flush) {
        long sequence = nextSequence.getAndIncrement();
        arrivals.set((int) (sequence & (RING - 1)), 0); // a slot lost deliveries left behind must not count
        TextWebSocketFrame frame = new TextWebSocketFrame("42[\"pub\",{\"room\":\"" + ROOM + "\",\"s\":" + sequence
                + ",\"t\":" + stamp + ",\"p\":\"" + pad + "\"}]");
        if (flush) {
            publisher.get().writeAndFlush(frame);
        } else {
            publisher.get().write(frame);
        }
    }

    private int runWindow() throws InterruptedException {
        publishing = true;
        for (int i = 0; i < inFlight; i++) {
            send(System.nanoTime(), true);
        }
        boolean finished = measure();
        publishing = false;
        return finished ? 0 : 1;
    }

    private int runAtRate() throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(measure.warmupSeconds + measure.seconds + 1);
        OpenLoopSender sender = new OpenLoopSender(publisher.get(), rate, start, end,
                (channel, scheduled) -> send(scheduled, false));
        sender.start();
        measure();
        sender.await(end - System.nanoTime() + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
        return 0;
    }

    /**
     * Warms up, then measures for {@code seconds}: deliveries that arrive in the window and their
     * latencies. False if the window stalled (no broadcast completed for 10 s).
     */
    private boolean measure() throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(measure.warmupSeconds));
        latencies.reset();
        long deliveredBefore = delivered.sum();
        long completedBefore = completed.get();
        ResultLine.mark("start");
        long start = System.nanoTime();
        long lastProgress = completedBefore;
        long lastProgressAt = start;
        long end = start + TimeUnit.SECONDS.toNanos(measure.seconds);
        boolean stalled = false;
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            long done = completed.get();
            if (done != lastProgress) {
                lastProgress = done;
                lastProgressAt = System.nanoTime();
            } else if (rate == 0 && System.nanoTime() - lastProgressAt > TimeUnit.SECONDS.toNanos(10)) {
                stalled = true;
                break;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        ResultLine.mark("end");
        long deliveries = delivered.sum() - deliveredBefore;
        long broadcasts = completed.get() - completedBefore;
        Histogram h = latencies.getIntervalHistogram();
        System.out.printf("fanout: %d receivers, %s, %.1f s: %d broadcasts completed, %d deliveries, %.0f deliveries/s; "
                        + "latency us p50 %d p99 %d p99.9 %d max %d%s%n",
                receivers, rate > 0 ? rate + " broadcasts/s" : inFlight + " in flight", elapsed, broadcasts, deliveries,
                deliveries / elapsed, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), stalled ? " (STALLED: a broadcast never completed)" : "");
        ResultLine result = new ResultLine("fanout").add("receivers", receivers)
                .add("seconds", elapsed).add("deliveries", deliveries)
                .add("deliveries_per_s", Math.round(deliveries / elapsed))
                .add("broadcasts_per_s", Math.round(broadcasts / elapsed));
        if (rate > 0) {
            long expected = (long) (rate * elapsed) * receivers;
            result.add("rate", rate).add("ratio", expected == 0 ? 0.0 : Math.min(1.0, deliveries / (double) expected));
        } else {
            result.add("in_flight", inFlight);
        }
        result.add("stalled", stalled).latency(h).print();
        return !stalled;
    }
}
