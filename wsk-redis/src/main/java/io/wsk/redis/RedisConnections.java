package io.wsk.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a {@link RedisBus} reaches Redis: one server (or the master its sentinels name,
 * {@link StandaloneConnections}) or a Redis Cluster ({@link ClusterConnections}). The bus keeps
 * what does not depend on it (the ordered backlog, the grace after a reconnection, the
 * subscriptions' handlers); this says where each command and subscription goes.
 */
interface RedisConnections extends AutoCloseable {

    /**
     * Connects (blocking the caller) and subscribes to all of {@link Subscriptions}; throws when
     * Redis cannot be reached, and the bus tries again later.
     */
    void connect();

    /** Whether every connection the bus needs now is up (what {@code /ready} shows). */
    boolean isConnected();

    /**
     * Where the ordered writes go (publishes, XADD): a connection that never follows a
     * redirection by itself, so that a write sent again after a slot move cannot be overtaken by
     * a later one. {@code null} until connected.
     */
    RedisLink writes();

    /** Where other commands go (reads, session updates): following redirections is fine there. */
    RedisLink commands();

    /** A connection of its own, for a reader that blocks on the server (XREAD BLOCK). */
    CompletableFuture<RedisLink> connectReader();

    /** Subscribers of each channel, in their order (PUBSUB NUMSUB, over the whole deployment). */
    CompletableFuture<List<Long>> numsub(List<String> channels);

    /** Subscribers of each sharded channel, in their order (PUBSUB SHARDNUMSUB, on its shard). */
    CompletableFuture<List<Long>> shardNumsub(List<String> channels);

    /** {@code subscription} was just added to {@link Subscriptions}: subscribe now if connected. */
    void subscribe(Subscriptions.Subscription subscription);

    /** {@code subscription} was just removed from {@link Subscriptions}: unsubscribe if connected. */
    void unsubscribe(Subscriptions.Subscription subscription);

    /**
     * A queued write failed on a connection, not by a refusal: a cluster looks up its topology
     * again, then calls {@code retry} (the slot may have a new master); one server reconnects by
     * itself, and its reconnection sends the backlog.
     */
    void writeFailed(Runnable retry);

    /**
     * Calls {@code task} each time a connection comes (back) up by itself, which is when the
     * backlog may be sent. One server: Lettuce's reconnections. A cluster: never; it opens
     * connections all the time (each topology lookup does), so the backlog there is sent again
     * on a failed write's {@link #writeFailed} instead.
     */
    void onReconnected(Runnable task);

    /** Where the bus connects, without credentials: what to check in the Redis URL setting. */
    String target();

    /** What an operator should read for a connection failure (Lettuce's words made plain where needed). */
    String describe(Throwable error);

    @Override
    void close();
}
