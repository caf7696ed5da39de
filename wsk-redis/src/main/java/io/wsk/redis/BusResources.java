package io.wsk.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The Lettuce resources of a bus: its threads (the server's loops, when it has some) and reconnection pace. */
final class BusResources {

    private static final Logger log = LoggerFactory.getLogger(BusResources.class);

    private BusResources() {
    }

    static ClientResources create(EventLoopGroup loops, Duration maxReconnectDelay) {
        DefaultClientResources.Builder builder = DefaultClientResources.builder()
                // Reconnect attempts back off to 2 s at most (Lettuce's default grows to 30 s), so after
                // an outage every node of the cluster is back within about the same couple of seconds.
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(100), maxReconnectDelay, 2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        // Lettuce writes and flushes every command on its own: one syscall per
                        // publish. Publishes issued together (a burst of broadcasts from the
                        // server's loops) now leave in one write, flushed at the end of the loop
                        // pass or after 256 commands, whichever comes first.
                        channel.pipeline().addFirst(new FlushConsolidationHandler(256, true));
                    }
                });
        if (loops != null) {
            for (EventExecutor loop : loops) {
                if (loop.inEventLoop()) {
                    // The connection would wait for a registration that this very thread has to run.
                    throw new IllegalStateException("a RedisBus cannot be created on one of the loops it runs on");
                }
            }
            if (Transports.eventLoopGroupClass().isInstance(loops)) {
                // Lettuce's I/O and its few other tasks (reconnection, its event bus) on the
                // server's loops; neither Lettuce nor the resources' shutdown stops them.
                builder.eventLoopGroupProvider(new LentEventLoops(loops)).eventExecutorGroup(loops);
            } else {
                log.warn("the server's event loops ({}) are not of Lettuce's transport ({}): the Redis bus runs "
                        + "on threads of its own", loops.getClass().getSimpleName(),
                        Transports.eventLoopGroupClass().getSimpleName());
            }
        }
        return builder.build();
    }
}
