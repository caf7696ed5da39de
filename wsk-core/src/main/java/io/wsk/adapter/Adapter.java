package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.protocol.SocketPacket;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Where a namespace's rooms live and how its broadcasts reach every node: the in-memory adapter
 * for one node, Redis adapters for a cluster. One adapter instance serves one namespace.
 *
 * <p>Membership methods concern this node's sockets; broadcasts and the cluster operations reach
 * every node (unless {@link BroadcastFlags#local()}). Implementations must be thread-safe: sockets
 * on different event loops call them concurrently. Callbacks may run on any thread.
 */
public interface Adapter {

    /** Starts the adapter (subscriptions, timers). */
    default void init() {
    }

    /** Stops it; the namespace is going away or the server is shutting down. */
    default void close() {
    }

    /**
     * Whether the adapter reaches the rest of the cluster right now. While it does not, local
     * delivery goes on and readiness should report the node as degraded.
     */
    default boolean isConnected() {
        return true;
    }

    // ---- membership of this node's sockets ----

    void addAll(String socketId, Collection<String> rooms);

    void del(String socketId, String room);

    /** Removes the socket from every room (it disconnected). */
    void delAll(String socketId);

    /** The rooms of a local socket, its own id room included; empty if unknown. */
    Set<String> socketRooms(String socketId);

    /** How many rooms a local socket joined, its own id room not counted. */
    default int joinedRoomCount(String socketId) {
        Set<String> rooms = socketRooms(socketId);
        return rooms.contains(socketId) ? rooms.size() - 1 : rooms.size();
    }

    /** Ids of the local sockets that {@code options} targets (rooms, except). */
    Set<String> sockets(BroadcastOptions options);

    /** Every room that has a local member, own-id rooms included. */
    Set<String> rooms();

    /**
     * Adds an observer of this node's rooms (created, deleted, joined, left); see
     * {@link RoomListener}. Adapters that keep rooms elsewhere may not support it.
     */
    default void addRoomListener(RoomListener listener) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no room events");
    }

    default void removeRoomListener(RoomListener listener) {
    }

    // ---- broadcasting ----

    /**
     * Sends {@code packet} to every targeted socket of the cluster. The packet is encoded once
     * for all local recipients.
     */
    void broadcast(SocketPacket packet, BroadcastOptions options);

    /**
     * Sends {@code packet} (with its ack id set) to every targeted socket and collects their acks:
     * {@code clientCount} is called once per node with how many clients that node sent to, and
     * {@code onAck} once per ack received (a JSON array of the ack arguments).
     */
    void broadcastWithAck(SocketPacket packet, BroadcastOptions options, IntConsumer clientCount,
                          Consumer<JsonNode> onAck);

    // ---- cluster-wide operations ----

    /** The sockets of every node that {@code options} targets. */
    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options);

    /** Makes the targeted sockets of every node join {@code rooms}. */
    void addSockets(BroadcastOptions options, Collection<String> rooms);

    /** Makes the targeted sockets of every node leave {@code rooms}. */
    void delSockets(BroadcastOptions options, Collection<String> rooms);

    /** Disconnects the targeted sockets of every node. */
    void disconnectSockets(BroadcastOptions options, boolean close);

    /** Sends {@code [event, ...args]} to the other nodes' namespace (not to clients). */
    void serverSideEmit(ArrayNode packet);

    /**
     * Like {@link #serverSideEmit} and collects one reply per other node; completes when every
     * node answered or after {@code timeoutMillis} with what arrived (never hangs).
     */
    CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet, long timeoutMillis);

    /** How many nodes serve this namespace, this one included. */
    CompletableFuture<Integer> serverCount();

    // ---- connection state recovery ----

    /** Whether this adapter can restore sessions (the classic Redis adapter cannot). */
    default boolean supportsRecovery() {
        return false;
    }

    /**
     * Whether this node keeps sessions of disconnected sockets in memory, which a client may still
     * come back for: a dynamic namespace is then not removed yet. Adapters that keep them
     * elsewhere (Redis) answer false.
     */
    default boolean hasPersistedSessions() {
        return false;
    }

    /** Saves a disconnected socket's state for a later restore. */
    default void persistSession(PersistedSession session) {
    }

    /**
     * Finds the session of private id {@code pid} and the packets it missed since {@code offset};
     * completes with {@code null} when it cannot (unknown, expired, offset gone).
     */
    default CompletableFuture<RestoredSession> restoreSession(String pid, String offset) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A socket with a recoverable session ({@link AdapterSocket#pid()}) is connected (new or
     * restored). Adapters that keep sessions outside the process save it now, so that it survives
     * a crash of this node.
     */
    default void sessionStarted(AdapterSocket socket) {
    }

    /** The {@code data} of a socket with a recoverable session changed (its rooms the adapter sees itself). */
    default void sessionChanged(AdapterSocket socket) {
    }

    /** A socket with a recoverable session left for good (it will not be restored): forget it. */
    default void sessionEnded(AdapterSocket socket) {
    }

    /**
     * Completes a restore whose session and missed packets {@link #restoreSession} found, in the
     * order this adapter delivers broadcasts: {@code register} makes the socket a target and sends
     * what it is given, and this calls it with the packets missed up to that moment, so each
     * broadcast reaches the client exactly once. Returns what {@code register} returned, or
     * {@code null} when the restore can no longer be completed (the client then gets a new
     * session). Runs on the client's loop; the default holds broadcasts back with
     * {@link #atomically}.
     */
    default <T> T completeRestore(RestoredSession restored, Function<RestoredSession, T> register) {
        return atomically(() -> register.apply(restored));
    }

    /**
     * Runs {@code task} while no broadcast of this adapter is logged or delivered, and returns its
     * result. Connection state recovery restores a session and registers its socket inside it, so
     * that a packet broadcast at that moment reaches the client once: among the missed packets or
     * live after them, not lost in between nor sent twice. {@code task} is short and never blocks.
     * The default just runs it: an adapter that keeps no packet log has nothing to order.
     */
    default <T> T atomically(Supplier<T> task) {
        return task.get();
    }
}
