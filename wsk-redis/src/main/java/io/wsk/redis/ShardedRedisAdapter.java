package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.adapter.AdapterNamespace;
import io.wsk.adapter.ClusterCensus;
import io.wsk.adapter.ClusterAdapter;
import io.wsk.adapter.ClusterMessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The sharded Redis adapter (Redis 7 sharded pub/sub), compatible with
 * {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8.x.
 *
 * <p>Messages follow the cluster protocol ({@link ClusterAdapter}) on {@code socket.io#<nsp>#};
 * responses go to the requester's {@code socket.io#<nsp>#<uid>#}. In {@link SubscriptionMode#DYNAMIC}
 * a broadcast to exactly one public room (without acks) goes to {@code socket.io#<nsp>#<room>#},
 * which only nodes with members of that room subscribe to. A room name of 20 characters counts
 * as a socket id and never gets its own channel, as in the reference. Messages are JSON, or
 * notepack msgpack when they carry binary.
 */
public final class ShardedRedisAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);

    private final RedisBus bus;
    private final SubscriptionMode mode;
    private final String channel;
    private final String responseChannel;

    ShardedRedisAdapter(AdapterNamespace nsp, RedisBus bus, String prefix, SubscriptionMode mode,
                        ScheduledExecutorService timers, long requestTimeoutMillis) {
        super(nsp, timers, requestTimeoutMillis);
        this.bus = bus;
        this.mode = mode;
        this.channel = prefix + "#" + nsp.name() + "#";
        this.responseChannel = channel + uid + "#";
    }

    @Override
    public void init() {
        bus.ssubscribe(channel, this::onRaw);
        bus.ssubscribe(responseChannel, this::onRaw);
    }

    @Override
    public void close() {
        bus.sunsubscribe(channel);
        bus.sunsubscribe(responseChannel);
        if (mode == SubscriptionMode.DYNAMIC) {
            for (String room : rooms()) {
                if (isPublicRoom(room)) {
                    bus.sunsubscribe(roomChannel(room));
                }
            }
        }
    }

    @Override
    public boolean isConnected() {
        return bus.isConnected();
    }

    @Override
    protected void roomCreated(String room) {
        if (mode == SubscriptionMode.DYNAMIC && isPublicRoom(room)) {
            bus.ssubscribe(roomChannel(room), this::onRaw);
        }
    }

    @Override
    protected void roomDeleted(String room) {
        if (mode == SubscriptionMode.DYNAMIC && isPublicRoom(room)) {
            bus.sunsubscribe(roomChannel(room));
        }
    }

    /** The reference's test: a 20-character room is taken for a socket id. */
    private static boolean isPublicRoom(String room) {
        return room.length() != 20;
    }

    private String roomChannel(String room) {
        return channel + room + "#";
    }

    @Override
    protected void doPublish(ObjectNode message) {
        bus.spublish(channelFor(message), encode(message));
    }

    @Override
    protected void doPublishResponse(String requesterUid, ObjectNode response) {
        bus.spublish(channel + requesterUid + "#", encode(response));
    }

    /** A broadcast without ack to exactly one public room uses that room's channel in dynamic mode. */
    private String channelFor(ObjectNode message) {
        if (mode == SubscriptionMode.DYNAMIC
                && message.path("type").asInt() == ClusterMessageType.BROADCAST.wire()
                && !message.path("data").has("requestId")) {
            JsonNode rooms = message.path("data").path("opts").path("rooms");
            if (rooms.size() == 1 && rooms.get(0).isTextual() && isPublicRoom(rooms.get(0).asText())) {
                return roomChannel(rooms.get(0).asText());
            }
        }
        return channel;
    }

    private static byte[] encode(ObjectNode message) {
        ClusterMessageType type = ClusterMessageType.fromWire(message.path("type").asInt());
        if (type != null && type.mayCarryBinary() && BinaryValues.in(message.path("data"))) {
            return Notepack.encode(message);
        }
        try {
            return RedisAdapter.JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void onRaw(String from, byte[] payload) {
        JsonNode message;
        try {
            message = payload.length > 0 && payload[0] == '{' ? RedisAdapter.JSON.readTree(payload) : Notepack.decode(payload);
        } catch (IOException | RuntimeException e) {
            log.warn("ignored a malformed message on {} ({} bytes): {}", from, payload.length, e.getMessage());
            return;
        }
        if (from.equals(responseChannel)) {
            onResponse(message);
        } else {
            onMessage(message);
        }
    }

    /** One SHARDNUMSUB: the main channel, and each node's response channel {@code socket.io#<nsp>#<uid>#}. */
    @Override
    protected CompletableFuture<ClusterCensus> census(Set<String> uids) {
        return ChannelCensus.of(channel, uids, bus::shardNumsub);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return bus.shardNumsub(channel).thenApply(count -> (int) Math.max(1, count)).exceptionally(error -> 1);
    }
}
