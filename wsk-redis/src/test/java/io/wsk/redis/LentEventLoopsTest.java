package io.wsk.redis;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LentEventLoopsTest {

    @Test
    void lendsTheLoopsForTheirTypeAndNeverStopsThem() {
        NioEventLoopGroup loops = new NioEventLoopGroup(2);
        try {
            LentEventLoops lent = new LentEventLoops(loops);
            assertThat(lent.allocate(NioEventLoopGroup.class)).isSameAs(loops);
            assertThat(lent.allocate(EventLoopGroup.class)).isSameAs(loops);
            assertThat(lent.threadPoolSize()).isEqualTo(2);

            assertThat(lent.release(loops, 0, 1, TimeUnit.SECONDS).syncUninterruptibly().getNow()).isTrue();
            assertThat(lent.shutdown(0, 1, TimeUnit.SECONDS).syncUninterruptibly().getNow()).isTrue();
            assertThat(loops.isShuttingDown()).as("released and shut down, still running for their owner").isFalse();
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void refusesATypeTheLoopsAreNot() {
        NioEventLoopGroup loops = new NioEventLoopGroup(1);
        try {
            assertThatThrownBy(() -> new LentEventLoops(loops).allocate(EpollEventLoopGroup.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("EpollEventLoopGroup");
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
