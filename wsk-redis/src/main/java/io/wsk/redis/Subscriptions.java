package io.wsk.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * What a bus subscribes to (channels, patterns, sharded channels) and who handles each: the one
 * record both connection kinds (one Redis, a cluster) subscribe from, again after each
 * reconnection or move, and dispatch to. Messages are handed to their handler on the connection's
 * event loop, in arrival order.
 */
final class Subscriptions extends RedisPubSubAdapter<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    /** The three kinds of subscription, and the command of each. */
    enum Kind {
        CHANNEL {
            @Override
            RedisFuture<Void> subscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name) {
                return redis.subscribe(bytes(name));
            }

            @Override
            void unsubscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name) {
                redis.unsubscribe(bytes(name));
            }
        },
        PATTERN {
            @Override
            RedisFuture<Void> subscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name) {
                return redis.psubscribe(bytes(name));
            }

            @Override
            void unsubscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name) {
                redis.punsubscribe(bytes(name));
            }
        },
        SHARD {
            @Override
            RedisFuture<Void> subscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name) {
                return redis.ssubscribe(bytes(name));
            }

            @Override
            void unsubscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name) {
                redis.sunsubscribe(bytes(name));
            }
        };

        abstract RedisFuture<Void> subscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name);

        abstract void unsubscribe(RedisPubSubAsyncCommands<byte[], byte[]> redis, String name);
    }

    /** One subscription: its kind and its channel or pattern. */
    record Subscription(Kind kind, String name) {

        /** The command that makes it: SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE. */
        String command() {
            return switch (kind) {
                case CHANNEL -> "SUBSCRIBE";
                case PATTERN -> "PSUBSCRIBE";
                case SHARD -> "SSUBSCRIBE";
            };
        }
    }

    /** Subscriptions Redis refused for want of permission, said once each until it takes them. */
    private final Set<Subscription> refused = ConcurrentHashMap.newKeySet();

    /**
     * Whether {@code error} is Redis refusing a command to this user ({@code NOPERM}: an ACL
     * without the channel or the command). Asking again at once will not help.
     */
    static boolean isPermissionRefusal(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (String.valueOf(e.getMessage()).startsWith("NOPERM")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Says, once until Redis takes it, that Redis refused {@code s} ({@link #isPermissionRefusal}):
     * nothing published there reaches this node, so an operator must hear of it.
     */
    void refused(Subscription s, Throwable error, String where) {
        if (refused.add(s)) {
            String reason = RedisBus.rootMessage(error);
            log.warn("Redis{} refused {} {}: {}; this node gets nothing published there until the Redis user may "
                    + "(ACL: &{} for the channel{})", where.isEmpty() ? "" : " at " + where, s.command(), s.name(),
                    reason, s.name(), s.kind() == Kind.PATTERN ? ", a pattern allowed as it is written" : "");
        }
    }

    /** Redis took {@code s}: a refusal of it before is over. */
    void accepted(Subscription s) {
        if (refused.remove(s)) {
            log.info("Redis took {} {} now", s.command(), s.name());
        }
    }

    /** Whether Redis refused {@code s} last time it was asked. */
    boolean isRefused(Subscription s) {
        return refused.contains(s);
    }

    /** Whether Redis refused some subscription last time it was asked (see {@link #refused}). */
    boolean anyRefused() {
        return !refused.isEmpty();
    }

    private final Map<Subscription, BiConsumer<String, byte[]>> handlers = new ConcurrentHashMap<>();

    void put(Kind kind, String name, BiConsumer<String, byte[]> handler) {
        handlers.put(new Subscription(kind, name), handler);
    }

    void remove(Kind kind, String name) {
        handlers.remove(new Subscription(kind, name));
        refused.remove(new Subscription(kind, name));
    }

    boolean contains(Subscription subscription) {
        return handlers.containsKey(subscription);
    }

    /** Every subscription now. */
    List<Subscription> all() {
        return List.copyOf(handlers.keySet());
    }

    /** The channels (or patterns) of one kind now. */
    List<String> names(Kind kind) {
        return handlers.keySet().stream().filter(s -> s.kind() == kind).map(Subscription::name).toList();
    }

    @Override
    public void message(byte[] channel, byte[] message) {
        String name = text(channel);
        dispatch(handlers.get(new Subscription(Kind.CHANNEL, name)), name, message);
    }

    @Override
    public void message(byte[] pattern, byte[] channel, byte[] message) {
        dispatch(handlers.get(new Subscription(Kind.PATTERN, text(pattern))), text(channel), message);
    }

    @Override
    public void smessage(byte[] shardChannel, byte[] message) {
        String name = text(shardChannel);
        dispatch(handlers.get(new Subscription(Kind.SHARD, name)), name, message);
    }

    private static void dispatch(BiConsumer<String, byte[]> handler, String channel, byte[] message) {
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

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
