package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.buffer.ByteBufAllocator;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.SocketPacket;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The adapter of a single node: rooms in memory, broadcasts to local sockets only.
 *
 * <p>Every socket is in the room named by its own id. That room is implicit here (a socket id
 * names its own room as long as the socket exists) rather than stored, which saves a set per
 * socket; only rooms joined explicitly are kept in the maps.
 *
 * <p>A broadcast is encoded once and the same bytes go to every recipient.
 */
public class InMemoryAdapter implements Adapter {

    protected final AdapterNamespace nsp;
    /** room -> ids of local sockets that joined it explicitly */
    private final ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
    /** socket id -> rooms it joined explicitly */
    private final ConcurrentHashMap<String, Set<String>> socketRooms = new ConcurrentHashMap<>();
    private final RoomListeners roomListeners = new RoomListeners();

    public InMemoryAdapter(AdapterNamespace nsp) {
        this.nsp = nsp;
    }

    // ---- membership ----

    @Override
    public void addAll(String socketId, Collection<String> joined) {
        for (String room : joined) {
            if (room.equals(socketId)) {
                continue;
            }
            boolean[] created = new boolean[1];
            boolean[] added = new boolean[1];
            rooms.compute(room, (r, members) -> {
                if (members == null) {
                    members = ConcurrentHashMap.newKeySet();
                    // Inside compute, so created and deleted notices for one room keep their order.
                    roomCreated(r);
                    created[0] = true;
                }
                added[0] = members.add(socketId);
                return members;
            });
            socketRooms.computeIfAbsent(socketId, s -> ConcurrentHashMap.newKeySet()).add(room);
            if (!roomListeners.isEmpty()) {
                if (created[0]) {
                    roomListeners.created(room);
                }
                if (added[0]) {
                    roomListeners.joined(room, socketId);
                }
            }
        }
    }

    @Override
    public void del(String socketId, String room) {
        if (room.equals(socketId)) {
            return;
        }
        removeMember(room, socketId);
        socketRooms.computeIfPresent(socketId, (s, set) -> {
            set.remove(room);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void delAll(String socketId) {
        Set<String> joined = socketRooms.remove(socketId);
        if (joined != null) {
            for (String room : joined) {
                removeMember(room, socketId);
            }
        }
    }

    private void removeMember(String room, String socketId) {
        boolean[] removed = new boolean[1];
        boolean[] deleted = new boolean[1];
        rooms.computeIfPresent(room, (r, members) -> {
            removed[0] = members.remove(socketId);
            if (members.isEmpty()) {
                roomDeleted(r);
                deleted[0] = true;
                return null;
            }
            return members;
        });
        if (!roomListeners.isEmpty()) {
            if (removed[0]) {
                roomListeners.left(room, socketId);
            }
            if (deleted[0]) {
                roomListeners.deleted(room);
            }
        }
    }

    @Override
    public void addRoomListener(RoomListener listener) {
        roomListeners.add(listener);
    }

    @Override
    public void removeRoomListener(RoomListener listener) {
        roomListeners.remove(listener);
    }

    /**
     * A room joined explicitly got its first local member (own-id rooms never count). Called
     * under the room's lock, in order with {@link #roomDeleted}; must not block.
     */
    protected void roomCreated(String room) {
    }

    /** A room joined explicitly lost its last local member. Same rules as {@link #roomCreated}. */
    protected void roomDeleted(String room) {
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        Set<String> result = new HashSet<>(socketRooms.getOrDefault(socketId, Set.of()));
        if (nsp.localSocket(socketId) != null) {
            result.add(socketId);
        }
        return result;
    }

    @Override
    public int joinedRoomCount(String socketId) {
        Set<String> joined = socketRooms.get(socketId);
        return joined == null ? 0 : joined.size();
    }

    @Override
    public Set<String> sockets(BroadcastOptions options) {
        Set<String> ids = new HashSet<>();
        forEachTarget(options, socket -> ids.add(socket.id()));
        return ids;
    }

    @Override
    public Set<String> rooms() {
        Set<String> result = new HashSet<>(rooms.keySet());
        for (AdapterSocket socket : nsp.localSockets()) {
            result.add(socket.id());
        }
        return result;
    }

    /** Whether any local socket is in {@code room} (a socket's own id room included). */
    public boolean hasRoom(String room) {
        return rooms.containsKey(room) || nsp.localSocket(room) != null;
    }

    /** Whether the local socket {@code id} is in {@code room} (its own room included). */
    protected boolean isMember(String id, String room) {
        if (room.equals(id)) {
            return true;
        }
        Set<String> members = rooms.get(room);
        return members != null && members.contains(id);
    }

    /**
     * Calls {@code action} once for every local socket that {@code options} targets. The common
     * shapes (everyone; one room, no exceptions) are walked without building a set of ids.
     */
    protected void forEachTarget(BroadcastOptions options, Consumer<AdapterSocket> action) {
        Set<String> except = options.except();
        if (options.rooms().isEmpty()) {
            for (AdapterSocket socket : nsp.localSockets()) {
                if (except.isEmpty() || !isExcluded(socket.id(), except)) {
                    action.accept(socket);
                }
            }
            return;
        }
        Set<String> seen = options.rooms().size() == 1 ? null : new HashSet<>();
        for (String room : options.rooms()) {
            AdapterSocket own = nsp.localSocket(room);
            if (own != null) {
                visit(own, except, seen, action);
            }
            Set<String> members = rooms.get(room);
            if (members != null) {
                for (String id : members) {
                    AdapterSocket socket = nsp.localSocket(id);
                    if (socket != null) {
                        visit(socket, except, seen, action);
                    }
                }
            }
        }
    }

    private void visit(AdapterSocket socket, Set<String> except, Set<String> seen, Consumer<AdapterSocket> action) {
        if (seen != null && !seen.add(socket.id())) {
            return;
        }
        if (except.isEmpty() || !isExcluded(socket.id(), except)) {
            action.accept(socket);
        }
    }

    private boolean isExcluded(String id, Set<String> except) {
        for (String room : except) {
            if (isMember(id, room)) {
                return true;
            }
        }
        return false;
    }

    // ---- broadcasting ----

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions options) {
        EncodedPacket encoded = nsp.encoder().encode(packet, ByteBufAllocator.DEFAULT);
        try {
            LoopDeliveries deliveries = new LoopDeliveries(encoded, options.flags().volatileDelivery());
            forEachTarget(options, socket -> {
                socket.notifyOutgoing(packet);
                deliveries.add(socket);
            });
            deliveries.dispatch();
        } finally {
            encoded.release();
        }
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions options, IntConsumer clientCount,
                                 Consumer<JsonNode> onAck) {
        EncodedPacket encoded = nsp.encoder().encode(packet, ByteBufAllocator.DEFAULT);
        int[] count = {0};
        try {
            forEachTarget(options, socket -> {
                count[0]++;
                socket.notifyOutgoing(packet);
                socket.deliverWithAck(encoded, packet.id(), onAck);
            });
        } finally {
            encoded.release();
        }
        clientCount.accept(count[0]);
    }

    // ---- cluster-wide operations, on a cluster of one ----

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
        List<SocketDetails> result = new ArrayList<>();
        forEachTarget(options, socket -> result.add(socket.details()));
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public void addSockets(BroadcastOptions options, Collection<String> joined) {
        for (AdapterSocket socket : targets(options)) {
            socket.join(joined);
        }
    }

    @Override
    public void delSockets(BroadcastOptions options, Collection<String> left) {
        for (AdapterSocket socket : targets(options)) {
            for (String room : left) {
                socket.leave(room);
            }
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        for (AdapterSocket socket : targets(options)) {
            socket.disconnect(close);
        }
    }

    /** The targets collected first, for operations that change the rooms being walked. */
    private List<AdapterSocket> targets(BroadcastOptions options) {
        List<AdapterSocket> targets = new ArrayList<>();
        forEachTarget(options, targets::add);
        return targets;
    }

    @Override
    public void serverSideEmit(ArrayNode packet) {
        // A single node has no other node to tell.
    }

    @Override
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet, long timeoutMillis) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(1);
    }
}
