package io.wsk.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Redis (or the master its sentinels name, asked again on each reconnection): one connection
 * to publish and one to subscribe, whatever the number of namespaces.
 */
final class StandaloneConnections implements RedisConnections {

    private final RedisURI uri;
    /** Publishes (and PUBSUB queries): commands fail at once while disconnected. */
    private final RedisClient client;
    /**
     * Subscriptions: commands wait for the connection while it is down. Lettuce renews on
     * reconnection only the subscriptions Redis confirmed, so one asked for during an outage
     * (a namespace created, or a room's first member on a dynamic sharded node) would otherwise
     * be lost for good. They are few (one per channel), so waiting costs nothing.
     */
    private final RedisClient subscriberClient;
    private final Subscriptions subscriptions;
    private volatile StatefulRedisConnection<byte[], byte[]> pub;
    private volatile RedisLink pubLink;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private volatile boolean closed;

    StandaloneConnections(ClientResources resources, String url, Subscriptions subscriptions) {
        this.uri = RedisURI.create(url);
        this.subscriptions = subscriptions;
        this.client = RedisClient.create(resources, uri);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Commands issued while disconnected fail at once: the bus queues publishes itself,
                // bounded, instead of Lettuce's unbounded buffer.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.subscriberClient = RedisClient.create(resources, RedisURI.create(url));
        this.subscriberClient.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .build());
    }

    @Override
    public void connect() {
        StatefulRedisPubSubConnection<byte[], byte[]> subscriber = subscriberClient.connectPubSub(ByteArrayCodec.INSTANCE);
        try {
            subscriber.addListener(subscriptions);
            StatefulRedisConnection<byte[], byte[]> publisher = client.connect(ByteArrayCodec.INSTANCE);
            sub = subscriber;
            pub = publisher;
            pubLink = RedisLink.of(publisher);
            for (Subscriptions.Subscription s : subscriptions.all()) {
                subscribeOn(subscriber, s);
            }
        } catch (RuntimeException e) {
            // The publisher failed after the subscriber connected: drop the subscriber, or the
            // next attempt would leave two connections subscribed.
            subscriber.closeAsync();
            throw e;
        }
    }

    /**
     * Subscribes, and hears whether Redis took it: one refused to this user ({@code NOPERM}, an ACL
     * without the channel) is said at WARN, leaves the bus not connected
     * ({@link RedisBus#isConnected}), and is asked for again every
     * {@link ClusterSubscriptions#RETRY_REFUSED} (not at once: it would only be refused again), also
     * after a reconnection, as Lettuce renews only the subscriptions Redis took.
     */
    private void subscribeOn(StatefulRedisPubSubConnection<byte[], byte[]> connection, Subscriptions.Subscription s) {
        s.kind().subscribe(connection.async(), s.name()).whenComplete((ok, error) -> {
            if (error == null) {
                subscriptions.accepted(s);
            } else if (Subscriptions.isPermissionRefusal(error)) {
                subscriptions.refused(s, error, "");
                retryRefused(s);
            }
        });
    }

    private void retryRefused(Subscriptions.Subscription s) {
        CompletableFuture.delayedExecutor(ClusterSubscriptions.RETRY_REFUSED.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (closed || !subscriptions.contains(s)) {
                return;
            }
            StatefulRedisPubSubConnection<byte[], byte[]> now = sub;
            if (now != null && now.isOpen()) {
                subscribeOn(now, s);
            } else {
                retryRefused(s); // Redis away: ask once it is back
            }
        });
    }

    @Override
    public boolean isConnected() {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        return p != null && s != null && p.isOpen() && s.isOpen();
    }

    @Override
    public RedisLink writes() {
        return pubLink;
    }

    @Override
    public RedisLink commands() {
        return pubLink;
    }

    @Override
    public CompletableFuture<RedisLink> connectReader() {
        return client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().thenApply(RedisLink::of);
    }

    @Override
    public CompletableFuture<List<Long>> numsub(List<String> channels) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        return p.async().pubsubNumsub(SubscriberCounts.bytes(channels)).toCompletableFuture()
                .thenApply(counts -> SubscriberCounts.inOrder(channels, counts));
    }

    @Override
    public CompletableFuture<List<Long>> shardNumsub(List<String> channels) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        return p.async().pubsubShardNumsub(SubscriberCounts.bytes(channels)).toCompletableFuture()
                .thenApply(counts -> SubscriberCounts.inOrder(channels, counts));
    }

    @Override
    public void subscribe(Subscriptions.Subscription subscription) {
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            subscribeOn(s, subscription);
        }
    }

    @Override
    public void unsubscribe(Subscriptions.Subscription subscription) {
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            subscription.kind().unsubscribe(s.async(), subscription.name());
        }
    }

    @Override
    public void writeFailed(Runnable retry) {
        // Lettuce reconnects by itself; the bus sends the backlog once it has (and the others too).
    }

    @Override
    public void onReconnected(Runnable task) {
        client.getResources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent) {
                task.run();
            }
        });
    }

    @Override
    public String target() {
        if (uri.getSentinelMasterId() != null) {
            StringBuilder sentinels = new StringBuilder();
            for (RedisURI sentinel : uri.getSentinels()) {
                sentinels.append(sentinels.length() == 0 ? "" : ",").append(sentinel.getHost()).append(':').append(sentinel.getPort());
            }
            return "master '" + uri.getSentinelMasterId() + "' of sentinels " + sentinels;
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public String describe(Throwable e) {
        String master = uri.getSentinelMasterId();
        if (master != null && String.valueOf(e.getMessage()).contains("for masterId " + master)) {
            // Lettuce's words for sentinels that answer but name no such master.
            return "the sentinels know no master named '" + master + "' (the name after # in the URL, "
                    + "as in their 'sentinel monitor' line), or none is up";
        }
        return RedisBus.rootMessage(e);
    }

    @Override
    public void close() {
        closed = true;
        if (sub != null) {
            sub.close();
        }
        if (pub != null) {
            pub.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        subscriberClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
