package io.wsk.adapter;

/**
 * Observes the rooms of one namespace on this node, as Node apps do with
 * {@code nsp.adapter.on("create-room" | "delete-room" | "join-room" | "leave-room", ...)}.
 * Register with {@link Adapter#addRoomListener}.
 *
 * <p>Only rooms joined explicitly count: a socket's own-id room is implicit here (it exists while
 * the socket does), so it is neither created, joined, left nor deleted. Called on the thread that
 * changed the membership, after the change, outside the adapter's locks: a listener may join,
 * leave or broadcast. It must not block.
 */
public interface RoomListener {

    /** {@code room} got its first member on this node. */
    default void roomCreated(String room) {
    }

    /** {@code room} lost its last member on this node. */
    default void roomDeleted(String room) {
    }

    /** A local socket joined {@code room} (after {@link #roomCreated} for a new room). */
    default void joined(String room, String socketId) {
    }

    /** A local socket left {@code room} (before {@link #roomDeleted} for its last member). */
    default void left(String room, String socketId) {
    }
}
