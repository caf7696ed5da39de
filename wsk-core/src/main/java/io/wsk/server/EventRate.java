package io.wsk.server;

/**
 * A connection's event budget: a token bucket of {@code burst} events refilled at {@code rate}
 * per second. An event finds a token or is dropped; a connection that keeps sending once it has
 * none, one burst more in all without a second's pause, is flooding and is to be disconnected.
 *
 * <p>One per connection that has sent an event (idle connections have none); used on the
 * connection's event loop only.
 */
final class EventRate {

    enum Verdict { ALLOW, DROP, DISCONNECT }

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final double perNano;
    private final int burst;
    private double tokens;
    private long refilledAt;
    /** Events dropped since the connection last went a second without a drop. */
    private int dropped;
    private long droppedAt;

    EventRate(int rate, int burst, long nowNanos) {
        this.perNano = rate / (double) SECOND_NANOS;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    Verdict take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * perNano);
        refilledAt = nowNanos;
        if (dropped > 0 && nowNanos - droppedAt >= SECOND_NANOS) {
            dropped = 0;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOW;
        }
        dropped++;
        droppedAt = nowNanos;
        return dropped > burst ? Verdict.DISCONNECT : Verdict.DROP;
    }
}
