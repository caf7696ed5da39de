package io.wsk.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.Transports;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Redis pub/sub bus a server's adapters share: one connection to publish and one to
 * subscribe, whatever the number of namespaces.
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

    /** How soon writes Redis refused for now (LOADING, ...) are sent again. */
    static final Duration REFUSED_RETRY = Duration.ofMillis(200);

    private final ClientResources resources;
    /** Publishes (and PUBSUB queries): commands fail at once while disconnected. */
    private final RedisClient client;
    private final RedisURI uri;
    /**
     * Subscriptions: commands wait for the connection while it is down. Lettuce renews on
     * reconnection only the subscriptions Redis confirmed, so one asked for during an outage
     * (a namespace created, or a room's first member on a dynamic sharded node) would otherwise
     * be lost for good. They are few (one per channel), so waiting costs nothing.
     */
    private final RedisClient subscriberClient;
    private final Map<String, BiConsumer<String, byte[]>> channelHandlers = new ConcurrentHashMap<>();
    private final Map<String, BiConsumer<String, byte[]>> patternHandlers = new ConcurrentHashMap<>();
    private final Map<String, BiConsumer<String, byte[]>> shardHandlers = new ConcurrentHashMap<>();
    private final PublishBacklog backlog;
    private final java.util.concurrent.atomic.AtomicBoolean refusedRetryScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wsk-redis-connect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile StatefulRedisConnection<byte[], byte[]> pub;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private final ReconnectGrace flushAfterConnect;
    private final Resubscriptions resubscriptions;
    private volatile boolean closed;

    /**
     * Connects to {@code uri} ({@code redis://[user:password@]host:port[/db]}, {@code rediss://} for
     * TLS, {@code redis-sentinel://host:port[,host:port...]#master} for the master the sentinels
     * name, asked again on each reconnection; see {@link RedisUrls}) on threads of Lettuce's own:
     * for a bus without a server, such as an {@link Emitter}'s.
     */
    public RedisBus(String uri, int maxPending) {
        this(uri, maxPending, null);
    }

    /**
     * Connects to {@code uri} on {@code loops}, a server's event loops (its {@code EventLoops}), which
     * must outlive the bus: close the bus first. With {@code null}, or loops of another transport
     * than Lettuce's (NIO where epoll is available), Lettuce has threads of its own. Connecting
     * blocks the calling thread, which therefore must not be one of {@code loops}.
     */
    public RedisBus(String uri, int maxPending, EventLoopGroup loops) {
        DefaultClientResources.Builder builder = DefaultClientResources.builder()
                // Reconnect attempts back off to 2 s at most (Lettuce's default grows to 30 s), so after
                // an outage every node of the cluster is back within about the same couple of seconds.
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(100), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        // Lettuce writes and flushes every command on its own: one syscall per
                        // publish. Publishes issued together (a burst of broadcasts from the
                        // server's loops) now leave in one write, flushed at the end of the loop
                        // pass or after 256 commands, whichever comes first.
                        channel.pipeline().addFirst(new FlushConsolidationHandler(256, true));
                    }
                });
        if (loops != null) {
            for (EventExecutor loop : loops) {
                if (loop.inEventLoop()) {
                    // The connection would wait for a registration that this very thread has to run.
                    throw new IllegalStateException("a RedisBus cannot be created on one of the loops it runs on");
                }
            }
            if (Transports.eventLoopGroupClass().isInstance(loops)) {
                // Lettuce's I/O and its few other tasks (reconnection, its event bus) on the
                // server's loops; neither Lettuce nor the resources' shutdown stops them.
                builder.eventLoopGroupProvider(new LentEventLoops(loops)).eventExecutorGroup(loops);
            } else {
                log.warn("the server's event loops ({}) are not of Lettuce's transport ({}): the Redis bus runs "
                        + "on threads of its own", loops.getClass().getSimpleName(),
                        Transports.eventLoopGroupClass().getSimpleName());
            }
        }
        this.resources = builder.build();
        this.uri = RedisURI.create(uri);
        this.client = RedisClient.create(resources, this.uri);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Commands issued while disconnected fail at once: the bus queues publishes itself,
                // bounded, instead of Lettuce's unbounded buffer.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.subscriberClient = RedisClient.create(resources, RedisURI.create(uri));
        this.subscriberClient.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .build());
        this.backlog = new PublishBacklog(maxPending, () -> pub, () -> {
            if (!refusedRetryScheduled.compareAndSet(false, true)) {
                return; // one retry at a time, however many writes were refused
            }
            try {
                retry.schedule(() -> {
                    refusedRetryScheduled.set(false);
                    flushRefused();
                }, REFUSED_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // nothing left to send
            }
        });
        this.resubscriptions = new Resubscriptions(() -> List.copyOf(channelHandlers.keySet()),
                () -> List.copyOf(shardHandlers.keySet()), this::numsub, this::shardNumsub);
        this.flushAfterConnect = new ReconnectGrace(retry, RESUBSCRIBE_GRACE, backlog::flush, resubscriptions::allBack);
        // Who else subscribes, sampled while all is well: after an outage the backlog waits only
        // until they are all back (see ReconnectGrace), not always the whole grace period.
        retry.scheduleWithFixedDelay(() -> {
            if (isConnected() && !flushAfterConnect.waiting()) {
                resubscriptions.sample();
            }
        }, SAMPLE_SUBSCRIBERS_EVERY.toMillis(), SAMPLE_SUBSCRIBERS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        this.client.getResources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent) {
                // Publishing the backlog at once would reach nobody: after a Redis restart every
                // node must resubscribe first. Give them the reconnect window, then send.
                flushAfterConnect.connected();
            }
        });
        connect(Duration.ofMillis(500));
    }

    private void connect(Duration backoff) {
        if (closed) {
            return;
        }
        StatefulRedisPubSubConnection<byte[], byte[]> subscriber = null;
        try {
            subscriber = subscriberClient.connectPubSub(ByteArrayCodec.INSTANCE);
            subscriber.addListener(new Dispatcher());
            StatefulRedisConnection<byte[], byte[]> publisher = client.connect(ByteArrayCodec.INSTANCE);
            sub = subscriber;
            pub = publisher;
            for (String channel : channelHandlers.keySet()) {
                subscriber.async().subscribe(bytes(channel));
            }
            for (String pattern : patternHandlers.keySet()) {
                subscriber.async().psubscribe(bytes(pattern));
            }
            for (String channel : shardHandlers.keySet()) {
                subscriber.async().ssubscribe(bytes(channel));
            }
            log.info("connected to Redis");
            // What was published before Redis could be reached waits like a backlog after an
            // outage: the other nodes may not be connected yet.
            flushAfterConnect.connected();
        } catch (RuntimeException e) {
            if (subscriber != null && sub != subscriber) {
                // The publisher failed after the subscriber connected: drop the subscriber, or the
                // next attempt would leave two connections subscribed.
                subscriber.closeAsync();
            }
            Duration next = backoff.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0
                    ? MAX_RECONNECT_DELAY : backoff.multipliedBy(2);
            log.warn("cannot reach Redis at {} ({}); retrying in {} ms", target(), describe(e), backoff.toMillis());
            retry.schedule(() -> connect(next), backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The message and the root cause's (e.g. WRONGPASS, connection refused), for an operator. */
    /** Where the bus connects, without credentials: what to check in the Redis URL setting. */
    private String target() {
        if (uri.getSentinelMasterId() != null) {
            StringBuilder sentinels = new StringBuilder();
            for (RedisURI sentinel : uri.getSentinels()) {
                sentinels.append(sentinels.length() == 0 ? "" : ",").append(sentinel.getHost()).append(':').append(sentinel.getPort());
            }
            return "master '" + uri.getSentinelMasterId() + "' of sentinels " + sentinels;
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
    }

    private String describe(Throwable e) {
        String master = uri.getSentinelMasterId();
        if (master != null && String.valueOf(e.getMessage()).contains("for masterId " + master)) {
            // Lettuce's words for sentinels that answer but name no such master.
            return "the sentinels know no master named '" + master + "' (the name after # in the URL, "
                    + "as in their 'sentinel monitor' line), or none is up";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }

    /** Whether both connections are up right now. */
    public boolean isConnected() {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        return p != null && s != null && p.isOpen() && s.isOpen();
    }

    /** Sends what Redis refused for now, unless a reconnection's grace period is under way (it will). */
    private void flushRefused() {
        if (!flushAfterConnect.waiting()) {
            backlog.flush();
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
        byte[] name = bytes(channel);
        backlog.send(redis -> redis.publish(name, payload));
    }

    /** Publishes on a sharded channel (SPUBLISH, Redis 7+), or queues like {@link #publish}. */
    public void spublish(String channel, byte[] payload) {
        byte[] name = bytes(channel);
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
     * Runs a command now on the publishing connection (a read, a session update): fails at once
     * while Redis is away, and the caller decides what that means.
     */
    <T> CompletableFuture<T> command(Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>> command) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        try {
            return command.apply(p.async()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A connection of its own for a reader that blocks on the server (XREAD BLOCK): it must not
     * hold up publishes. Reconnects by itself; commands fail at once while it is down. Does not
     * block: the connection completes on the bus's loops.
     */
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connectReader() {
        return client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
    }

    /** How many clients subscribe to {@code channel} (PUBSUB NUMSUB). */
    public CompletableFuture<Long> numsub(String channel) {
        return numsub(List.of(channel)).thenApply(counts -> counts.get(0));
    }

    /** How many clients subscribe to each of {@code channels}, in their order, in one PUBSUB NUMSUB. */
    public CompletableFuture<List<Long>> numsub(List<String> channels) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        return p.async().pubsubNumsub(bytes(channels)).toCompletableFuture().thenApply(counts -> inOrder(channels, counts));
    }

    /** How many clients subscribe to the sharded {@code channel} (PUBSUB SHARDNUMSUB). */
    public CompletableFuture<Long> shardNumsub(String channel) {
        return shardNumsub(List.of(channel)).thenApply(counts -> counts.get(0));
    }

    /** How many clients subscribe to each of the sharded {@code channels}, in their order, in one PUBSUB SHARDNUMSUB. */
    public CompletableFuture<List<Long>> shardNumsub(List<String> channels) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        return p.async().pubsubShardNumsub(bytes(channels)).toCompletableFuture()
                .thenApply(counts -> inOrder(channels, counts));
    }

    private static byte[][] bytes(List<String> channels) {
        return channels.stream().map(RedisBus::bytes).toArray(byte[][]::new);
    }

    /** The counts of {@code channels} in their order: the reply's map is keyed by byte arrays, found by content. */
    private static List<Long> inOrder(List<String> channels, Map<byte[], Long> counts) {
        List<Long> result = new ArrayList<>(channels.size());
        for (String channel : channels) {
            byte[] key = bytes(channel);
            long count = 0;
            for (Map.Entry<byte[], Long> entry : counts.entrySet()) {
                if (Arrays.equals(entry.getKey(), key)) {
                    count = entry.getValue();
                    break;
                }
            }
            result.add(count);
        }
        return result;
    }

    // ---- subscribing ----

    /** Calls {@code handler(channel, payload)} for each message on the sharded {@code channel}. */
    public void ssubscribe(String channel, BiConsumer<String, byte[]> handler) {
        shardHandlers.put(channel, handler);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().ssubscribe(bytes(channel));
        }
    }

    public void sunsubscribe(String channel) {
        shardHandlers.remove(channel);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().sunsubscribe(bytes(channel));
        }
    }

    /** Calls {@code handler(channel, payload)} for each message on {@code channel}. */
    public void subscribe(String channel, BiConsumer<String, byte[]> handler) {
        channelHandlers.put(channel, handler);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().subscribe(bytes(channel));
        }
    }

    /** Calls {@code handler(channel, payload)} for each message on a channel matching {@code pattern}. */
    public void psubscribe(String pattern, BiConsumer<String, byte[]> handler) {
        patternHandlers.put(pattern, handler);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().psubscribe(bytes(pattern));
        }
    }

    public void unsubscribe(String channel) {
        channelHandlers.remove(channel);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().unsubscribe(bytes(channel));
        }
    }

    public void punsubscribe(String pattern) {
        patternHandlers.remove(pattern);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().punsubscribe(bytes(pattern));
        }
    }

    /**
     * Routes each message to its handler, in arrival order, on the subscribing connection's event
     * loop: one of the server's, whose sockets thus get the message at once.
     */
    private final class Dispatcher extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] channel, byte[] message) {
            String name = new String(channel, StandardCharsets.UTF_8);
            dispatch(channelHandlers.get(name), name, message);
        }

        @Override
        public void message(byte[] pattern, byte[] channel, byte[] message) {
            dispatch(patternHandlers.get(new String(pattern, StandardCharsets.UTF_8)),
                    new String(channel, StandardCharsets.UTF_8), message);
        }

        @Override
        public void smessage(byte[] shardChannel, byte[] message) {
            String name = new String(shardChannel, StandardCharsets.UTF_8);
            dispatch(shardHandlers.get(name), name, message);
        }

        private void dispatch(BiConsumer<String, byte[]> handler, String channel, byte[] message) {
            if (handler == null) {
                return;
            }
            try {
                handler.accept(channel, message);
            } catch (RuntimeException e) {
                // A bad message must not stop the bus: log it and carry on with the next one.
                log.warn("ignored a message on {} that could not be handled: {}", channel, e.toString());
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        backlog.close();
        if (sub != null) {
            sub.close();
        }
        if (pub != null) {
            pub.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        subscriberClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
