package io.wsk.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Says once when the bus loses Redis and once when it is back: where, for how long, and what it
 * means for the node meanwhile. Lettuce's own reconnection warnings are kept out of wsk's log
 * (one per attempt and connection, naming the host {@code 127.0.0.1/<unresolved>}): an operator
 * needs the two moments and the address to check, not every retry.
 *
 * <p>Checked by the bus's scheduler ({@link #check}, a few times a second); one thread only.
 */
final class OutageLog {

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);

    private final String target;
    private final BooleanSupplier connected;
    private final BooleanSupplier connectedOnce;
    private final IntSupplier queued;
    private final int maxQueued;
    private boolean watching;
    private boolean wasConnected;
    private long lostAt;

    /**
     * @param connected     whether the bus is connected now
     * @param connectedOnce whether it ever was: an outage is one only after that, and may start
     *                      before a check saw the connection
     */
    OutageLog(String target, BooleanSupplier connected, BooleanSupplier connectedOnce, IntSupplier queued, int maxQueued) {
        this.target = target;
        this.connected = connected;
        this.connectedOnce = connectedOnce;
        this.queued = queued;
        this.maxQueued = maxQueued;
    }

    /** Logs a change since the last check. Before the first connection it says nothing: the bus's start messages do. */
    void check() {
        if (!watching) {
            if (!connectedOnce.getAsBoolean()) {
                return;
            }
            watching = true;
            wasConnected = true; // the first connection, which the bus logged itself
        }
        boolean now = connected.getAsBoolean();
        if (now == wasConnected) {
            return;
        }
        wasConnected = now;
        if (!now) {
            lostAt = System.nanoTime();
            log.warn("lost Redis at {}: this node still serves its own clients; its broadcasts to other nodes wait in a queue"
                    + " (at most {}, then the oldest go) and /ready is 503 until Redis is back; reconnecting", target, maxQueued);
        } else {
            log.info("Redis at {} is back after {} ms; {} queued publishes go out once the other nodes have resubscribed",
                    target, (System.nanoTime() - lostAt) / 1_000_000, queued.getAsInt());
        }
    }
}
