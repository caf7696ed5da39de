package io.wsk.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a socket's {@link PacketMiddleware}s over its incoming events, one event at a time: an
 * event whose middleware answers later holds back the events after it, so handlers see them in
 * the order the client sent them. Lives on the socket's loop.
 */
final class PacketMiddlewareChain {

    private static final Logger log = LoggerFactory.getLogger(PacketMiddlewareChain.class);

    /**
     * Most events that may wait for an earlier one's middlewares. The rate limit alone does not
     * bound them: a middleware that never answers, and a client that sends just under the rate,
     * would make the queue grow for as long as the connection lives. Past this, events are
     * refused like a middleware's refusal (the socket's error handlers are told).
     */
    static final int MAX_WAITING = 1024;

    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final Socket socket;
    private boolean busy;

    PacketMiddlewareChain(Socket socket) {
        this.socket = socket;
    }

    /** Runs {@code middlewares} over the event, then {@code dispatch} unless one refused it. */
    void run(List<PacketMiddleware> middlewares, String event, EventArgs args, Runnable dispatch) {
        Runnable start = () -> step(middlewares, 0, event, args, dispatch);
        if (busy) {
            if (waiting.size() >= MAX_WAITING) {
                IncomingEvents.refused(socket, new IllegalStateException(
                        "'" + event + "' refused: " + MAX_WAITING + " events already wait for a packet middleware"));
                return;
            }
            waiting.add(start);
            return;
        }
        busy = true;
        start.run();
    }

    private void step(List<PacketMiddleware> middlewares, int index, String event, EventArgs args, Runnable dispatch) {
        if (!socket.connected()) {
            finished();
            return;
        }
        if (index >= middlewares.size()) {
            dispatch.run();
            finished();
            return;
        }
        Step next = new Step(() -> step(middlewares, index + 1, event, args, dispatch));
        try {
            middlewares.get(index).handle(socket, event, args, next);
        } catch (RuntimeException e) {
            next.reject(e);
        }
    }

    private void finished() {
        Runnable queued = waiting.poll();
        if (queued == null) {
            busy = false;
        } else {
            socket.eventLoop().execute(queued); // a task of its own: no recursion over a long queue
        }
    }

    /** One middleware's {@code next}, continued on the socket's loop. */
    private final class Step implements PacketMiddleware.Next {
        private final Runnable proceed;
        private final AtomicBoolean answered = new AtomicBoolean();

        Step(Runnable proceed) {
            this.proceed = proceed;
        }

        @Override
        public void proceed() {
            if (answered.compareAndSet(false, true)) {
                socket.runOnLoop(proceed);
            }
        }

        @Override
        public void reject(RuntimeException error) {
            if (answered.compareAndSet(false, true)) {
                socket.runOnLoop(() -> {
                    IncomingEvents.refused(socket, error);
                    finished();
                });
            }
        }
    }
}
