package io.wsk.redis;

import io.wsk.adapter.Adapter;
import io.wsk.adapter.AdapterFactory;
import io.wsk.adapter.AdapterNamespace;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates a {@link RedisAdapter} per namespace, all sharing one {@link RedisBus}:
 * {@code SocketIoOptions.builder().adapter(new RedisAdapterFactory(bus, RedisAdapterOptions.defaults()))}.
 */
public final class RedisAdapterFactory implements AdapterFactory, AutoCloseable {

    private final RedisBus bus;
    private final RedisAdapterOptions options;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wsk-redis-timers");
        thread.setDaemon(true);
        return thread;
    });

    public RedisAdapterFactory(RedisBus bus, RedisAdapterOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Adapter create(AdapterNamespace nsp) {
        return new RedisAdapter(nsp, bus, options, timers);
    }

    public RedisBus bus() {
        return bus;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
