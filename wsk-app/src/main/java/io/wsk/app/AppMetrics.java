package io.wsk.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.wsk.http.EventLoops;
import io.wsk.redis.RedisBus;
import io.wsk.server.SocketIoServer;

import java.util.List;

/**
 * The running server's meter registry: wsk's own meters ({@link WskMeters}) for each Socket.IO
 * server, the JVM's (memory, GC, threads, classes, CPU, uptime, file descriptors) and Netty's
 * (pooled allocator memory, tasks pending on each I/O loop) and how late each loop runs
 * ({@link LoopDelayMeters}).
 */
final class AppMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final LoopDelayMeters loopDelays;

    /** {@code bus}: the cluster adapter's Redis bus, or {@code null} for the in-memory adapter. */
    AppMetrics(List<SocketIoServer> servers, EventLoops loops, RedisBus bus) {
        servers.forEach(io -> new WskMeters(io).bindTo(registry));
        if (bus != null) {
            new RedisMeters(bus).bindTo(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        new NettyEventExecutorMetrics(loops.group()).bindTo(registry);
        loopDelays = new LoopDelayMeters(loops.group());
        loopDelays.bindTo(registry);
    }

    MetricsEndpoint endpoint() {
        return new MetricsEndpoint(registry);
    }

    @Override
    public void close() {
        loopDelays.close();
        gc.close();
        registry.close();
    }
}
