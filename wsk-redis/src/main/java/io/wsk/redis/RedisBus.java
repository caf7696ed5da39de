package io.wsk.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Redis pub/sub bus a server's adapters share: a few connections (one to publish and one to
 * subscribe on one Redis; on a cluster, those per master), whatever the number of namespaces.
 *
 * <p><b>When Redis goes away</b> nothing fails upward: local delivery carries on, Lettuce
 * reconnects (backing off to {@link #MAX_RECONNECT_DELAY} at most) and resubscribes by itself, and
 * publishes wait in a bounded queue ({@link PublishBacklog}) that is sent, in order, once the
 * other nodes have resubscribed (as many subscribers as before the outage), or this node has
 * been back for {@link #RESUBSCRIBE_GRACE} (the other nodes' longest reconnect interval and a
 * second), whichever comes first: pub/sub delivers only to current subscribers. Nothing
 * published meanwhile overtakes the queue. The queue holds at most
 * {@code maxPending} messages; past that the <em>oldest</em> are dropped (recent messages matter
 * more to a real-time app), counted in {@link #droppedPublishes()} and logged. If Redis
 * cannot be reached at startup the bus keeps retrying, as often as after an outage, so a server
 * can start before its Redis, and what it published meanwhile waits in the same queue.
 *
 * <p><b>Threads.</b> A server's bus runs on the server's own event loops
 * ({@link #RedisBus(String, int, EventLoopGroup)}): a publish from a socket's loop is written by that
 * loop when the publishing connection lives there (else handed to it once), and a message received
 * is handed to the sockets of the subscribing connection's loop with no hop at all. On a small
 * machine every hop between threads is a wake-up and a context switch, so this cuts both CPU and
 * latency per relayed message. A bus without a server ({@link Emitter}) has Lettuce's threads.
 * Either way, nothing here blocks: message handlers run on an event loop and must not either.
 *
 * <p><b>Where Redis is</b> ({@link RedisConnections}): one server or the master its sentinels
 * name ({@link StandaloneConnections}), or a Redis Cluster ({@link ClusterConnections}), whose
 * every command and subscription goes to the master of its slot, following slot moves and
 * failovers. A cluster none of whose seeds answers at start, or a seed that is not a cluster,
 * fails the constructor with what is wrong: unlike a single Redis, which may come up after the
 * node, a cluster's seeds are a list to check.
 */
public final class RedisBus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);

    /**
     * The longest wait between two connection attempts, after an outage (Lettuce) as at startup
     * (this bus): every node of a cluster is back within this time of Redis coming back.
     */
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

    /**
     * How long queued publishes wait after this node (re)connects: the other nodes' longest
     * reconnect interval and a second for them to connect and resubscribe.
     */
    static final Duration RESUBSCRIBE_GRACE = MAX_RECONNECT_DELAY.plusSeconds(1);

    static final Duration SAMPLE_SUBSCRIBERS_EVERY = Duration.ofSeconds(2);

    /** How often the bus looks whether it lost Redis or got it back, to say so ({@link OutageLog}). */
    private static final Duration OUTAGE_CHECK_EVERY = Duration.ofMillis(250);

    /** How soon writes Redis refused for now (LOADING, ...) are sent again. */
    static final Duration REFUSED_RETRY = Duration.ofMillis(200);

    private final ClientResources resources;
    private final Subscriptions subscriptions = new Subscriptions();
    private final RedisConnections connections;
    private final PublishBacklog backlog;
    private final AtomicBoolean refusedRetryScheduled = new AtomicBoolean();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wsk-redis-connect");
        thread.setDaemon(true);
        return thread;
    });
    private final ReconnectGrace flushAfterConnect;
    private final Resubscriptions resubscriptions;
    /**
     * A cluster's seeds are checked at start (the constructor fails on them); one Redis may come
     * up after the node, which waits for it.
     */
    private final boolean checkedAtStart;
    private volatile boolean connectedOnce;
    private volatile String lastConnectFailure;
    private volatile boolean closed;

    /**
     * Connects to {@code uri} ({@code redis://[user:password@]host:port[/db]}, {@code rediss://} for
     * TLS, {@code redis-sentinel://host:port[,host:port...]#master} for the master the sentinels
     * name, asked again on each reconnection, {@code redis-cluster://host:port[,host:port...]} for a
     * Redis Cluster; see {@link RedisUrls}) on threads of Lettuce's own: for a bus without a
     * server, such as an {@link Emitter}'s.
     */
    public RedisBus(String uri, int maxPending) {
        this(uri, maxPending, null);
    }

    /**
     * Connects to {@code uri} on {@code loops}, a server's event loops (its {@code EventLoops}), which
     * must outlive the bus: close the bus first. With {@code null}, or loops of another transport
     * than Lettuce's (NIO where epoll is available), Lettuce has threads of its own. Connecting
     * blocks the calling thread, which therefore must not be one of {@code loops}.
     *
     * @throws IllegalArgumentException for a Redis Cluster that cannot be used: no seed answers,
     *         or a seed is not a cluster node (the message says which)
     */
    public RedisBus(String uri, int maxPending, EventLoopGroup loops) {
        this.checkedAtStart = RedisUrls.isCluster(uri);
        this.resources = BusResources.create(loops, MAX_RECONNECT_DELAY);
        this.connections = checkedAtStart
                ? new ClusterConnections(resources, uri, subscriptions, retry)
                : new StandaloneConnections(resources, uri, subscriptions);
        this.backlog = new PublishBacklog(maxPending, connections::writes, () -> {
            scheduleRefusedRetry();
            connections.writeFailed(this::regrace);
        }, () -> connections.writeFailed(this::regrace));
        this.resubscriptions = new Resubscriptions(() -> subscriptions.names(Subscriptions.Kind.CHANNEL),
                () -> subscriptions.names(Subscriptions.Kind.SHARD), this::numsub, this::shardNumsub);
        this.flushAfterConnect = new ReconnectGrace(retry, RESUBSCRIBE_GRACE, backlog::flush, resubscriptions::allBack);
        // Redis itself: a subscription refused to the user is said apart (Subscriptions#refused), not as an outage.
        OutageLog outages = new OutageLog(connections.target(), connections::isConnected, () -> connectedOnce, backlog::size,
                maxPending);
        PeriodicTask.every(retry, OUTAGE_CHECK_EVERY, OUTAGE_CHECK_EVERY, "Redis bus: the outage check", outages::check);
        // Who else subscribes, sampled while all is well: after an outage the backlog waits only
        // until they are all back (see ReconnectGrace), not always the whole grace period.
        PeriodicTask.every(retry, SAMPLE_SUBSCRIBERS_EVERY, SAMPLE_SUBSCRIBERS_EVERY, "Redis bus: sampling subscribers", () -> {
            if (isConnected() && !flushAfterConnect.waiting()) {
                if (backlog.size() == 0) {
                    resubscriptions.sample();
                } else {
                    // A drain that ended on a failure nothing came to restart (no reconnection, no
                    // write failing since): all is well now, so send.
                    backlog.flush();
                }
            }
        });
        // Publishing the backlog at once would reach nobody: after a Redis restart every
        // node must resubscribe first. Give them the reconnect window, then send.
        connections.onReconnected(flushAfterConnect::connected);
        if (!connect(Duration.ofMillis(500)) && checkedAtStart) {
            String failure = lastConnectFailure;
            close();
            throw new IllegalArgumentException("cannot use the Redis Cluster at " + connections.target() + ": " + failure);
        }
    }

    /** Connects, or schedules another attempt in {@code backoff} (a cluster: only once it was connected); whether connected. */
    private boolean connect(Duration backoff) {
        if (closed) {
            return false;
        }
        try {
            connections.connect();
            connectedOnce = true;
            lastConnectFailure = null;
            log.info("connected to Redis");
            // What was published before Redis could be reached waits like a backlog after an
            // outage: the other nodes may not be connected yet.
            flushAfterConnect.connected();
            return true;
        } catch (RuntimeException e) {
            lastConnectFailure = connections.describe(e);
            if (checkedAtStart && !connectedOnce) {
                return false; // the constructor says what is wrong
            }
            Duration next = backoff.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0
                    ? MAX_RECONNECT_DELAY : backoff.multipliedBy(2);
            log.warn("cannot reach Redis at {} ({}); retrying in {} ms", connections.target(), lastConnectFailure,
                    backoff.toMillis());
            retry.schedule(() -> connect(next), backoff.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        }
    }

    /**
     * Why the latest connection attempt failed, as an operator should read it (WRONGPASS,
     * connection refused, not a cluster, ...), or {@code null} once connected.
     */
    public String lastConnectFailure() {
        return lastConnectFailure;
    }

    /** The message and the root cause's (e.g. WRONGPASS, connection refused), for an operator. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
        // Lettuce names an address it has not resolved "127.0.0.1/<unresolved>:6379".
        return message.replace("/<unresolved>", "");
    }

    /**
     * Whether every connection is up right now (on a cluster: every subscription on its master),
     * and Redis took every subscription: one refused to the Redis user (an ACL without the
     * channel) leaves the node not ready, as it gets nothing published there.
     */
    public boolean isConnected() {
        return connections.isConnected() && !subscriptions.anyRefused();
    }

    private void scheduleRefusedRetry() {
        if (!refusedRetryScheduled.compareAndSet(false, true)) {
            return; // one retry at a time, however many writes were refused
        }
        try {
            retry.schedule(() -> {
                refusedRetryScheduled.set(false);
                flushRefused();
            }, REFUSED_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // nothing left to send
        }
    }

    /** Sends what Redis refused for now, unless a reconnection's grace period is under way (it will). */
    private void flushRefused() {
        if (!flushAfterConnect.waiting()) {
            backlog.flush();
        }
    }

    /**
     * A cluster's slot may have a new master: like after a reconnection, the backlog waits until
     * the other nodes have subscribed there (or the grace period), then is sent.
     */
    private void regrace() {
        if (!closed) {
            flushAfterConnect.connected();
        }
    }

    /** Publishes dropped because Redis was away longer than the queue could cover. */
    public long droppedPublishes() {
        return backlog.dropped();
    }

    /** Publishes Redis answered with an error (out of memory, say), dropped. */
    public long refusedPublishes() {
        return backlog.refused();
    }

    /** Publishes waiting for Redis now (while it is away, or answering "not now"). */
    public int queuedPublishes() {
        return backlog.size();
    }

    // ---- publishing ----

    /** Publishes now, or queues (bounded) until Redis is back, behind what was queued before. */
    public void publish(String channel, byte[] payload) {
        byte[] name = Subscriptions.bytes(channel);
        backlog.send(redis -> redis.publish(name, payload));
    }

    /** Publishes on a sharded channel (SPUBLISH, Redis 7+), or queues like {@link #publish}. */
    public void spublish(String channel, byte[] payload) {
        byte[] name = Subscriptions.bytes(channel);
        backlog.send(redis -> redis.spublish(name, payload));
    }

    /**
     * Sends a command that must keep its place among this node's writes (an XADD): now, or
     * queued behind the backlog while Redis is away, exactly like a publish. The result completes
     * with Redis's answer, or exceptionally if the write is dropped.
     */
    <T> CompletableFuture<T> write(PublishBacklog.Write<T> write) {
        return backlog.send(write);
    }

    /**
     * Runs a command now (a read, a session update): fails at once while Redis is away, and the
     * caller decides what that means.
     */
    <T> CompletableFuture<T> command(Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletionStage<T>> command) {
        RedisLink link = connections.commands();
        if (link == null || !link.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        try {
            return command.apply(link.async()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A connection of its own for a reader that blocks on the server (XREAD BLOCK): it must not
     * hold up publishes. Reconnects by itself; commands fail at once while it is down. Does not
     * block: the connection completes on the bus's loops.
     */
    CompletableFuture<RedisLink> connectReader() {
        return connections.connectReader();
    }

    /** How many clients subscribe to {@code channel} (PUBSUB NUMSUB; on a cluster, summed over its nodes). */
    public CompletableFuture<Long> numsub(String channel) {
        return numsub(List.of(channel)).thenApply(counts -> counts.get(0));
    }

    /** How many clients subscribe to each of {@code channels}, in their order. */
    public CompletableFuture<List<Long>> numsub(List<String> channels) {
        return connections.numsub(channels);
    }

    /** How many clients subscribe to the sharded {@code channel} (PUBSUB SHARDNUMSUB, on its shard). */
    public CompletableFuture<Long> shardNumsub(String channel) {
        return shardNumsub(List.of(channel)).thenApply(counts -> counts.get(0));
    }

    /** How many clients subscribe to each of the sharded {@code channels}, in their order. */
    public CompletableFuture<List<Long>> shardNumsub(List<String> channels) {
        return connections.shardNumsub(channels);
    }

    // ---- subscribing ----

    /** Calls {@code handler(channel, payload)} for each message on the sharded {@code channel}. */
    public void ssubscribe(String channel, BiConsumer<String, byte[]> handler) {
        add(Subscriptions.Kind.SHARD, channel, handler);
    }

    public void sunsubscribe(String channel) {
        remove(Subscriptions.Kind.SHARD, channel);
    }

    /** Calls {@code handler(channel, payload)} for each message on {@code channel}. */
    public void subscribe(String channel, BiConsumer<String, byte[]> handler) {
        add(Subscriptions.Kind.CHANNEL, channel, handler);
    }

    /** Calls {@code handler(channel, payload)} for each message on a channel matching {@code pattern}. */
    public void psubscribe(String pattern, BiConsumer<String, byte[]> handler) {
        add(Subscriptions.Kind.PATTERN, pattern, handler);
    }

    public void unsubscribe(String channel) {
        remove(Subscriptions.Kind.CHANNEL, channel);
    }

    public void punsubscribe(String pattern) {
        remove(Subscriptions.Kind.PATTERN, pattern);
    }

    private void add(Subscriptions.Kind kind, String name, BiConsumer<String, byte[]> handler) {
        subscriptions.put(kind, name, handler);
        connections.subscribe(new Subscriptions.Subscription(kind, name));
    }

    private void remove(Subscriptions.Kind kind, String name) {
        subscriptions.remove(kind, name);
        connections.unsubscribe(new Subscriptions.Subscription(kind, name));
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        backlog.close();
        connections.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
