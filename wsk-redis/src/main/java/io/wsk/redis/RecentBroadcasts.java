package io.wsk.redis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.adapter.BroadcastOptions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The broadcasts a namespace's reader delivered lately, with their offsets: a restore that read
 * the stream up to some entry completes later, and gets from here what was delivered in between
 * (the client's new socket was not a target yet). Bounded by count and age; a restore that needs
 * more than it holds cannot complete, and the client gets a new session instead.
 *
 * <p>Guarded by the adapter's delivery lock.
 */
final class RecentBroadcasts {

    record Broadcast(StreamId id, ArrayNode data, BroadcastOptions opts, long deliveredAtMillis) {
    }

    private final int maxCount;
    private final long maxAgeMillis;
    private final ArrayDeque<Broadcast> kept = new ArrayDeque<>();
    /** The newest id let go, or {@code null}: nothing after it may be asked for once gone. */
    private StreamId forgottenUpTo;

    RecentBroadcasts(int maxCount, long maxAgeMillis) {
        this.maxCount = maxCount;
        this.maxAgeMillis = maxAgeMillis;
    }

    void add(StreamId id, ArrayNode data, BroadcastOptions opts, long nowMillis) {
        kept.addLast(new Broadcast(id, data, opts, nowMillis));
        prune(nowMillis);
    }

    /** Lets go of what is too old or too many; also called now and then, for a namespace gone quiet. */
    void prune(long nowMillis) {
        while (!kept.isEmpty() && (kept.size() > maxCount || kept.peekFirst().deliveredAtMillis() < nowMillis - maxAgeMillis)) {
            forgottenUpTo = kept.removeFirst().id();
        }
    }

    /**
     * The packets after {@code after} that a session in {@code rooms} would have received, oldest
     * first, or {@code null} if some of them are no longer kept.
     */
    List<ArrayNode> since(StreamId after, Set<String> rooms) {
        if (forgottenUpTo != null && forgottenUpTo.isAfter(after)) {
            return null;
        }
        List<ArrayNode> missed = new ArrayList<>();
        Iterator<Broadcast> newestFirst = kept.descendingIterator();
        List<Broadcast> found = new ArrayList<>();
        while (newestFirst.hasNext()) {
            Broadcast broadcast = newestFirst.next();
            if (!broadcast.id().isAfter(after)) {
                break;
            }
            found.add(broadcast);
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            Broadcast broadcast = found.get(i);
            if (broadcast.opts().targets(rooms)) {
                missed.add(broadcast.data());
            }
        }
        return missed;
    }
}
