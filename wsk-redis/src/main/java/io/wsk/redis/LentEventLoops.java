package io.wsk.redis;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.concurrent.TimeUnit;

/**
 * Lends Lettuce event loops it does not own: the server's, so that the bus's connections run on
 * the threads of the sockets they publish for and deliver to. Lettuce releases its groups when a
 * client shuts down and shuts its provider down with its resources; here both leave the loops
 * running, since the server still needs them: their owner stops them, after the bus.
 */
final class LentEventLoops implements EventLoopGroupProvider {

    private final EventLoopGroup loops;

    LentEventLoops(EventLoopGroup loops) {
        this.loops = loops;
    }

    /** The loops, when they are of the type Lettuce asks for (its transport: epoll, or NIO without it). */
    @Override
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        if (!type.isInstance(loops)) {
            throw new IllegalArgumentException("Lettuce needs a " + type.getSimpleName() + ", the lent loops are a "
                    + loops.getClass().getSimpleName());
        }
        return type.cast(loops);
    }

    @Override
    public int threadPoolSize() {
        int[] count = {0};
        loops.forEach(e -> count[0]++);
        return count[0];
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup eventLoopGroup, long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
}
