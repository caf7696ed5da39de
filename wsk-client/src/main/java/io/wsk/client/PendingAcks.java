package io.wsk.client;

import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The acks one socket waits for, by id, each with its timeout timer. I/O thread only; futures are
 * completed by the socket on the listener thread.
 */
final class PendingAcks {

    record Pending(String event, CompletableFuture<Args> future, long timeoutMillis, ScheduledFuture<?> timer) {
        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private final Map<Long, Pending> byId = new HashMap<>();

    void add(long id, Pending pending) {
        byId.put(id, pending);
    }

    /** The pending ack of {@code id}, removed, with its timer stopped; null if unknown (late or duplicate). */
    Pending take(long id) {
        Pending pending = byId.remove(id);
        if (pending != null) {
            pending.cancelTimer();
        }
        return pending;
    }

    /** Takes every pending ack whose id {@code keep} does not accept. */
    List<Pending> takeAllExcept(java.util.function.LongPredicate keep) {
        List<Pending> taken = new ArrayList<>();
        byId.entrySet().removeIf(e -> {
            if (keep.test(e.getKey())) {
                return false;
            }
            e.getValue().cancelTimer();
            taken.add(e.getValue());
            return true;
        });
        return taken;
    }

    int size() {
        return byId.size();
    }
}
