package io.wsk.bench.abuse;

import java.util.BitSet;

/**
 * What one receiver made of a numbered stream (0, 1, 2, ...): how many arrived, which never did,
 * which came twice, and which came out of order (lower than the highest seen before it). Also
 * the longest pause between two arrivals, which shows an outage and when delivery resumed.
 */
final class SequenceChecker {

    private final BitSet seen = new BitSet();
    private long received;
    private long duplicates;
    private long outOfOrder;
    private long highest = -1;
    private long firstArrival = -1;
    private long lastArrival = -1;
    private long longestGapStart = -1;
    private long longestGapEnd = -1;

    /** {@code seq} arrived at {@code nanoTime}. */
    synchronized void record(long seq, long nanoTime) {
        received++;
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        int s = (int) seq;
        if (seen.get(s)) {
            duplicates++;
        } else {
            seen.set(s);
        }
        if (seq < highest) {
            outOfOrder++;
        }
        highest = Math.max(highest, seq);
        if (lastArrival >= 0 && nanoTime - lastArrival > longestGapEnd - longestGapStart) {
            longestGapStart = lastArrival;
            longestGapEnd = nanoTime;
        }
        if (firstArrival < 0) {
            firstArrival = nanoTime;
        }
        lastArrival = nanoTime;
    }

    synchronized long received() {
        return received;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    /** Distinct sequence numbers below {@code sent} that never arrived. */
    synchronized long lost(long sent) {
        return sent - seen.get(0, (int) Math.min(sent, Integer.MAX_VALUE)).cardinality();
    }

    /** Distinct numbers that arrived. */
    synchronized long distinct() {
        return seen.cardinality();
    }

    /** The longest pause between two arrivals as {start, end} in nanoTime, or {@code null} with fewer than two. */
    synchronized long[] longestGap() {
        return longestGapStart < 0 ? null : new long[]{longestGapStart, longestGapEnd};
    }

    synchronized long lastArrival() {
        return lastArrival;
    }
}
