package io.wsk.bench.abuse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Emits numbered packets at a steady rate. The bench app broadcasts {@code pub} to every socket,
 * the publisher's own included, so the publisher reads everything it gets back on a
 * {@link Receiver} of its own: otherwise it would become one more slow reader.
 */
final class Publisher implements AutoCloseable {

    private final SocketIoClient client;
    private final Receiver ownCopies;
    private volatile String failure;

    Publisher(SocketIoClient client) {
        this.client = client;
        this.ownCopies = new Receiver("publisher-reader", client);
    }

    /**
     * Sends {@code packet(0)}, {@code packet(1)}, ... at {@code perSecond} for {@code duration} or
     * until {@code stop} says so; a send that falls behind goes at once, so none is skipped.
     * Returns how many were sent (sequence numbers {@code 0..n-1}).
     */
    long publish(double perSecond, Duration duration, LongFunction<String> packet, BooleanSupplier stop) {
        long periodNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        while (!stop.getAsBoolean()) {
            long due = start + sent * periodNanos;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                client.send(packet.apply(sent));
            } catch (IOException e) {
                failure = e.getMessage();
                break;
            }
            sent++;
        }
        return sent;
    }

    /** Why publishing stopped early, or {@code null}. */
    String failure() {
        return failure;
    }

    Receiver ownCopies() {
        return ownCopies;
    }

    @Override
    public void close() {
        ownCopies.close();
    }
}
