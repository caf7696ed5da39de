package io.wsk.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A task run every period that survives its own failures. A {@link ScheduledExecutorService}
 * cancels a periodic task for good the first time it throws, silently: one unexpected value from
 * Lettuce in one pass (a cluster node without an address during a failover, say) would stop the
 * subscriptions from ever being placed again, and the node would stay not ready for ever. Here a
 * failure is logged, at most once a minute per task with how many there were, and the next pass
 * runs as usual.
 */
final class PeriodicTask implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final String what;
    private final Runnable task;
    private long loggedAt = System.nanoTime() - LOG_EVERY_NANOS;
    private int unlogged;

    private PeriodicTask(String what, Runnable task) {
        this.what = what;
        this.task = task;
    }

    /** Runs {@code task} on {@code scheduler} every {@code period} (the first after {@code initialDelay}), through failures. */
    static ScheduledFuture<?> every(ScheduledExecutorService scheduler, Duration initialDelay, Duration period, String what,
                                    Runnable task) {
        return scheduler.scheduleWithFixedDelay(new PeriodicTask(what, task), initialDelay.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            task.run();
        } catch (RuntimeException | AssertionError e) {
            unlogged++;
            long now = System.nanoTime();
            if (now - loggedAt >= LOG_EVERY_NANOS) {
                log.warn("{} failed ({} time(s) since the last report); it runs again as scheduled", what, unlogged, e);
                loggedAt = now;
                unlogged = 0;
            }
        }
    }
}
