package io.wsk.bench.abuse;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * A client doing ping-pong {@code echo} with ack ({@code 42<id>["echo","x"]}, wait for
 * {@code 43<id>[...]}, then the next) on a thread of its own, its round trips recorded in
 * microseconds into the histogram of the current phase: what an ordinary user of the server
 * feels while others flood it.
 */
final class EchoVictim implements AutoCloseable {

    private static final int ACK_TIMEOUT_MILLIS = 10_000;

    private final SocketIoClient client;
    private final Histogram[] phases;
    private final Thread thread;
    private volatile int phase;
    private volatile boolean stopping;
    private volatile String failure;

    /** Nanoseconds from one round trip's start to the next's; 0 for none between them. */
    private final long periodNanos;

    /** {@code rate}: round trips per second at most, 0 for as fast as the server answers. */
    EchoVictim(SocketIoClient client, int phaseCount, int rate) {
        this.client = client;
        this.periodNanos = rate > 0 ? 1_000_000_000L / rate : 0;
        this.phases = new Histogram[phaseCount];
        for (int i = 0; i < phaseCount; i++) {
            phases[i] = new Histogram(60_000_000L, 3);
        }
        this.thread = new Thread(this::loop, "echo-victim");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Later round trips go into phase {@code index}'s histogram. */
    void phase(int index) {
        phase = index;
    }

    private void loop() {
        long id = 0;
        try {
            client.ws().readTimeout(ACK_TIMEOUT_MILLIS);
            while (!stopping) {
                id++;
                long start = System.nanoTime();
                int recordInto = phase;
                client.send(Packets.event("echo", "x", id));
                while (true) {
                    String packet = client.next();
                    if (packet == null) {
                        failure = "closed by the server";
                        return;
                    }
                    if (Packets.ackId(packet) == id) {
                        break;
                    }
                }
                long micros = (System.nanoTime() - start) / 1000;
                synchronized (phases) {
                    phases[recordInto].recordValue(Math.min(micros, phases[recordInto].getHighestTrackableValue()));
                }
                long wait = start + periodNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (SocketTimeoutException e) {
            failure = "no ack within " + ACK_TIMEOUT_MILLIS + " ms";
        } catch (IOException e) {
            if (!stopping) {
                failure = "error: " + e.getMessage();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A copy of phase {@code index}'s round trips. */
    Histogram histogram(int index) {
        synchronized (phases) {
            return phases[index].copy();
        }
    }

    /** Why the victim stopped before it was told to, or {@code null}. */
    String failure() {
        return failure;
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(ACK_TIMEOUT_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
