package io.wsk.client;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one client. By default two of its own: {@code wsk-client-io-N} runs the
 * connection (Netty, every protocol state change, timers) and {@code wsk-client-events-N} runs
 * the user's listeners in order, so that a slow listener never delays a pong. With a user
 * {@link Executor} there is no listener thread; with {@link ClientResources} both are shared with
 * other clients (listener calls still in order per client). {@link #shutdown()} stops the
 * client's own threads and waits for them (briefly); shared ones keep running.
 */
final class ClientThreads {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClientThreads.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long SHUTDOWN_WAIT_MILLIS = 3_000;

    /** Null when the I/O thread is shared. */
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelType;
    private final ExecutorService ownListeners;
    private final OrderedExecutor sharedListeners;
    private final Executor listeners;
    private volatile Thread listenerThread;
    private volatile Thread ioThread;

    ClientThreads(Executor userListeners, ClientResources shared) {
        int id = IDS.incrementAndGet();
        if (shared != null) {
            ownGroup = null;
            loop = shared.group.next();
            channelType = shared.channelType;
        } else {
            // Netty's thread class (FastThreadLocalThread) for its fast thread-locals, with a plain name.
            java.util.concurrent.ThreadFactory io = r -> {
                Thread t = new FastThreadLocalThread(r, "wsk-client-io-" + id);
                t.setDaemon(true);
                ioThread = t;
                return t;
            };
            if (Epoll.isAvailable()) {
                ownGroup = new EpollEventLoopGroup(1, io);
                channelType = EpollSocketChannel.class;
            } else {
                ownGroup = new NioEventLoopGroup(1, io);
                channelType = NioSocketChannel.class;
            }
            loop = ownGroup.next();
        }
        if (userListeners != null) {
            ownListeners = null;
            sharedListeners = null;
            listeners = userListeners;
        } else if (shared != null) {
            ownListeners = null;
            sharedListeners = new OrderedExecutor(shared.listeners);
            listeners = sharedListeners;
        } else {
            sharedListeners = null;
            ownListeners = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "wsk-client-events-" + id);
                t.setDaemon(true);
                listenerThread = t;
                return t;
            });
            listeners = ownListeners;
        }
    }

    EventLoop loop() {
        return loop;
    }

    Class<? extends SocketChannel> channelType() {
        return channelType;
    }

    /** Runs a listener call on the listener thread, after those queued before it. */
    void dispatch(Runnable call) {
        try {
            listeners.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException | Error e) {
                    // A listener's bug must not end the listener thread nor hide the next events.
                    log.warn("a wsk-client listener threw", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: listeners are not called any more
        }
    }

    /**
     * For completing futures: on the listener thread, or here once it is gone (a future left
     * pending for ever would hang whoever waits on it).
     */
    void dispatchOrRun(Runnable completion) {
        try {
            listeners.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    /**
     * Stops the client's own threads. Waits for them to end, unless called on one of them (a
     * listener that closes its client), which would wait for itself.
     */
    void shutdown() {
        if (sharedListeners != null) {
            sharedListeners.shutdown();
        }
        if (ownGroup == null) {
            return;
        }
        ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (ownListeners != null) {
            ownListeners.shutdown();
        }
        if (loop.inEventLoop() || Thread.currentThread() == listenerThread) {
            return;
        }
        // Joined, not only terminated: when close() returns the threads are gone (callers count them).
        ownGroup.terminationFuture().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
        join(ioThread);
        if (ownListeners != null) {
            try {
                ownListeners.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            join(listenerThread);
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(SHUTDOWN_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
