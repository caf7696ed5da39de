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
 * and schedules the next pass for when the next message is due, but no sooner than
 * {@link #SEND_QUANTUM_NANOS} after this one. The thread's timer slack is taken away
 * ({@link TimerSlack}), so below 20,000 messages/s each message leaves on its own, tens of
 * microseconds after it is due; above, messages due within one quantum leave together in one
 * write, and their wait counts as latency. Linux's default timer slack (50 µs) had batched them
 * by accident; the quantum makes that a stated property of the load rather than the kernel's.
 * With one write per message, every message costs each hop of a relay a system call.
 *
 * <p>The sender never spins: a thread spinning on the generator's core to wait out the gaps
 * between messages took that core from the I/O thread that receives, and the receipts it delayed
 * showed up as the server's latency.
 */
final class OpenLoopSender implements Runnable {

    /** The least time between two passes: messages due closer together leave in one write. */
    static final long SEND_QUANTUM_NANOS = 50_000;

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
            channel.eventLoop().schedule(this, nextPass(next, now) - System.nanoTime(), TimeUnit.NANOSECONDS);
        } else {
            finished.countDown();
        }
    }

    /** When the pass after one that started at {@code passStart} runs, the next message being due at {@code nextDue}. */
    static long nextPass(long nextDue, long passStart) {
        return Math.max(nextDue, passStart + SEND_QUANTUM_NANOS);
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
