package io.wsk.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The writes a node sends to Redis (PUBLISH, SPUBLISH), in the order they were issued, through
 * outages: while Redis is away they wait here, bounded, and once it is back they leave before
 * anything issued after them.
 *
 * <p>Order is the point. Socket.IO promises a client its packets in order, and a node's packets
 * reach the others' clients in the order Redis got them. So while a backlog drains, new writes
 * queue behind it, and direct writing resumes only once Redis has <em>answered</em> the whole
 * backlog: the drain and a direct writer may run on different threads, whose writes would
 * otherwise meet in Lettuce in either order.
 *
 * <p>Past {@code maxPending} waiting writes the oldest are dropped (recent messages matter more
 * to a real-time app), counted and logged. A write Redis refuses with an error reply (an ACL,
 * out of memory) is dropped at once, counted and logged: sent again it would be refused again,
 * and hold up everything behind it.
 */
final class PublishBacklog {

    private static final Logger log = LoggerFactory.getLogger(PublishBacklog.class);

    /** One Redis command; issued once connected, again if the connection fails under it. */
    interface Write<T> {
        CompletionStage<T> issue(RedisClusterAsyncCommands<byte[], byte[]> redis);
    }

    /** A write, numbered in issue order; its result completes when Redis answers it, or it is dropped. */
    private record Entry(long seq, Write<?> write, CompletableFuture<Object> result) {
    }

    private final int maxPending;
    private final Supplier<RedisLink> connection;
    private final Runnable retryLater;
    private final Runnable connectionFailed;
    /** By sequence number; guarded by itself, as is {@link #draining}. */
    private final TreeMap<Long, Entry> pending = new TreeMap<>();
    private boolean draining;
    /** A flush was asked for while a drain was under way; guarded like {@link #draining}. */
    private boolean flushAgain;
    private volatile boolean closed;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * {@code retryLater}: asks for {@link #flush} again in a moment, for writes Redis refused for
     * now while the connection stayed up; {@code connectionFailed}: a write failed on its
     * connection (gone, or for a cluster, a slot whose master is down), put back in its place.
     */
    PublishBacklog(int maxPending, Supplier<RedisLink> connection, Runnable retryLater, Runnable connectionFailed) {
        this.maxPending = maxPending;
        this.connection = connection;
        this.retryLater = retryLater;
        this.connectionFailed = connectionFailed;
    }

    /** Writes dropped because Redis was away longer than the queue could cover. */
    long dropped() {
        return dropped.get();
    }

    /** Writes Redis answered with an error, dropped. */
    long refused() {
        return refused.get();
    }

    /** Writes waiting for Redis now. */
    int size() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Sends {@code write} now, or queues it behind the backlog; the result completes with Redis's
     * answer, or exceptionally if the write is dropped.
     */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> send(Write<T> write) {
        Entry entry = new Entry(sequence.incrementAndGet(), write, new CompletableFuture<>());
        RedisLink p = connection.get();
        synchronized (pending) {
            if (p == null || !p.isOpen() || draining || !pending.isEmpty()) {
                enqueue(entry);
                return (CompletableFuture<T>) entry.result();
            }
        }
        issue(p, entry, null);
        return (CompletableFuture<T>) entry.result();
    }

    /**
     * Issues {@code entry}; a failed connection puts it back at its number (and sets
     * {@code failed}, when draining), an error reply drops it.
     */
    private CompletionStage<?> issue(RedisLink p, Entry entry, AtomicBoolean failed) {
        CompletionStage<?> reply;
        try {
            reply = entry.write().issue(p.async());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.whenComplete((value, error) -> {
            if (error == null) {
                entry.result().complete(value);
            } else if (isRefusal(error) && !isTransient(error)) {
                long count = refused.incrementAndGet();
                if (count == 1 || count % 1000 == 0) {
                    log.warn("Redis refused {} writes so far, dropped; latest: {}", count, error.getMessage());
                }
                entry.result().completeExceptionally(error);
            } else {
                if (failed != null) {
                    failed.set(true);
                }
                synchronized (pending) {
                    enqueue(entry);
                }
                if (isRefusal(error)) {
                    // Connected, but Redis says not now: no reconnection will come to send it.
                    retryLater.run();
                } else {
                    connectionFailed.run();
                }
            }
        });
    }

    private static boolean isRefusal(Throwable error) {
        return error instanceof RedisCommandExecutionException || error.getCause() instanceof RedisCommandExecutionException;
    }

    /**
     * Error replies that mean "not now", not "never": a Redis loading its data after a restart
     * (AOF), busy with a script, or in the middle of a failover; in a cluster, a slot that moved
     * (MOVED, ASK: the writes follow no redirection, see {@link ClusterConnections}). What they
     * refused is sent again.
     */
    private static boolean isTransient(Throwable error) {
        String message = String.valueOf(error instanceof RedisCommandExecutionException ? error.getMessage()
                : error.getCause().getMessage());
        for (String prefix : TRANSIENT_ERRORS) {
            if (message.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> TRANSIENT_ERRORS =
            List.of("LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "NOREPLICAS",
                    "MOVED", "ASK");

    /** Caller holds the {@code pending} lock. */
    private void enqueue(Entry entry) {
        if (closed) {
            entry.result().completeExceptionally(new IllegalStateException("the Redis bus is closed"));
            return;
        }
        pending.put(entry.seq(), entry);
        if (pending.size() > maxPending) {
            Entry oldest = pending.pollFirstEntry().getValue();
            oldest.result().completeExceptionally(new IllegalStateException("dropped: Redis unavailable too long"));
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                log.warn("Redis unavailable: dropped {} oldest queued publishes so far (queue limit {})", count, maxPending);
            }
        }
    }

    /** Redis is back (and the other nodes have had time to resubscribe): sends the backlog, in order. */
    void flush() {
        RedisLink p = connection.get();
        synchronized (pending) {
            if (draining) {
                flushAgain = true; // the drain under way may end on a failure: it looks again then
                return;
            }
            if (pending.isEmpty() || p == null || !p.isOpen()) {
                return;
            }
            draining = true;
            flushAgain = false;
        }
        drain(p, 0, true);
    }

    /**
     * Issues what is queued now, and once Redis has answered all of it, what was queued
     * meanwhile; ends, letting writes go direct again, when a round finds the queue empty. A round
     * that failed (the connection went again, or Redis said "not now") ends it too: the next
     * connection, or retry, drains the rest.
     *
     * <p>The first round is the oldest write alone: a round sent while Redis finishes loading its
     * data (or a failover completes) would have its head refused and its tail taken, out of
     * order. One write answered means Redis takes writes again.
     */
    private void drain(RedisLink p, int sentSoFar, boolean probe) {
        List<Entry> round;
        synchronized (pending) {
            if (pending.isEmpty() || closed || !p.isOpen()) {
                draining = false;
                if (sentSoFar > 0) {
                    log.info("Redis is back: sent {} queued publishes", sentSoFar);
                }
                return;
            }
            if (probe) {
                round = List.of(pending.pollFirstEntry().getValue());
            } else {
                round = new ArrayList<>(pending.values());
                pending.clear();
            }
        }
        AtomicBoolean failed = new AtomicBoolean();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[round.size()];
        for (int i = 0; i < answers.length; i++) {
            // A failed write completes its stage exceptionally; handle() makes every one count as done.
            answers[i] = issue(p, round.get(i), failed).handle((v, e) -> null).toCompletableFuture();
        }
        CompletableFuture.allOf(answers).whenComplete((ignored, error) -> {
            if (failed.get()) {
                boolean again;
                synchronized (pending) {
                    draining = false;
                    again = flushAgain;
                    flushAgain = false;
                }
                if (again) {
                    retryLater.run();
                }
            } else {
                drain(p, sentSoFar + round.size(), false);
            }
        });
    }

    /** Drops what still waits; later writes fail at once. */
    void close() {
        closed = true;
        synchronized (pending) {
            for (Entry entry : pending.values()) {
                entry.result().completeExceptionally(new IllegalStateException("the Redis bus is closed"));
            }
            pending.clear();
        }
    }
}
