package io.wsk.redis;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops the second copy of a node's stream entry. When a connection fails under an XADD that
 * Redis had already taken, the write is sent again and the stream holds it twice. Each wsk writer
 * numbers its entries ({@code seq}); a number seen before from the same writer is a copy.
 *
 * <p>Only an exact repeat counts: a node's entries reach the stream in about, not exactly, the
 * order of their numbers (two loops that publish at once take numbers in one order and reach
 * Redis in the other), so "not above the highest seen" would drop real entries. Each writer's
 * recent numbers are remembered in a window of {@value #WINDOW}; a number older than the window
 * passes. Entries without a number (a Node node's) always pass.
 *
 * <p>Not thread-safe: one per reader of one stream, or per scan of it.
 */
final class DuplicateEntries {

    /** Numbers remembered per writer: far more than entries ever cross on their way to Redis. */
    static final int WINDOW = 4096;
    /** Writers remembered at most: a cluster's nodes over a while, not every uid that ever wrote. */
    private static final int MAX_WRITERS = 1024;

    /** The numbers seen of one writer, from {@code highest - WINDOW + 1} to {@code highest}. */
    private static final class Seen {
        long highest = -1;
        final BitSet bits = new BitSet(WINDOW);

        boolean add(long seq) {
            if (seq > highest) {
                long shift = highest < 0 ? WINDOW : seq - highest;
                for (long s = Math.max(highest + 1, seq - WINDOW + 1); s <= seq && shift < WINDOW; s++) {
                    bits.clear((int) (s % WINDOW));
                }
                if (shift >= WINDOW) {
                    bits.clear();
                }
                highest = seq;
                bits.set((int) (seq % WINDOW));
                return true;
            }
            if (seq <= highest - WINDOW) {
                return true; // too old to tell: let it through rather than drop a real one
            }
            int bit = (int) (seq % WINDOW);
            if (bits.get(bit)) {
                return false;
            }
            bits.set(bit);
            return true;
        }
    }

    private final Map<String, Seen> writers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_WRITERS;
        }
    };

    /** Whether the entry of {@code writer} numbered {@code seq} (-1: none) is new. */
    boolean isNew(String writer, long seq) {
        if (seq < 0) {
            return true;
        }
        return writers.computeIfAbsent(writer, w -> new Seen()).add(seq);
    }
}
