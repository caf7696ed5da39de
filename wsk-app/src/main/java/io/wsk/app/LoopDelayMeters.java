package io.wsk.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How late each I/O loop runs a task scheduled on it, sampled twice a second: the time its
 * sockets' packets also waited. A loop that is late for long is overloaded (one hot namespace, a
 * blocking handler), whatever the CPU figures say. Node's equivalent is the event loop lag.
 */
final class LoopDelayMeters implements MeterBinder, AutoCloseable {

    private static final long PERIOD_MILLIS = 500;

    private final EventLoopGroup group;
    private volatile boolean closed;

    LoopDelayMeters(EventLoopGroup group) {
        this.group = group;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        int index = 0;
        for (EventExecutor loop : group) {
            Timer timer = Timer.builder("wsk.eventloop.delay").tag("loop", Integer.toString(index++))
                    .description("How late a task scheduled on an I/O loop ran (sampled every 500 ms)")
                    .register(registry);
            sample(loop, timer);
        }
    }

    private void sample(EventExecutor loop, Timer timer) {
        if (closed) {
            return;
        }
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
        try {
            loop.schedule(() -> {
                timer.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
                sample(loop, timer);
            }, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the loops are shutting down
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
