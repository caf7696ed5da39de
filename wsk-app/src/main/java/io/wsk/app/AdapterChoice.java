package io.wsk.app;

import io.wsk.adapter.AdapterFactory;
import io.wsk.http.EventLoops;
import io.wsk.redis.RedisAdapterFactory;
import io.wsk.redis.RedisAdapterOptions;
import io.wsk.redis.RedisBus;
import io.wsk.redis.RedisStreamsAdapterFactory;
import io.wsk.redis.RedisStreamsAdapterOptions;
import io.wsk.redis.RedisUrls;
import io.wsk.redis.SubscriptionMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The cluster adapter chosen by {@code --adapter} and its Redis settings, as the classic recipe
 * configures them: {@code --redis-url}, else {@code REDIS_URL}, else {@code REDIS_HOST} and
 * {@code REDIS_PORT}.
 */
final class AdapterChoice implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdapterChoice.class);

    private final AdapterFactory factory;
    private final RedisBus bus;

    private AdapterChoice(AdapterFactory factory, RedisBus bus) {
        this.factory = factory;
        this.bus = bus;
    }

    /**
     * A Redis adapter's bus runs on {@code loops}, the server's event loops, which must outlive it.
     * Throws {@link IllegalArgumentException} with a message for the user on bad settings.
     */
    static AdapterChoice parse(String adapter, String redisUrl, Map<String, String> env, int queueLimit,
                               EventLoops loops) {
        return parse(adapter, redisUrl, env, queueLimit, loops, false);
    }

    /**
     * As above; {@code recovery}: connection state recovery was asked for, which only the
     * in-memory adapter (one node) and the streams adapter (a cluster) can give.
     */
    static AdapterChoice parse(String adapter, String redisUrl, Map<String, String> env, int queueLimit,
                               EventLoops loops, boolean recovery) {
        if (recovery && (adapter.equals("redis") || adapter.equals("redis-sharded"))) {
            throw new IllegalArgumentException("--recovery needs --adapter redis-streams in a cluster (or memory on one"
                    + " node): the " + adapter + " adapter is pub/sub, which keeps nothing to restore a session from");
        }
        switch (adapter) {
            case "memory":
                if (redisUrl != null) {
                    // A node that was meant to join a cluster would serve alone, and nothing would say.
                    throw new IllegalArgumentException("--redis-url has no effect with the memory adapter: add --adapter "
                            + "redis (or redis-sharded, redis-streams) to share broadcasts through Redis");
                }
                for (String variable : new String[] {"REDIS_URL", "REDIS_HOST"}) {
                    if (env.get(variable) != null) {
                        log.warn("{} is set but the adapter is memory: this node shares nothing with other nodes "
                                + "(set WSK_ADAPTER or --adapter to use Redis)", variable);
                        break;
                    }
                }
                return new AdapterChoice(null, null);
            case "redis", "redis-sharded": {
                String url = redisUrl(redisUrl, env);
                RedisBus bus = new RedisBus(url, queueLimit, loops.group());
                sayWhereTheAddressCameFrom(bus, redisUrl, env);
                SubscriptionMode mode = adapter.equals("redis") ? null : SubscriptionMode.DYNAMIC;
                return new AdapterChoice(new RedisAdapterFactory(bus, RedisAdapterOptions.defaults(), mode), bus);
            }
            case "redis-streams": {
                RedisBus bus = new RedisBus(redisUrl(redisUrl, env), queueLimit, loops.group());
                sayWhereTheAddressCameFrom(bus, redisUrl, env);
                return new AdapterChoice(new RedisStreamsAdapterFactory(bus, RedisStreamsAdapterOptions.defaults()), bus);
            }
            default:
                throw new IllegalArgumentException("unknown adapter '" + adapter
                        + "' (available: memory, redis, redis-sharded, redis-streams)");
        }
    }

    /**
     * When Redis cannot be reached at start, which setting gave its address: the bus keeps
     * retrying (Redis may just be starting), but a wrong address would retry for ever.
     */
    private static void sayWhereTheAddressCameFrom(RedisBus bus, String flag, Map<String, String> env) {
        if (bus.isConnected()) {
            return;
        }
        String source = flag != null ? "--redis-url"
                : env.get("REDIS_URL") != null ? "REDIS_URL"
                : env.get("REDIS_HOST") != null || env.get("REDIS_PORT") != null ? "REDIS_HOST/REDIS_PORT"
                : "the default, as none of --redis-url, REDIS_URL and REDIS_HOST is set";
        log.warn("Redis is not reachable yet; its address comes from {}: check it if this goes on", source);
    }

    static String redisUrl(String flag, Map<String, String> env) {
        String url = flag != null ? flag : env.get("REDIS_URL");
        if (url == null) {
            String host = env.getOrDefault("REDIS_HOST", "127.0.0.1");
            String port = env.getOrDefault("REDIS_PORT", "6379");
            url = "redis://" + host + ":" + port;
        }
        return RedisUrls.check(url);
    }

    /** The adapter factory, or {@code null} for the in-memory default. */
    AdapterFactory factory() {
        return factory;
    }

    /** The Redis bus of a Redis adapter, or {@code null} for the in-memory one. */
    RedisBus bus() {
        return bus;
    }

    @Override
    public void close() {
        if (factory instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
        if (bus != null) {
            bus.close();
        }
    }
}
