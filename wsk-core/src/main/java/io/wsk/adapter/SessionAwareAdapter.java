package io.wsk.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The in-memory adapter with connection state recovery: every stored broadcast (an event without
 * ack id, not volatile) gets an offset appended as its last argument and is kept in a log for
 * {@code maxDisconnectionDuration}; disconnected sockets' sessions are kept as long, so a client
 * that comes back in time gets its id, rooms and data back plus the packets it missed.
 *
 * <p>Memory is bounded: entries expire with the window, and the log holds at most
 * {@code maxPackets} entries (oldest dropped first; a client whose offset was dropped simply gets
 * a fresh session).
 */
public class SessionAwareAdapter extends InMemoryAdapter {

    private record StoredPacket(String offset, long emittedAt, ArrayNode data, BroadcastOptions options) {
    }

    private record StoredSession(PersistedSession session, long disconnectedAt) {
    }

    private final long maxDisconnectionMillis;
    private final int maxPackets;
    private final AtomicLong sequence = new AtomicLong();
    /** Guarded by {@code this}; oldest first. */
    private final ArrayDeque<StoredPacket> packets = new ArrayDeque<>();
    /** Guarded by {@code this}; by pid, in disconnection order. */
    private final LinkedHashMap<String, StoredSession> sessions = new LinkedHashMap<>();

    public SessionAwareAdapter(AdapterNamespace nsp, long maxDisconnectionMillis, int maxPackets) {
        super(nsp);
        this.maxDisconnectionMillis = maxDisconnectionMillis;
        this.maxPackets = maxPackets;
    }

    @Override
    public boolean supportsRecovery() {
        return true;
    }

    /**
     * Stored packets are logged and handed to their local recipients under one lock, for two
     * reasons. Each client then gets them in log order, so its last offset means "this one and
     * every one before it" (two broadcasts racing from different threads could otherwise reach a
     * client in the opposite order, and a recovery would send the older one again). And a session
     * restored in {@link #atomically} falls between two packets: each is either among its missed
     * packets or delivered to its new socket, never neither nor both. Handing over does not
     * block (the sockets queue the bytes on their loops), so the lock is held briefly.
     */
    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions options) {
        if (packet.type() != SocketPacketType.EVENT || packet.hasId() || options.flags().volatileDelivery()) {
            super.broadcast(packet, options);
            return;
        }
        ArrayNode data = ((ArrayNode) packet.data()).deepCopy();
        long now = System.currentTimeMillis();
        synchronized (this) {
            String offset = nextOffset();
            data.add(offset);
            expire(now);
            packets.addLast(new StoredPacket(offset, now, data, options));
            while (packets.size() > maxPackets) {
                packets.removeFirst();
            }
            super.broadcast(new SocketPacket(packet.type(), packet.nsp(), packet.id(), data), options);
        }
    }

    /** Holds stored broadcasts back while {@code task} runs (see {@link #broadcast}). */
    @Override
    public <T> T atomically(Supplier<T> task) {
        synchronized (this) {
            return task.get();
        }
    }

    /** Unique and increasing; clients treat it as opaque. */
    private String nextOffset() {
        return Long.toString(System.currentTimeMillis(), 36) + "-" + Long.toString(sequence.incrementAndGet(), 36);
    }

    @Override
    public void persistSession(PersistedSession session) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            expire(now);
            sessions.put(session.pid(), new StoredSession(session, now));
        }
    }

    @Override
    public boolean hasPersistedSessions() {
        long now = System.currentTimeMillis();
        synchronized (this) {
            expire(now);
            return !sessions.isEmpty();
        }
    }

    @Override
    public CompletableFuture<RestoredSession> restoreSession(String pid, String offset) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            expire(now);
            StoredSession stored = sessions.remove(pid);
            if (stored == null) {
                return CompletableFuture.completedFuture(null);
            }
            List<ArrayNode> missed = new ArrayList<>();
            boolean found = false;
            for (StoredPacket packet : packets) {
                if (found) {
                    if (packet.options().targets(stored.session().rooms())) {
                        missed.add(packet.data());
                    }
                } else if (packet.offset().equals(offset)) {
                    found = true;
                }
            }
            if (!found) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.completedFuture(new RestoredSession(stored.session(), missed));
        }
    }

    /** Drops what is older than the recovery window; caller holds the lock. */
    private void expire(long now) {
        long cutoff = now - maxDisconnectionMillis;
        while (!packets.isEmpty() && packets.peekFirst().emittedAt() < cutoff) {
            packets.removeFirst();
        }
        Iterator<Map.Entry<String, StoredSession>> it = sessions.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().disconnectedAt() < cutoff) {
            it.remove();
        }
    }
}
