package io.wsk.limits;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of limit breach (a slow client closed, an event dropped, a connection refused):
 * counted, and logged at most once per interval with how many happened since the previous line.
 * A client that breaches a limit thousands of times a second must not also fill the log, so
 * nothing here logs once per packet.
 *
 * <p>Thread-safe and lock-free: breaches are recorded from every event loop.
 */
public final class BreachLog {

    /** How often a breach kind may write a line. */
    public static final long DEFAULT_INTERVAL_MILLIS = 10_000;

    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private final AtomicLong total = new AtomicLong();
    /** Breaches since the last line written. */
    private final AtomicLong unreported = new AtomicLong();
    /** When the last line was written (System.nanoTime); far in the past before the first. */
    private final AtomicLong lastLineNanos;

    /** {@code what} names the breach in the log line, e.g. "slow clients closed". */
    public BreachLog(Logger log, String what) {
        this(log, what, DEFAULT_INTERVAL_MILLIS);
    }

    public BreachLog(Logger log, String what, long intervalMillis) {
        this.log = log;
        this.what = what;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.lastLineNanos = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /**
     * Counts one breach; logs it (with the others since the last line) when the interval has
     * passed. {@code detail} describes this one (who, which limit) and is only formatted then.
     */
    public void record(Object detail) {
        record(detail, null);
    }

    /** Like {@link #record(Object)}; a line, when written, carries {@code cause} and its stack trace. */
    public void record(Object detail, Throwable cause) {
        total.incrementAndGet();
        unreported.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLineNanos.get();
        if (now - last >= intervalNanos && lastLineNanos.compareAndSet(last, now)) {
            long count = unreported.getAndSet(0);
            if (cause == null) {
                log.warn("{}: {} since the last report ({} in all); latest: {}", what, count, total.get(), detail);
            } else {
                log.warn("{}: {} since the last report ({} in all); latest: {}", what, count, total.get(), detail, cause);
            }
        }
    }

    /** Every breach recorded so far. */
    public long count() {
        return total.get();
    }
}
