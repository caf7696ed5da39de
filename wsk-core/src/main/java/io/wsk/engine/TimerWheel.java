package io.wsk.engine;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hashed timing wheel confined to one event loop, for the heartbeats of every session on that
 * loop.
 *
 * <p>Why not Netty's {@code HashedWheelTimer} or {@code EventLoop.schedule}: both allocate a task
 * per timeout, and the former fires on its own thread, so every ping would cost an allocation and
 * a hop back to the loop. Here each session owns one intrusive {@link Entry} that is relinked on
 * every reschedule, and one repeating task per loop advances the wheel: an idle session costs no
 * allocation and no task of its own. Not thread-safe; call only from the owning loop.
 */
final class TimerWheel {

    /**
     * A timer slot owned by its user, on one wheel for life (so the user need not keep the wheel
     * too); schedule it again to move it.
     */
    abstract static class Entry {
        private static final long UNSCHEDULED = -1;

        private final TimerWheel wheel;
        private long deadlineTick = UNSCHEDULED;
        private Entry prev;
        private Entry next;

        Entry(TimerWheel wheel) {
            this.wheel = wheel;
        }

        /** Called on the loop when the deadline has passed. */
        abstract void expire();

        final TimerWheel wheel() {
            return wheel;
        }

        final boolean isScheduled() {
            return deadlineTick != UNSCHEDULED;
        }
    }

    private static final int SLOTS = 512;
    private static final int MASK = SLOTS - 1;

    private final EventLoop loop;
    private final long tickNanos;
    private final long originNanos;
    private final Entry[] heads = new Entry[SLOTS];
    private final List<Entry> expired = new ArrayList<>();
    private final ScheduledFuture<?> ticker;
    private long currentTick;

    TimerWheel(EventLoop loop, long tickMillis) {
        this.loop = loop;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.originNanos = System.nanoTime();
        this.ticker = loop.scheduleAtFixedRate(this::advance, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    EventLoop loop() {
        return loop;
    }

    /** (Re)schedules {@code entry} to expire at the first tick at or after {@code deadlineNanos}. */
    void schedule(Entry entry, long deadlineNanos) {
        if (entry.wheel != this) {
            throw new IllegalArgumentException("an entry of another wheel");
        }
        cancel(entry);
        long elapsed = deadlineNanos - originNanos;
        long tick = Math.max(currentTick + 1, (elapsed + tickNanos - 1) / tickNanos);
        entry.deadlineTick = tick;
        int slot = (int) (tick & MASK);
        Entry head = heads[slot];
        entry.prev = null;
        entry.next = head;
        if (head != null) {
            head.prev = entry;
        }
        heads[slot] = entry;
    }

    void cancel(Entry entry) {
        if (entry.wheel != this || !entry.isScheduled()) {
            return;
        }
        if (entry.prev != null) {
            entry.prev.next = entry.next;
        } else {
            heads[(int) (entry.deadlineTick & MASK)] = entry.next;
        }
        if (entry.next != null) {
            entry.next.prev = entry.prev;
        }
        entry.prev = null;
        entry.next = null;
        entry.deadlineTick = Entry.UNSCHEDULED;
    }

    /** Stops the repeating task; scheduled entries never fire afterwards. */
    void stop() {
        ticker.cancel(false);
    }

    private void advance() {
        long target = (System.nanoTime() - originNanos) / tickNanos;
        while (currentTick < target) {
            currentTick++;
            collectExpired(heads[(int) (currentTick & MASK)]);
            // Fire after collecting, so an expiry may freely reschedule or cancel entries.
            for (int i = 0; i < expired.size(); i++) {
                Entry entry = expired.get(i);
                try {
                    entry.expire();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(TimerWheel.class).warn("timer task failed", e);
                }
            }
            expired.clear();
        }
    }

    private void collectExpired(Entry entry) {
        while (entry != null) {
            Entry next = entry.next;
            if (entry.deadlineTick <= currentTick) {
                cancel(entry);
                expired.add(entry);
            }
            entry = next;
        }
    }
}
