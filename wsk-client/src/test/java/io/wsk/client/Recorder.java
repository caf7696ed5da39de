package io.wsk.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What one client socket saw, as queues a test waits on (every wait bounded by {@link #TIMEOUT}),
 * and the manager's reconnection events with the times they came ({@code System.nanoTime()}).
 */
final class Recorder implements ManagerListener {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    record Timed(String what, long nanos, int attempt) {
    }

    final BlockingQueue<String> connects = new LinkedBlockingQueue<>();
    final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    final BlockingQueue<ConnectError> connectErrors = new LinkedBlockingQueue<>();
    final List<Timed> managerEvents = new CopyOnWriteArrayList<>();
    private final Map<String, BlockingQueue<Args>> events = new ConcurrentHashMap<>();
    final List<String> listenerThreads = new CopyOnWriteArrayList<>();
    final List<String> upgrades = new CopyOnWriteArrayList<>();
    /** When the manager first reported that it could not open the connection (0: never). */
    volatile long firstErrorNanos;

    static Recorder on(ClientSocket socket) {
        Recorder r = new Recorder();
        socket.onConnect(() -> {
            r.listenerThreads.add(Thread.currentThread().getName());
            r.connects.add(socket.id() + (socket.recovered() ? " recovered" : ""));
        });
        socket.onDisconnect(r.disconnects::add);
        socket.onConnectError(r.connectErrors::add);
        socket.io().addListener(r);
        return r;
    }

    /** Records event {@code name}. */
    Recorder record(ClientSocket socket, String name) {
        socket.on(name, (args, ack) -> queue(name).add(args));
        return this;
    }

    BlockingQueue<Args> queue(String name) {
        return events.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
    }

    Args next(String name) {
        return poll(queue(name), "event " + name);
    }

    String awaitConnect() {
        return poll(connects, "connect");
    }

    String awaitDisconnect() {
        return poll(disconnects, "disconnect");
    }

    ConnectError awaitConnectError() {
        return poll(connectErrors, "connect_error");
    }

    static <T> T poll(BlockingQueue<T> queue, String what) {
        try {
            T value = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (value == null) {
                throw new AssertionError("no " + what + " within " + TIMEOUT.toMillis() + " ms");
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onUpgrade(String transport) {
        upgrades.add(transport);
    }

    @Override
    public void onError(Throwable error) {
        if (firstErrorNanos == 0) {
            firstErrorNanos = System.nanoTime();
        }
    }

    @Override
    public void onClose(String reason) {
        managerEvents.add(new Timed("close", System.nanoTime(), 0));
    }

    @Override
    public void onReconnectAttempt(int attempt) {
        managerEvents.add(new Timed("attempt", System.nanoTime(), attempt));
    }

    @Override
    public void onReconnectError(Throwable error) {
        managerEvents.add(new Timed("error", System.nanoTime(), 0));
    }

    @Override
    public void onReconnect(int attempt) {
        managerEvents.add(new Timed("reconnect", System.nanoTime(), attempt));
    }
}
