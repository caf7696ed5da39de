package io.wsk.redis;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a task once a grace period has passed since the latest (re)connection to Redis.
 *
 * <p>Pub/sub delivers only to current subscribers, so a backlog published the moment this node is
 * back would be lost on the nodes that have not resubscribed yet; they come back at different
 * moments, each on its own retry schedule. The task therefore waits a grace period long enough
 * for all of them. Each connection starts the wait anew: a wait begun for an earlier connection
 * (an outage that began just after the previous one ended) must not end early, right after this
 * one, while the other nodes are still away.
 */
final class ReconnectGrace {

    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final Runnable task;
    /** Counts connections; a wait runs its task only if no connection came after the one it waits for. */
    private final AtomicLong connections = new AtomicLong();

    ReconnectGrace(ScheduledExecutorService scheduler, Duration grace, Runnable task) {
        this.scheduler = scheduler;
        this.grace = grace;
        this.task = task;
    }

    /** A connection is (back) up: run the task after the grace period, unless another comes first. */
    void connected() {
        long connection = connections.incrementAndGet();
        try {
            scheduler.schedule(() -> {
                if (connections.get() == connection) {
                    task.run();
                }
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the bus is closing: nothing left to send
        }
    }
}
