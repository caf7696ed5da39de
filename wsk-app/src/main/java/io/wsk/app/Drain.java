package io.wsk.app;

import io.wsk.engine.Engine;
import io.wsk.engine.EngineSession;
import io.wsk.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a node's clients away before it exits (SIGTERM). The listener closes, so new
 * connections are refused and the load balancer sends them elsewhere; then live transports are
 * closed evenly over the drain window. Clients see a plain transport close, which makes
 * the official clients reconnect (through the balancer, to another node); a Socket.IO DISCONNECT
 * would tell them to stay away. Spreading the closes keeps the other nodes from a reconnect storm.
 */
final class Drain {

    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    private static final long STEP_MILLIS = 100;

    private Drain() {
    }

    static void run(HttpServer server, List<Engine> engines, Duration window) throws InterruptedException {
        long start = System.nanoTime();
        server.stopAccepting();
        engines.forEach(Engine::stopAccepting);
        List<EngineSession> sessions = new ArrayList<>();
        engines.forEach(engine -> sessions.addAll(engine.sessions()));
        log.info("draining {} sessions over {} ms", sessions.size(), window.toMillis());
        closeSpread(sessions, start, window);
        // Sessions opened on kept-alive connections while draining (refused by the engines) or
        // still closing get a moment; then the process goes.
        long deadline = start + window.toNanos() + Duration.ofSeconds(1).toNanos();
        while (engines.stream().anyMatch(engine -> engine.sessionCount() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        log.info("drained in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Closes session {@code i} of {@code n} at {@code i/n} of the window (the first at once, the last
     * one n-th before its end), checking every {@link #STEP_MILLIS}: evenly over the whole window
     * whatever their number, so ten sessions do not all go in the first second of a ten-second drain.
     */
    private static void closeSpread(List<EngineSession> sessions, long start, Duration window) throws InterruptedException {
        int n = sessions.size();
        long windowNanos = Math.max(1, window.toNanos());
        int closed = 0;
        while (closed < n) {
            long elapsed = System.nanoTime() - start;
            int due = (int) Math.min(n, elapsed * n / windowNanos + 1);
            for (; closed < due; closed++) {
                sessions.get(closed).close(EngineSession.REASON_SERVER_SHUTDOWN);
            }
            if (closed < n) {
                Thread.sleep(STEP_MILLIS);
            }
        }
    }
}
