package io.wsk.bench;

import io.netty.channel.Channel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends on a fixed schedule, open loop: message {@code i} is due at {@code start + i * interval}
 * and is stamped with that time, however late it leaves, so a stalled server shows in the
 * latencies (no coordinated omission).
 *
 * <p>It runs on the channel's event loop: each pass writes every message due by now, flushes once,
 * and schedules the next pass for when the next message is due (Netty's epoll loop waits on a
 * timeout, to tens of microseconds once {@link TimerSlack} took the thread's slack away). The
 * sender never spins: a thread spinning on the generator's core to wait out the gaps between
 * messages took that core from the I/O thread that receives, and the receipts it delayed showed
 * up as the server's latency.
 */
final class OpenLoopSender implements Runnable {

    /** Writes (does not flush) the message due at {@code scheduledNanos}. */
    interface Message {
        void write(Channel channel, long scheduledNanos);
    }

    private final Channel channel;
    private final Message message;
    private final long interval;
    private final long end;
    private final CountDownLatch finished = new CountDownLatch(1);
    private long next;
    private long written;

    /** Sends {@code rate} messages per second from {@code start} until {@code end} ({@code System.nanoTime()}). */
    OpenLoopSender(Channel channel, int rate, long start, long end, Message message) {
        this.channel = channel;
        this.message = message;
        this.interval = 1_000_000_000L / rate;
        this.next = start;
        this.end = end;
    }

    void start() {
        channel.eventLoop().execute(() -> {
            TimerSlack.minimizeForCurrentThread();
            run();
        });
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        while (next <= now && next < end) {
            message.write(channel, next);
            next += interval;
            written++;
        }
        channel.flush();
        if (next < end && channel.isActive()) {
            channel.eventLoop().schedule(this, next - System.nanoTime(), TimeUnit.NANOSECONDS);
        } else {
            finished.countDown();
        }
    }

    /** Waits until every message is written (or the channel closed); then {@link #written()} is final. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** Messages written, read after {@link #await}. */
    long written() {
        return written;
    }
}
