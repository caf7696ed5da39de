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

    /**
     * Whether a socket in {@code socketRooms} (its own id room included) is a target: in one of
     * the rooms, or there are none, and in none of the exceptions. Recovery picks the packets a
     * client missed by this rule, as the reference does.
     */
    public boolean targets(Set<String> socketRooms) {
        boolean included = rooms.isEmpty();
        for (String room : socketRooms) {
            if (except.contains(room)) {
                return false;
            }
            if (rooms.contains(room)) {
                included = true;
            }
        }
        return included;
    }

    /** Exactly one socket, by id (its own room). */
    public static BroadcastOptions toSocket(String socketId) {
        return new BroadcastOptions(Set.of(socketId), Set.of(), BroadcastFlags.NONE);
    }
}
