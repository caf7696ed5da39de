package io.wsk.bench.abuse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Sends packets that ask for an ack, ids 1, 2, ..., with at most {@code window} unanswered at
 * once, and counts the acks ({@code 43<id>[...]}) a reader thread sees. Pipelined, so a run of
 * 100,000 takes seconds, not a round trip each.
 */
final class AckedSender implements AutoCloseable {

    /** Waiting longer than this for any ack ends a run: the server stopped answering. */
    private static final Duration ACK_STALL = Duration.ofSeconds(15);

    private final SocketIoClient client;
    private final Semaphore window = new Semaphore(0);
    private final AtomicLong acked = new AtomicLong();
    private final Thread reader;
    private volatile String ending;

    AckedSender(String name, SocketIoClient client) {
        this.client = client;
        this.reader = new Thread(this::read, name + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            for (String packet; (packet = client.next()) != null; ) {
                if (Packets.ackId(packet) > 0) {
                    acked.incrementAndGet();
                    window.release();
                }
            }
            ending = "closed by the server";
        } catch (IOException e) {
            ending = client.ws().isClosed() ? "closed by the harness" : "error: " + e.getMessage();
        }
    }

    /** How a run went. */
    record Outcome(long sent, long acked, double seconds, String stopped) {
    }

    /** Sends {@code packet(id)} for ids 1..count, at most {@code inFlight} unanswered, for at most {@code cap}. */
    Outcome run(long count, LongFunction<String> packet, int inFlight, Duration cap) throws InterruptedException {
        long ackedBefore = acked.get();
        window.release(inFlight);
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        long sent = 0;
        String stopped = null;
        while (sent < count) {
            if (!window.tryAcquire(ACK_STALL.toMillis(), TimeUnit.MILLISECONDS)) {
                stopped = "no ack for " + ACK_STALL.toSeconds() + " s";
                break;
            }
            if (System.nanoTime() > deadline) {
                stopped = "time cap of " + cap.toSeconds() + " s";
                break;
            }
            try {
                client.send(packet.apply(sent + 1));
            } catch (IOException e) {
                stopped = "send failed: " + e.getMessage();
                break;
            }
            sent++;
        }
        // The last acks of the window.
        long waitUntil = System.nanoTime() + ACK_STALL.toNanos();
        while (acked.get() - ackedBefore < sent && System.nanoTime() < waitUntil && ending == null) {
            Thread.sleep(20);
        }
        window.drainPermits();
        return new Outcome(sent, acked.get() - ackedBefore, (System.nanoTime() - start) / 1e9, stopped);
    }

    boolean connected() {
        return ending == null;
    }

    String connection() {
        return ending == null ? "still connected" : ending;
    }

    @Override
    public void close() {
        client.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
