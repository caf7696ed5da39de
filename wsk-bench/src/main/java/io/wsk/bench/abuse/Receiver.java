package io.wsk.bench.abuse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A well-behaved Socket.IO client on a thread of its own: reads everything, answers pings, and
 * feeds the sequence number of every {@code b} event (the bench app's broadcast) to a
 * {@link SequenceChecker}. It notes when and how its connection ended.
 */
final class Receiver implements AutoCloseable {

    /** How every {@code b} event starts. */
    static final String BROADCAST = "42[\"b\",";

    private final SocketIoClient client;
    private final SequenceChecker checker = new SequenceChecker();
    private final Thread thread;
    private volatile long endedAt = -1;
    private volatile String ending;

    Receiver(String name, SocketIoClient client) {
        this.client = client;
        this.thread = new Thread(this::read, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            for (String packet; (packet = client.next()) != null; ) {
                if (packet.startsWith(BROADCAST)) {
                    checker.record(Text.numberAfter(packet, "seq"), System.nanoTime());
                }
            }
            ending = "closed by the server";
        } catch (IOException e) {
            ending = client.ws().isClosed() ? "closed by the harness" : "error: " + e.getMessage();
        }
        endedAt = System.nanoTime();
    }

    SequenceChecker checker() {
        return checker;
    }

    SocketIoClient client() {
        return client;
    }

    boolean connected() {
        return endedAt < 0;
    }

    /** How the connection ended, or "still connected". */
    String ending() {
        return endedAt < 0 ? "still connected" : ending;
    }

    long endedAt() {
        return endedAt;
    }

    /**
     * Waits until {@code expected} distinct events arrived, nothing arrived for {@code quiet}, or
     * {@code max} passed: how a run lets the last deliveries land before it counts.
     */
    void awaitSettled(long expected, Duration quiet, Duration max) throws InterruptedException {
        awaitSettled(List.of(this), expected, quiet, max);
    }

    /** {@link #awaitSettled(long, Duration, Duration)} for several receivers at once: quiet means none got anything. */
    static void awaitSettled(List<Receiver> receivers, long expected, Duration quiet, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline
                && receivers.stream().anyMatch(r -> r.connected() && r.checker.distinct() < expected)) {
            long count = receivers.stream().mapToLong(r -> r.checker.received()).sum();
            if (count != lastCount) {
                lastCount = count;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > quiet.toNanos()) {
                return;
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
