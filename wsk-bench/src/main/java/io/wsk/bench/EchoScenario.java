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
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code echo}: N clients each keep W {@code echo} events with an ack under way; the bench app
 * acks each with its own arguments, and the client sends the next as soon as an ack is back. This
 * finds the most acks/s the server sustains; latency is the round trip of each one.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, description = "Emit-with-ack round trips per second.")
final class EchoScenario implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket",
            description = "Socket.IO WebSocket URL (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--clients", defaultValue = "100", description = "Clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--in-flight", defaultValue = "1",
            description = "Acks each client waits for at once (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Mixin
    ClientOptions connections;

    @Mixin
    MeasureOptions measure;

    private static final byte[] TIME = FrameFields.bytes("\"t\":");

    private final Failures failures = new Failures();
    private final Recorder latencies = new Recorder(3);
    private final LongAdder acks = new LongAdder();
    private final AtomicLong ackIds = new AtomicLong();
    private volatile boolean running = true;
    private String pad;

    @Override
    public Integer call() throws Exception {
        pad = measure.pad();
        CountDownLatch ready = new CountDownLatch(clients);
        Queue<Channel> channels = new ConcurrentLinkedQueue<>();
        EioWebSocketClient.Events events = new EioWebSocketClient.Events() {
            @Override
            public void opened(Channel channel) {
                channels.add(channel);
                ready.countDown();
            }

            @Override
            public void failed(Throwable cause) {
                failures.record("client", cause);
            }

            @Override
            public void message(Channel channel, ByteBuf frame) {
                FrameFields fields = FrameFields.of(frame);
                if (fields.ackId() < 0) {
                    return;
                }
                long sent = fields.number(TIME, 2);
                if (sent > 0) {
                    latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                }
                acks.increment();
                if (running) {
                    send(channel, false);
                }
            }

            @Override
            public void readComplete(Channel channel) {
                channel.flush();
            }
        };
        SourceAddresses addresses = connections.sourceAddresses();
        try (EioWebSocketClient client = new EioWebSocketClient(url, connections.threads, "/", events)) {
            for (int i = 0; i < clients; i++) {
                client.connect(addresses.next(), events::failed);
            }
            if (!failures.await(ready, 60)) {
                System.err.println("echo: only " + (clients - ready.getCount()) + " of " + clients + " clients connected");
                return 1;
            }
            // Every client starts at once, after all are connected.
            for (Channel channel : channels) {
                for (int i = 0; i < inFlight; i++) {
                    send(channel, true);
                }
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(measure.warmupSeconds));
            latencies.reset();
            long before = acks.sum();
            ResultLine.mark("start");
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(measure.seconds));
            double elapsed = (System.nanoTime() - start) / 1e9;
            long count = acks.sum() - before;
            ResultLine.mark("end");
            running = false;
            Histogram h = latencies.getIntervalHistogram();
            System.out.printf("echo: %d clients x %d in flight, %.1f s: %d acks, %.0f acks/s; round trip us p50 %d p99 %d "
                            + "p99.9 %d max %d%n", clients, inFlight, elapsed, count, count / elapsed,
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
            new ResultLine("echo").add("clients", clients).add("in_flight", inFlight)
                    .add("seconds", elapsed).add("acks", count).add("acks_per_s", Math.round(count / elapsed))
                    .latency(h).print();
            return count > 0 ? 0 : 1;
        }
    }

    /** Sends the next echo; answers to acks are flushed once per read ({@code readComplete}). */
    private void send(Channel channel, boolean flush) {
        TextWebSocketFrame frame = new TextWebSocketFrame("42" + ackIds.incrementAndGet() + "[\"echo\",{\"t\":"
                + System.nanoTime() + ",\"p\":\"" + pad + "\"}]");
        if (flush) {
            channel.writeAndFlush(frame);
        } else {
            channel.write(frame);
        }
    }
}
