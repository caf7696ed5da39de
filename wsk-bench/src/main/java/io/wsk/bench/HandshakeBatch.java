package io.wsk.bench;

import io.netty.channel.Channel;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens {@code count} connections with at most {@code inFlight} handshakes under way. Each next
 * connect starts on the event loop that saw a handshake end, not on the main thread: a connect
 * handed across threads costs a task queue and a wake-up, and on a one-core generator those were
 * part of what a handshake run measured.
 *
 * <p>Used as the client's {@link EioWebSocketClient.Events}: build the batch, the client with it,
 * then {@link #start}.
 */
final class HandshakeBatch implements EioWebSocketClient.Events {

    private final int count;
    private final SourceAddresses addresses;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong lastOpenedAt = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final CountDownLatch ended;
    private volatile EioWebSocketClient client;
    private long startedAt;

    HandshakeBatch(int count, SourceAddresses addresses) {
        this.count = count;
        this.addresses = addresses;
        this.ended = new CountDownLatch(count);
    }

    /** Starts the first {@code inFlight} connects on the client's event loop. */
    void start(EioWebSocketClient client, int inFlight) {
        this.client = client;
        startedAt = System.nanoTime();
        client.execute(() -> {
            for (int i = 0; i < inFlight; i++) {
                startNext();
            }
        });
    }

    /** Waits until every connection opened or failed; false when {@code timeout} came first. */
    boolean await(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    int opened() {
        return opened.get();
    }

    int failed() {
        return failed.get();
    }

    Throwable firstFailure() {
        return firstFailure.get();
    }

    /** From {@link #start} to the last handshake that completed (not to whoever noticed it). */
    double seconds() {
        long end = opened.get() == 0 ? System.nanoTime() : lastOpenedAt.get();
        return Math.max(1, end - startedAt) / 1e9;
    }

    @Override
    public void opened(Channel channel) {
        lastOpenedAt.set(System.nanoTime());
        opened.incrementAndGet();
        ended.countDown();
        startNext();
    }

    @Override
    public void failed(Throwable cause) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, cause);
        ended.countDown();
        startNext();
    }

    private void startNext() {
        if (started.getAndIncrement() < count) {
            client.connect(addresses.next(), this::failed);
        }
    }
}
