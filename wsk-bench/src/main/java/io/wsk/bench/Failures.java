package io.wsk.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection failures during a scenario: the first few are printed with their cause, the rest only
 * counted, so a server that refuses everyone gives one readable line rather than thousands.
 */
final class Failures {

    private static final int PRINTED = 3;

    private final AtomicInteger count = new AtomicInteger();

    void record(String who, Throwable cause) {
        int n = count.incrementAndGet();
        if (n <= PRINTED) {
            System.err.println(who + " failed: " + cause);
        } else if (n == PRINTED + 1) {
            System.err.println("(more failures are counted, not printed)");
        }
    }

    /**
     * Waits up to {@code seconds} for {@code latch}; gives up early once every connection it still
     * waits for has failed.
     */
    boolean await(CountDownLatch latch, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (latch.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (latch.getCount() <= count.get()) {
                return false;
            }
        }
        return false;
    }

    int count() {
        return count.get();
    }
}
