package io.wsk.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the listener calls of one
 * client keep their order when many clients share a pool of listener threads
 * ({@link ClientResources}). Once {@link #shutdown()} it refuses new tasks.
 */
final class OrderedExecutor implements Executor {

    private final Executor delegate;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private boolean shutdown;

    OrderedExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (queue) {
            if (shutdown) {
                throw new RejectedExecutionException("client closed");
            }
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        delegate.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }

    /** Refuses new tasks; those queued still run. */
    void shutdown() {
        synchronized (queue) {
            shutdown = true;
        }
    }
}
