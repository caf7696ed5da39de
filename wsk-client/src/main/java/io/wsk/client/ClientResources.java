package io.wsk.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for many clients at once. By default each {@link Manager} has two threads of its own
 * (an I/O thread and a listener thread); an application with hundreds of connections shares
 * these instead ({@link ClientOptions.Builder#resources}): connections are spread over
 * {@code ioThreads} I/O threads ({@code wsk-client-shared-io-N}), listener calls over
 * {@code listenerThreads} threads ({@code wsk-client-shared-events-N}), still one at a time and
 * in order for each client. Closing a manager leaves them running; {@link #close()} stops them,
 * after the managers that use them are closed.
 */
public final class ClientResources implements AutoCloseable {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long SHUTDOWN_WAIT_MILLIS = 5_000;

    final EventLoopGroup group;
    final Class<? extends SocketChannel> channelType;
    final ExecutorService listeners;

    private ClientResources(int ioThreads, int listenerThreads) {
        int id = IDS.incrementAndGet();
        ThreadFactory io = named("wsk-client-shared-io-" + id + "-", true);
        if (Epoll.isAvailable()) {
            group = new EpollEventLoopGroup(ioThreads, io);
            channelType = EpollSocketChannel.class;
        } else {
            group = new NioEventLoopGroup(ioThreads, io);
            channelType = NioSocketChannel.class;
        }
        listeners = Executors.newFixedThreadPool(listenerThreads, named("wsk-client-shared-events-" + id + "-", false));
    }

    public static ClientResources create(int ioThreads, int listenerThreads) {
        if (ioThreads < 1 || listenerThreads < 1) {
            throw new IllegalArgumentException("at least one thread of each kind");
        }
        return new ClientResources(ioThreads, listenerThreads);
    }

    private static ThreadFactory named(String prefix, boolean netty) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            String name = prefix + n.incrementAndGet();
            Thread t = netty ? new FastThreadLocalThread(r, name) : new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the shared threads and waits for them (briefly). */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
        listeners.shutdown();
        try {
            listeners.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
