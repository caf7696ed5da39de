package io.wsk.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The I/O event loops ({@code wsk-io-*} threads) that a server's connections run on, as an object
 * of its own so that other clients of the network can run on the same threads: the Redis bus puts
 * its connections there, so a message relayed between nodes reaches the sockets of its loop with
 * no hand-over between threads. Whoever creates them owns them and closes them last, after
 * everything running on them ({@link HttpServer#close()} leaves loops it was given running).
 *
 * <p>Uses the native epoll transport where available.
 */
public final class EventLoops implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean epoll;

    private EventLoops(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** {@code threads} loops (0: Netty's default, twice the cores), on epoll where available. */
    public static EventLoops create(int threads) {
        return create(threads, true);
    }

    /** {@code threads} loops (0: Netty's default); {@code nativeTransport}: epoll where available, else NIO. */
    public static EventLoops create(int threads, boolean nativeTransport) {
        boolean epoll = nativeTransport && Epoll.isAvailable();
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("wsk-io");
        return new EventLoops(epoll ? new EpollEventLoopGroup(threads, threadFactory)
                : new NioEventLoopGroup(threads, threadFactory), epoll);
    }

    /** The loops, for bootstraps (and clients such as Lettuce) to register channels on. */
    public EventLoopGroup group() {
        return group;
    }

    /** Whether they use the native epoll transport (else NIO). */
    public boolean isEpoll() {
        return epoll;
    }

    public int size() {
        int[] count = {0};
        group.forEach(e -> count[0]++);
        return count[0];
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Stops the loops (tasks already queued still run) and waits up to 2 s for their threads to end. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
