package io.wsk.bench.abuse;

import io.wsk.bench.compare.ProcessUsage;

/**
 * The server's resident memory read from {@code /proc} every 500 ms on a thread of its own, from
 * creation to {@link #close}: first, peak and last reading. Above {@code limitBytes} it raises
 * {@link #overLimit}, which the cases check to stop pushing: on a shared machine a server that
 * buffers without bound must not take the box down with it.
 */
final class RssSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 500;

    private final long pid;
    private final long limitBytes;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long first = -1;
    private volatile long peak = -1;
    private volatile long last = -1;
    private volatile long peakAtNanos;
    private volatile long overLimitAtNanos = -1;

    /** {@code limitBytes} &lt;= 0: no limit. */
    RssSampler(long pid, long limitBytes) {
        this.pid = pid;
        this.limitBytes = limitBytes;
        sample();
        this.thread = new Thread(this::loop, "rss-sampler-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** Takes a reading now, e.g. right at the end of a phase; returns it. */
    long sample() {
        long rss = ProcessUsage.rssBytes(pid);
        if (rss < 0) {
            return rss; // the process is gone: keep the last reading it gave
        }
        synchronized (this) {
            if (first < 0) {
                first = rss;
            }
            if (rss > peak) {
                peak = rss;
                peakAtNanos = System.nanoTime();
            }
            last = rss;
            if (limitBytes > 0 && rss > limitBytes && overLimitAtNanos < 0) {
                overLimitAtNanos = System.nanoTime();
            }
        }
        return rss;
    }

    long first() {
        return first;
    }

    long peak() {
        return peak;
    }

    long last() {
        return last;
    }

    /** Seconds from the sampler's start to the peak reading. */
    double peakAtSeconds() {
        return (peakAtNanos - startNanos) / 1e9;
    }

    boolean overLimit() {
        return overLimitAtNanos >= 0;
    }

    /** Seconds from the start to the first reading above the limit, or -1. */
    double overLimitAtSeconds() {
        return overLimitAtNanos < 0 ? -1 : (overLimitAtNanos - startNanos) / 1e9;
    }

    /** Puts start, peak, end and growth (end - start) under {@code prefix} into {@code figures}. */
    void report(Figures figures, String prefix) {
        figures.bytes(prefix + " start", first);
        figures.bytes(prefix + " peak", peak);
        figures.put(prefix + " peak at", Text.seconds(peakAtSeconds()) + " after sampling began");
        figures.bytes(prefix + " end", last);
        figures.signedBytes(prefix + " growth (end - start)", last - first);
        if (limitBytes > 0) {
            figures.put(prefix + " over the harness's limit", overLimit()
                    ? "yes, after " + Text.seconds(overLimitAtSeconds()) + " (limit " + Text.bytes(limitBytes) + "): load stopped early"
                    : "no (limit " + Text.bytes(limitBytes) + ")");
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample();
    }
}
