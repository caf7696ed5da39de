package io.wsk.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/**
 * The subscriptions of a bus on a Redis Cluster, each on the master that owns its channel's slot,
 * through one pub/sub connection per master, moved when the owner changes.
 *
 * <p>A sharded channel (SSUBSCRIBE) is served only by the master of its slot: after a failover
 * the new master knows nothing of the old one's subscribers, and after a slot move Redis drops
 * them (it sends SUNSUBSCRIBE). So the owner of each channel is looked up again
 * {@link #CHECK_EVERY} in the topology (which Lettuce refreshes, and which is refreshed at once
 * when a connection drops or Redis unsubscribes us), and wherever it differs from where the channel
 * is subscribed, SSUBSCRIBE goes to the new owner before SUNSUBSCRIBE to the old one: an SPUBLISH
 * reaches one shard only, so that order cannot deliver a message twice.
 *
 * <p>Classic channels and patterns (PUBLISH is broadcast to every node) may be subscribed on any
 * node; they start on their slot's master, for spread, and move only when their node stops
 * being a master or is lost: leaving the old node first, as a broadcast reaches both.
 *
 * <p>All the state is kept by one thread ({@code thread}, the bus's), so it needs no locks.
 */
final class ClusterSubscriptions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterSubscriptions.class);

    static final Duration CHECK_EVERY = Duration.ofMillis(100);
    /** Topology lookups asked for by trouble here, at most this often (Lettuce also refreshes on its own). */
    static final Duration REFRESH_AT_MOST_EVERY = Duration.ofMillis(300);
    /** A subscription Redis refused to this user ({@code NOPERM}) is asked for again this much later. */
    static final Duration RETRY_REFUSED = Duration.ofSeconds(5);

    private final RedisClusterClient topology;
    private final RedisClient nodeClient;
    private final RedisURI seed;
    private final Subscriptions subscriptions;
    private final ScheduledExecutorService thread;
    /** By {@code host:port}: the pub/sub connection to that master. */
    private final Map<String, NodeSubscriber> nodes = new HashMap<>();
    /** Where each subscription was sent last ({@code host:port}). */
    private final Map<Subscriptions.Subscription, String> placed = new HashMap<>();
    /** Subscriptions Redis refused to this user: when to ask again ({@link System#nanoTime}). */
    private final Map<Subscriptions.Subscription, Long> retryRefused = new HashMap<>();
    /** When each subscription was last asked of Redis ({@link System#nanoTime}). */
    private final Map<Subscriptions.Subscription, Long> asked = new HashMap<>();
    /**
     * When a connection to each master was first asked for ({@link System#nanoTime}): one being
     * opened for the first time (at start, or a dynamic room's first channel on that master) is
     * no outage, for up to {@link ClusterConnections#CONNECT_TIMEOUT}.
     */
    private final Map<String, Long> firstConnect = new HashMap<>();
    private final ScheduledFuture<?> checks;
    private volatile boolean allPlaced;
    private boolean everPlaced;
    private long lastRefreshNanos = System.nanoTime() - REFRESH_AT_MOST_EVERY.toNanos();
    private volatile boolean closed;

    ClusterSubscriptions(ClientResources resources, RedisClusterClient topology, RedisURI seed,
                         Subscriptions subscriptions, ScheduledExecutorService thread) {
        this.topology = topology;
        this.seed = seed;
        this.subscriptions = subscriptions;
        this.thread = thread;
        this.nodeClient = RedisClient.create(resources);
        this.nodeClient.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(ClusterConnections.CONNECT_TIMEOUT).build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.checks = PeriodicTask.every(thread, Duration.ZERO, CHECK_EVERY, "Redis Cluster: placing subscriptions", this::place);
    }

    /** Whether every subscription is on a live connection to its master (or, for classic ones, a master). */
    boolean allPlaced() {
        return allPlaced;
    }

    /** A subscription was added: place it now rather than at the next check. */
    void added() {
        run(this::place);
    }

    /** A subscription was removed: unsubscribe where it was. */
    void removed(Subscriptions.Subscription subscription) {
        run(() -> {
            if (subscriptions.contains(subscription)) {
                return; // subscribed again meanwhile
            }
            String at = placed.remove(subscription);
            NodeSubscriber node = at == null ? null : nodes.get(at);
            if (node != null && node.isOpen()) {
                subscription.kind().unsubscribe(node.connection.async(), subscription.name());
            }
        });
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closing) {
            // the bus is closing
        }
    }

    /** Puts each subscription where it belongs now; drops connections to nodes no longer used. */
    private void place() {
        if (closed) {
            return;
        }
        Partitions partitions = topology.getPartitions();
        boolean complete = true;
        boolean stale = false;
        int moved = 0;
        int waiting = 0;
        Set<String> used = new HashSet<>();
        long now = System.nanoTime();
        retryRefused.keySet().retainAll(subscriptions.all());
        asked.keySet().retainAll(subscriptions.all());
        for (Subscriptions.Subscription s : subscriptions.all()) {
            Long retryAt = retryRefused.get(s);
            if (retryAt != null) {
                if (now - retryAt < 0) {
                    // Refused to this user, not lost: the bus says it (Subscriptions#refused), not "waiting".
                    RedisClusterNode home = partitions.getMasterBySlot(SlotHash.getSlot(Subscriptions.bytes(s.name())));
                    if (home != null && home.getUri() != null) {
                        used.add(key(home.getUri())); // keep its connection for the next try
                    }
                    continue;
                }
                retryRefused.remove(s);
            } else if (subscriptions.isRefused(s) && now - asked.getOrDefault(s, now) > RETRY_REFUSED.toNanos()) {
                placed.remove(s); // refused where it was and not asked since: ask again, whatever the reply's callback saw
            }
            String at = placed.get(s);
            if (s.kind() != Subscriptions.Kind.SHARD && at != null && isMaster(partitions, at) && isOpen(at)) {
                used.add(at);
                continue;
            }
            RedisClusterNode master = partitions.getMasterBySlot(SlotHash.getSlot(Subscriptions.bytes(s.name())));
            if (master == null || master.getUri() == null) {
                complete = false;
                waiting++;
                stale = true; // a slot nobody serves: a failover under way
                continue;
            }
            String home = key(master.getUri());
            used.add(home);
            NodeSubscriber node = nodes.computeIfAbsent(home, k -> new NodeSubscriber(k, master.getUri()));
            long first = firstConnect.computeIfAbsent(home, k -> now);
            if (!node.isOpen() && !node.wasOpen && now - first < ClusterConnections.CONNECT_TIMEOUT.toNanos()) {
                continue; // its first connection, under way: placed once it is open (place() runs then)
            }
            if (!node.isOpen()) {
                complete = false;
                waiting++;
                stale |= node.wasOpen;
                continue;
            }
            if (home.equals(at)) {
                continue;
            }
            NodeSubscriber old = at == null ? null : nodes.get(at);
            boolean sharded = s.kind() == Subscriptions.Kind.SHARD;
            if (!sharded && old != null && old.isOpen()) {
                s.kind().unsubscribe(old.connection.async(), s.name());
            }
            subscribe(node, s);
            if (sharded && old != null && old.isOpen()) {
                s.kind().unsubscribe(old.connection.async(), s.name());
            }
            placed.put(s, home);
            if (at != null) {
                moved++;
            }
        }
        for (Iterator<Map.Entry<String, NodeSubscriber>> it = nodes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, NodeSubscriber> entry = it.next();
            if (!used.contains(entry.getKey())) {
                entry.getValue().close();
                it.remove();
            }
        }
        // Said once per change, for an operator: Lettuce's own lines repeat on every lookup.
        if (moved > 0) {
            log.info("Redis Cluster: {} subscriptions moved to their slots' new masters", moved);
        }
        if (allPlaced && !complete) {
            log.warn("Redis Cluster: {} subscriptions wait for their slot's master (a failover under way, "
                    + "or a master unreachable); looking again every {} ms", waiting, CHECK_EVERY.toMillis());
        } else if (!allPlaced && complete && everPlaced) {
            log.info("Redis Cluster: every subscription is on its master again");
        }
        everPlaced |= complete;
        allPlaced = complete;
        if (stale) {
            refreshTopology();
        }
    }

    private void subscribe(NodeSubscriber node, Subscriptions.Subscription s) {
        String home = node.key;
        asked.put(s, System.nanoTime());
        // A master that has just lost the slot answers MOVED: look again once the topology is new.
        s.kind().subscribe(node.connection.async(), s.name()).whenComplete((ok, error) -> {
            if (error == null) {
                subscriptions.accepted(s);
            } else if (Subscriptions.isPermissionRefusal(error)) {
                // Not allowed to this user (ACL): asking again at once would only be refused again, in a loop.
                subscriptions.refused(s, error, home);
                run(() -> {
                    if (home.equals(placed.get(s))) {
                        placed.remove(s);
                        retryRefused.put(s, System.nanoTime() + RETRY_REFUSED.toNanos());
                    }
                });
            } else {
                log.debug("{} refused {} {}: {}", home, s.kind(), s.name(), error.toString());
                run(() -> forget(s, home));
            }
        });
    }

    /** {@code s} is no longer subscribed at {@code at} (Redis dropped it, or refused it): place it again. */
    private void forget(Subscriptions.Subscription s, String at) {
        if (at.equals(placed.get(s))) {
            placed.remove(s);
            refreshTopology();
            place();
        }
    }

    private void refreshTopology() {
        long now = System.nanoTime();
        if (now - lastRefreshNanos < REFRESH_AT_MOST_EVERY.toNanos()) {
            return;
        }
        lastRefreshNanos = now;
        topology.refreshPartitionsAsync().whenComplete((done, error) -> run(this::place));
    }

    private boolean isMaster(Partitions partitions, String key) {
        for (RedisClusterNode node : partitions.getPartitions()) {
            // A node known by id only (no address yet, or a failed one) has a null URI.
            if (node.getUri() != null && node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
                    && key.equals(key(node.getUri()))) {
                return true;
            }
        }
        return false;
    }

    private boolean isOpen(String key) {
        NodeSubscriber node = nodes.get(key);
        return node != null && node.isOpen();
    }

    static String key(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public void close() {
        closed = true;
        checks.cancel(false);
        nodes.values().forEach(NodeSubscriber::close);
        nodeClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** The pub/sub connection to one master, connecting in the background. */
    private final class NodeSubscriber {
        final String key;
        volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;
        /** Whether it was ever connected: a drop after that means the node is gone, or moved. */
        volatile boolean wasOpen;
        volatile boolean dropped;

        NodeSubscriber(String key, RedisURI address) {
            this.key = key;
            RedisURI uri = RedisURI.builder(seed).withHost(address.getHost()).withPort(address.getPort()).build();
            nodeClient.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, error) -> {
                if (error != null) {
                    log.debug("cannot subscribe on {} yet: {}", key, error.toString());
                    // Forgotten, so that the next check connects again (if it is still a master).
                    run(() -> nodes.remove(key, this));
                    return;
                }
                if (dropped || closed) {
                    c.closeAsync();
                    return;
                }
                c.addListener(subscriptions);
                c.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void sunsubscribed(byte[] channel, long count) {
                        // Redis unsubscribes us from a slot moved away (or we asked): where is it now?
                        run(() -> forget(new Subscriptions.Subscription(Subscriptions.Kind.SHARD,
                                Subscriptions.text(channel)), key));
                    }
                });
                connection = c;
                wasOpen = true;
                run(ClusterSubscriptions.this::place);
            });
        }

        boolean isOpen() {
            StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
            return c != null && c.isOpen();
        }

        void close() {
            dropped = true;
            StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
            if (c != null) {
                c.closeAsync();
            }
        }
    }
}
