package io.wsk.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.wsk.redis.RedisBus;

/** The cluster adapter's link to Redis: whether it is up, and what waits for it or was lost. */
final class RedisMeters implements MeterBinder {

    private final RedisBus bus;

    RedisMeters(RedisBus bus) {
        this.bus = bus;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("wsk.redis.connected", bus, b -> b.isConnected() ? 1 : 0)
                .description("1 while both Redis connections (commands, subscriptions) are up, else 0").register(registry);
        Gauge.builder("wsk.redis.publishes.queued", bus, RedisBus::queuedPublishes)
                .description("Publishes waiting for Redis (sent in order once it is back)").register(registry);
        FunctionCounter.builder("wsk.redis.publishes.dropped", bus, RedisBus::droppedPublishes)
                .description("Publishes dropped: Redis was away longer than --redis-queue could cover").register(registry);
        FunctionCounter.builder("wsk.redis.publishes.refused", bus, RedisBus::refusedPublishes)
                .description("Publishes Redis answered with an error, dropped").register(registry);
    }
}
