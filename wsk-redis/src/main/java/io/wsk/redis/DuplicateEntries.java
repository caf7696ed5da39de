package io.wsk.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops the second copy of a node's stream entry. When a connection fails under an XADD that
 * Redis had already taken, the write is sent again and the stream holds it twice; each wsk
 * writer numbers its entries ({@code seq}), in stream order, so a number not above the last
 * seen from that writer is a copy. Entries without a number (a Node node's) always pass.
 *
 * <p>Not thread-safe: one per reader of one stream, or per scan of it.
 */
final class DuplicateEntries {

    /** Writers remembered at most: a cluster's nodes over a while, not every uid that ever wrote. */
    private static final int MAX_WRITERS = 1024;

    private final Map<String, Long> lastSeq = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_WRITERS;
        }
    };

    /** Whether the entry of {@code writer} numbered {@code seq} (-1: none) is new. */
    boolean isNew(String writer, long seq) {
        if (seq < 0) {
            return true;
        }
        Long last = lastSeq.get(writer);
        if (last != null && seq <= last) {
            return false;
        }
        lastSeq.put(writer, seq);
        return true;
    }
}
