package io.wsk.redis;

import io.wsk.adapter.Adapter;
import io.wsk.adapter.AdapterFactory;
import io.wsk.adapter.AdapterNamespace;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates a Redis adapter per namespace, all sharing one {@link RedisBus}: the classic pub/sub
 * adapter, or the sharded one when a {@link SubscriptionMode} is given. The bus is best run on the
 * server's event loops, as {@code wsk serve} does:
 * <pre>{@code
 * EventLoops loops = EventLoops.create(Runtime.getRuntime().availableProcessors());
 * RedisBus bus = new RedisBus("redis://redis:6379", 10_000, loops.group());
 * SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
 *         .adapter(new RedisAdapterFactory(bus, RedisAdapterOptions.defaults())).build());
 * HttpServer http = io.mount(HttpServer.builder().port(3000).eventLoops(loops)).start();
 * // at shutdown: io, http, then the factory, the bus and last the loops
 * }</pre>
 */
public final class RedisAdapterFactory implements AdapterFactory, AutoCloseable {

    private final RedisBus bus;
    private final RedisAdapterOptions options;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wsk-redis-timers");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code null} for the classic adapter. */
    private final SubscriptionMode shardedMode;

    /** The classic pub/sub adapter. */
    public RedisAdapterFactory(RedisBus bus, RedisAdapterOptions options) {
        this(bus, options, null);
    }

    /** The sharded adapter with {@code mode}, or the classic one when {@code mode} is null. */
    public RedisAdapterFactory(RedisBus bus, RedisAdapterOptions options, SubscriptionMode mode) {
        this.bus = bus;
        this.options = options;
        this.shardedMode = mode;
    }

    @Override
    public Adapter create(AdapterNamespace nsp) {
        return shardedMode == null
                ? new RedisAdapter(nsp, bus, options, timers)
                : new ShardedRedisAdapter(nsp, bus, options.key(), shardedMode, timers, options.requestsTimeoutMillis());
    }

    public RedisBus bus() {
        return bus;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
