package io.wsk.client;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The reconnection delays of the JS client, exactly: {@code backo2}'s algorithm as
 * socket.io-client 4.x ships it ({@code contrib/backo2}). Attempt {@code n} (from 0) waits
 * {@code min * 2^n}, moved up or down by a random fraction of itself up to
 * {@code randomizationFactor}, then capped at {@code max}.
 *
 * <p>The JS code draws one random number and uses it twice: once for the size of the deviation,
 * once (its first decimal digit's parity) for its sign. Kept as is, so that delays have the same
 * distribution as the JS client's. Not thread-safe: the manager uses it on its event loop.
 */
public final class Backoff {

    private final long min;
    private final long max;
    private final double jitter;
    private final DoubleSupplier random;
    private int attempts;

    public Backoff(long minMillis, long maxMillis, double randomizationFactor) {
        this(minMillis, maxMillis, randomizationFactor, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With a given source of random numbers in [0, 1), for tests. */
    public Backoff(long minMillis, long maxMillis, double randomizationFactor, DoubleSupplier random) {
        if (minMillis < 0 || maxMillis < 0) {
            throw new IllegalArgumentException("negative delay: " + minMillis + ", " + maxMillis);
        }
        if (randomizationFactor < 0 || randomizationFactor > 1) {
            throw new IllegalArgumentException("randomizationFactor not in [0, 1]: " + randomizationFactor);
        }
        this.min = minMillis;
        this.max = maxMillis;
        this.jitter = randomizationFactor;
        this.random = random;
    }

    /** The delay before the next attempt, in ms; counts the attempt. */
    public long duration() {
        double ms = min * Math.pow(2, attempts);
        if (attempts < Integer.MAX_VALUE) {
            attempts++;
        }
        if (jitter > 0) {
            double rand = random.getAsDouble();
            double deviation = Math.floor(rand * jitter * ms);
            ms = (((int) Math.floor(rand * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
        }
        // JS: Math.min(ms, max) | 0 (to a 32-bit integer; the cap keeps it in range).
        return (long) Math.min(ms, max);
    }

    /** The lowest and highest delay attempt {@code n} (from 0) may get. */
    public static long[] bounds(long minMillis, long maxMillis, double randomizationFactor, int n) {
        double ms = minMillis * Math.pow(2, n);
        double deviation = Math.floor(randomizationFactor * ms);
        return new long[] {(long) Math.min(ms - deviation, maxMillis), (long) Math.min(ms + deviation, maxMillis)};
    }

    /** Attempts counted since the last reset. */
    public int attempts() {
        return attempts;
    }

    public void reset() {
        attempts = 0;
    }
}
