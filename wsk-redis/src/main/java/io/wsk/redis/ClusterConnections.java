package io.wsk.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A Redis Cluster ({@code redis-cluster://seed,seed...}): each write and read goes to the master of
 * its key's slot, each subscription to its channel's master ({@link ClusterSubscriptions}), and
 * counts of subscribers are asked of the nodes that have them ({@link ClusterSubscriberCounts}).
 *
 * <p>Two cluster clients, on purpose. The ordered writes ({@link PublishBacklog}) go through one
 * that follows no redirection (MOVED, ASK) and looks up the topology only when a write failed:
 * a write redirected by Lettuce on its own, or sent after a topology refresh that came between
 * two writes, could reach the new owner after a later one did. Here a write that meets a moved
 * slot fails, everything issued after it queues behind it, and the backlog sends them all again,
 * in order, to the new owner. Everything else (reads, session updates, stream readers, the
 * topology that subscriptions follow) goes through one that follows redirections and refreshes its
 * topology every {@link #TOPOLOGY_EVERY} and on trouble.
 */
final class ClusterConnections implements RedisConnections {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TOPOLOGY_EVERY = Duration.ofSeconds(1);

    private final List<RedisURI> seeds;
    private final RedisClusterClient routing;
    private final RedisClusterClient following;
    private final ClientResources resources;
    private final Subscriptions subscriptions;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile StatefulRedisClusterConnection<byte[], byte[]> writer;
    private volatile StatefulRedisClusterConnection<byte[], byte[]> commander;
    private volatile RedisLink writes;
    private volatile RedisLink commands;
    private volatile ClusterSubscriptions placed;
    private volatile ClusterSubscriberCounts counts;

    ClusterConnections(ClientResources resources, String url, Subscriptions subscriptions, ScheduledExecutorService thread) {
        this.resources = resources;
        this.seeds = RedisUrls.clusterSeeds(url);
        this.subscriptions = subscriptions;
        this.thread = thread;
        SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build();
        this.routing = RedisClusterClient.create(resources, seeds);
        this.routing.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(socket)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .maxRedirects(0)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enablePeriodicRefresh(false).build())
                .build());
        this.following = RedisClusterClient.create(resources, seeds);
        this.following.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(socket)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_EVERY)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(300))
                        .refreshTriggersReconnectAttempts(1)
                        .build())
                .build());
    }

    @Override
    public void connect() {
        StatefulRedisClusterConnection<byte[], byte[]> w = routing.connect(ByteArrayCodec.INSTANCE);
        StatefulRedisClusterConnection<byte[], byte[]> c;
        try {
            c = following.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            w.closeAsync();
            throw e;
        }
        writer = w;
        commander = c;
        writes = RedisLink.of(w);
        commands = RedisLink.of(c);
        counts = new ClusterSubscriberCounts(following, c);
        placed = new ClusterSubscriptions(resources, following, seeds.get(0), subscriptions, thread);
    }

    /**
     * Every subscription on a live master, and no slot served by a master the cluster sees failing:
     * from the moment the other nodes suspect a master until its replica took over, writes to its
     * slots cannot go anywhere, whichever channels this node's subscriptions are on.
     */
    @Override
    public boolean isConnected() {
        ClusterSubscriptions p = placed;
        return p != null && p.allPlaced() && everySlotServed();
    }

    private boolean everySlotServed() {
        for (RedisClusterNode node : following.getPartitions().getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
                    && (node.is(RedisClusterNode.NodeFlag.FAIL) || node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public RedisLink writes() {
        return writes;
    }

    @Override
    public RedisLink commands() {
        return commands;
    }

    @Override
    public CompletableFuture<RedisLink> connectReader() {
        // A connection of its own: its XREAD BLOCK holds the connection to the stream's master.
        return following.connectAsync(ByteArrayCodec.INSTANCE).thenApply(RedisLink::of);
    }

    @Override
    public CompletableFuture<List<Long>> numsub(List<String> channels) {
        ClusterSubscriberCounts c = counts;
        return c == null ? notConnected() : c.numsub(channels);
    }

    @Override
    public CompletableFuture<List<Long>> shardNumsub(List<String> channels) {
        ClusterSubscriberCounts c = counts;
        return c == null ? notConnected() : c.shardNumsub(channels);
    }

    private static <T> CompletableFuture<T> notConnected() {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis Cluster is not connected"));
    }

    @Override
    public void subscribe(Subscriptions.Subscription subscription) {
        ClusterSubscriptions p = placed;
        if (p != null) {
            p.added();
        }
    }

    @Override
    public void unsubscribe(Subscriptions.Subscription subscription) {
        ClusterSubscriptions p = placed;
        if (p != null) {
            p.removed(subscription);
        }
    }

    /**
     * Whatever failed (a slot moved, a master lost, the cluster down for a moment), the slot may
     * have another master now: the writes' topology is looked up again, once for all the writes
     * that failed together, and then {@code retry}.
     */
    @Override
    public void writeFailed(Runnable retry) {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        // Bounded: a lookup that never ends must not leave the backlog waiting for ever.
        routing.refreshPartitionsAsync().toCompletableFuture().orTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, error) -> {
                    refreshing.set(false);
                    retry.run();
                });
    }

    @Override
    public void onReconnected(Runnable task) {
        // see the interface: a cluster's backlog is sent again from writeFailed
    }

    @Override
    public String target() {
        return "Redis Cluster seeds " + seeds.stream().map(ClusterSubscriptions::key).collect(Collectors.joining(","));
    }

    @Override
    public String describe(Throwable error) {
        if (notACluster(error)) {
            return "not a Redis Cluster (cluster support is disabled there): use redis:// for a single Redis";
        }
        return RedisBus.rootMessage(error);
    }

    /** Whether a seed answered that it is a plain Redis, not a node of a cluster. */
    static boolean notACluster(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (String.valueOf(e.getMessage()).contains("cluster support disabled")) {
                return true;
            }
            for (Throwable suppressed : e.getSuppressed()) {
                if (notACluster(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (placed != null) {
            placed.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (commander != null) {
            commander.close();
        }
        routing.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        following.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
