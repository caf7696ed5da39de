package io.wsk.adapter;

import java.util.Set;

/**
 * Whom a broadcast (or a cluster-wide operation such as fetchSockets) targets, and how.
 *
 * @param rooms    the union of these rooms; empty means every socket of the namespace
 * @param except   sockets in any of these rooms are left out
 * @param flags    delivery flags
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
    }

    /** Exactly one socket, by id (its own room). */
    public static BroadcastOptions toSocket(String socketId) {
        return new BroadcastOptions(Set.of(socketId), Set.of(), BroadcastFlags.NONE);
    }
}
