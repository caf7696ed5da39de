package io.wsk.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs a task once a grace period has passed since the latest (re)connection to Redis, or as soon
 * as a check says it may (the other nodes are back), whichever comes first.
 *
 * <p>Pub/sub delivers only to current subscribers, so a backlog published the moment this node is
 * back would be lost on the nodes that have not resubscribed yet; they come back at different
 * moments, each on its own retry schedule. The task therefore waits a grace period long enough
 * for all of them, unless {@code othersBack} sees them all subscribed earlier (it is asked every
 * {@link #CHECK_EVERY}). Each connection starts the wait anew: a wait begun for an earlier
 * connection (an outage that began just after the previous one ended) must not end early, right
 * after this one, while the other nodes are still away.
 */
final class ReconnectGrace {

    static final Duration CHECK_EVERY = Duration.ofMillis(100);

    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final Runnable task;
    private final Supplier<CompletableFuture<Boolean>> othersBack;
    /** Counts connections; a wait runs its task only if no connection came after the one it waits for. */
    private final AtomicLong connections = new AtomicLong();
    /** The connection whose wait has ended (its task run), so that one wait runs its task once. */
    private final AtomicLong done = new AtomicLong();

    ReconnectGrace(ScheduledExecutorService scheduler, Duration grace, Runnable task) {
        this(scheduler, grace, task, () -> CompletableFuture.completedFuture(false));
    }

    ReconnectGrace(ScheduledExecutorService scheduler, Duration grace, Runnable task,
                   Supplier<CompletableFuture<Boolean>> othersBack) {
        this.scheduler = scheduler;
        this.grace = grace;
        this.task = task;
        this.othersBack = othersBack;
    }

    /** A connection is (back) up: run the task after the grace period, or once the others are back. */
    void connected() {
        long connection = connections.incrementAndGet();
        check(connection, System.nanoTime() + grace.toNanos());
    }

    /** Whether a wait is under way (the task of the latest connection has not run yet). */
    boolean waiting() {
        return done.get() != connections.get();
    }

    private void check(long connection, long deadline) {
        try {
            scheduler.schedule(() -> {
                if (connections.get() != connection) {
                    return; // a later connection waits for itself
                }
                if (System.nanoTime() - deadline >= 0) {
                    run(connection);
                    return;
                }
                othersBack.get().whenComplete((back, error) -> {
                    if (Boolean.TRUE.equals(back)) {
                        run(connection);
                    } else {
                        check(connection, deadline);
                    }
                });
            }, Math.min(CHECK_EVERY.toNanos(), Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // the bus is closing: nothing left to send
        }
    }

    private void run(long connection) {
        if (connections.get() == connection && done.getAndSet(connection) != connection) {
            task.run();
        }
    }
}
