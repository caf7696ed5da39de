package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.adapter.AdapterNamespace;
import io.wsk.adapter.AdapterSocket;
import io.wsk.adapter.BroadcastFlags;
import io.wsk.adapter.BroadcastOptions;
import io.wsk.adapter.BroadcastOptionsJson;
import io.wsk.adapter.ClusterCensus;
import io.wsk.adapter.ClusterNodes;
import io.wsk.adapter.ClusterStats;
import io.wsk.adapter.InMemoryAdapter;
import io.wsk.adapter.PendingBroadcastAck;
import io.wsk.adapter.PendingRequests;
import io.wsk.adapter.PendingResponses;
import io.wsk.adapter.SocketDetails;
import io.wsk.adapter.SocketDetailsJson;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketDecoder;
import io.wsk.protocol.SocketPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The classic Redis pub/sub adapter, byte-compatible with {@code @socket.io/redis-adapter} 8.x:
 * wsk and Node nodes can share one cluster.
 *
 * <p>Broadcasts are published as notepack msgpack {@code [uid, packet, opts]} on the namespace
 * channel (or the room channel for exactly one room) and delivered locally; messages from other
 * nodes are delivered to local sockets only, never re-published. Cluster operations use the
 * request and response channels with the reference's request types. Like the reference it
 * stores nothing in Redis: delivery is at most once, and connection state recovery is not
 * supported (use the Redis Streams adapter for that).
 */
public final class RedisAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final RedisBus bus;
    private final RedisAdapterOptions options;
    private final ClassicChannels channels;
    private final String uid = randomId(6);
    /** This node's uid as the first element of its broadcasts carries it. */
    private final byte[] uidAsMsgpack = Notepack.encode(NODES.textNode(uid));
    private final PendingRequests pendingRequests;
    /**
     * The other wsk nodes, learnt from the uid they add to their responses. Node's adapter sends
     * responses without one, so a Node node is never known here: it is counted, never named, never
     * left out.
     */
    private final ClusterNodes nodes;

    RedisAdapter(AdapterNamespace nsp, RedisBus bus, RedisAdapterOptions options, ScheduledExecutorService timers) {
        super(nsp);
        this.bus = bus;
        this.options = options;
        ClusterStats stats = nsp.clusterStats();
        this.pendingRequests = new PendingRequests(timers, stats);
        this.channels = new ClassicChannels(options.key(), nsp.name());
        this.nodes = new ClusterNodes(nsp.name(), uid, stats);
    }

    /** This node's id on the bus for this namespace. */
    public String uid() {
        return uid;
    }

    /** The uids of the nodes left out of requests: subscribed, but silent for several requests in a row. */
    public Set<String> unresponsiveNodes() {
        return nodes.leftOut();
    }

    @Override
    public void init() {
        bus.psubscribe(channels.broadcastPattern(), this::onBroadcast);
        bus.subscribe(channels.request(), this::onRequest);
        bus.subscribe(channels.response(), this::onResponse);
        bus.subscribe(channels.response(uid), this::onResponse);
    }

    @Override
    public void close() {
        bus.punsubscribe(channels.broadcastPattern());
        bus.unsubscribe(channels.request());
        bus.unsubscribe(channels.response());
        bus.unsubscribe(channels.response(uid));
    }

    @Override
    public boolean isConnected() {
        return bus.isConnected();
    }

    // ---- broadcasting ----

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions opts) {
        if (!opts.flags().local()) {
            ArrayNode message = NODES.arrayNode().add(uid).add(packetJson(packet, false)).add(optsJson(opts, true));
            String channel = opts.rooms().size() == 1 ? channels.broadcast(opts.rooms().iterator().next())
                    : channels.broadcast();
            bus.publish(channel, Notepack.encode(message));
        }
        super.broadcast(packet, opts);
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<JsonNode> onAck) {
        if (!opts.flags().local()) {
            String requestId = randomId(6);
            long timeoutMillis = Math.max(1, opts.flags().timeoutMillis());
            PendingBroadcastAck pending = new PendingBroadcastAck("broadcast with acks on " + nsp.name(), clientCount,
                    onAck, nodes, timeoutMillis);
            pendingRequests.add(requestId, pending, timeoutMillis);
            ObjectNode request = NODES.objectNode().put("uid", uid).put("requestId", requestId)
                    .put("type", RequestType.BROADCAST.wire());
            request.set("packet", packetJson(packet, true));
            request.set("opts", optsJson(opts, true));
            bus.publish(channels.request(), Notepack.encode(request));
            if (!pending.leftOut().isEmpty()) {
                // Counted after publishing, so that the broadcast keeps its place among this node's messages.
                census(List.copyOf(pending.leftOut())).thenAccept(census -> pending.standInFor(census.listening()));
            }
        }
        super.broadcastWithAck(packet, opts, clientCount, onAck);
    }

    /** A broadcast from another node: deliver to local sockets only. */
    private void onBroadcast(String channel, byte[] payload) {
        String room = channels.roomOf(channel);
        if (room == null || (!room.isEmpty() && !hasRoom(room))) {
            return;
        }
        if (Notepack.arrayStartsWith(payload, uidAsMsgpack)) {
            return; // our own, back through the pattern subscription: no need to decode it
        }
        JsonNode message = decode(payload, channel);
        if (message == null) {
            return;
        }
        if (!message.isArray() || message.size() < 3 || !message.get(1).isObject()) {
            log.warn("ignored a malformed broadcast on {}", channel);
            return;
        }
        if (uid.equals(message.get(0).asText())) {
            return;
        }
        nodes.heardAgain(message.get(0).asText());
        JsonNode packet = message.get(1);
        if (!nsp.name().equals(packet.path("nsp").asText("/"))) {
            return;
        }
        if (!SocketPacketDecoder.isEventPayload(packet.path("data"))) {
            // Clients would refuse the packet and drop their connection: one bad message on the
            // bus must not disconnect every client of the namespace.
            log.warn("ignored a broadcast whose data no client accepts on {}", channel);
            return;
        }
        super.broadcast(new SocketPacket(SocketPacketType.EVENT, nsp.name(), SocketPacket.NO_ID,
                (ArrayNode) packet.get("data")), parseOpts(message.get(2)));
    }

    // ---- cluster operations, as the requester ----

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = super.fetchSockets(opts).join();
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(local);
        }
        ObjectNode request = requestJson(RequestType.REMOTE_FETCH);
        request.set("opts", optsJson(opts, false));
        return ask("fetchSockets", request, timeoutOf(opts.flags())).thenApply(responses -> {
            List<SocketDetails> all = new ArrayList<>(local);
            for (JsonNode response : responses) {
                SocketDetailsJson.addFrom(response.path("sockets"), all);
            }
            return all;
        });
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        publishRoomsRequest(RequestType.REMOTE_JOIN, opts, rooms);
        super.addSockets(opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        publishRoomsRequest(RequestType.REMOTE_LEAVE, opts, rooms);
        super.delSockets(opts, rooms);
    }

    private void publishRoomsRequest(RequestType type, BroadcastOptions opts, Collection<String> rooms) {
        if (opts.flags().local()) {
            return;
        }
        ObjectNode request = NODES.objectNode().put("uid", uid).put("type", type.wire());
        request.set("opts", optsJson(opts, false));
        ArrayNode list = request.putArray("rooms");
        rooms.forEach(list::add);
        bus.publish(channels.request(), json(request));
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        if (!opts.flags().local()) {
            ObjectNode request = NODES.objectNode().put("uid", uid).put("type", RequestType.REMOTE_DISCONNECT.wire());
            request.set("opts", optsJson(opts, false));
            request.put("close", close);
            bus.publish(channels.request(), json(request));
        }
        super.disconnectSockets(opts, close);
    }

    @Override
    public void serverSideEmit(ArrayNode packet) {
        ObjectNode request = NODES.objectNode().put("uid", uid).put("type", RequestType.SERVER_SIDE_EMIT.wire());
        request.set("data", packet);
        bus.publish(channels.request(), json(request));
    }

    @Override
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet, long timeoutMillis) {
        ObjectNode request = requestJson(RequestType.SERVER_SIDE_EMIT);
        request.set("data", packet);
        return ask("serverSideEmit", request, timeoutMillis).thenApply(responses -> {
            List<JsonNode> replies = new ArrayList<>(responses.size());
            responses.forEach(response -> replies.add(response.path("data")));
            return replies;
        });
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return bus.numsub(channels.request())
                .thenApply(count -> (int) Math.max(1, count))
                .exceptionally(error -> 1);
    }

    /**
     * Sends {@code request} and collects one response per other node subscribed to the request
     * channel, at most {@code timeoutMillis}. With Redis away, completes with no responses.
     */
    private CompletableFuture<List<JsonNode>> ask(String what, ObjectNode request, long timeoutMillis) {
        return census(List.copyOf(nodes.known())).thenCompose(census -> {
            String requestId = request.get("requestId").asText();
            PendingResponses pending = new PendingResponses(what + " on " + nsp.name(), census.servers() - 1, nodes,
                    timeoutMillis);
            if (pending.result().isDone()) {
                return pending.result();
            }
            pendingRequests.add(requestId, pending, timeoutMillis);
            bus.publish(channels.request(), json(request));
            return pending.result();
        }).exceptionally(error -> {
            log.warn("{} on {}: Redis unavailable, answering with this node only", what, nsp.name());
            return List.of();
        });
    }

    /**
     * One PUBSUB NUMSUB of the request channel and of the response channel of each of
     * {@code asked} (every node subscribes to its own): the nodes to ask, this one included, and
     * which of {@code asked} still listen. The others have left, and are forgotten.
     */
    private CompletableFuture<ClusterCensus> census(List<String> asked) {
        List<String> counted = new ArrayList<>(asked.size() + 1);
        counted.add(channels.request());
        asked.forEach(node -> counted.add(channels.response(node)));
        return bus.numsub(counted).thenApply(counts -> {
            ClusterCensus census = ClusterCensus.fromCounts(asked, counts);
            nodes.forget(census.gone());
            return census;
        });
    }

    private long timeoutOf(BroadcastFlags flags) {
        return flags.timeoutMillis() > 0 ? flags.timeoutMillis() : options.requestsTimeoutMillis();
    }

    // ---- cluster operations, as a responder ----

    private void onRequest(String channel, byte[] payload) {
        JsonNode request = decode(payload, channel);
        if (request == null) {
            return;
        }
        RequestType type = RequestType.fromWire(request.path("type").asInt(-1));
        if (type == null) {
            log.warn("ignored a request of unknown type {} on {}", request.path("type"), channel);
            return;
        }
        if (uid.equals(request.path("uid").asText(null))) {
            return;
        }
        nodes.heardAgain(request.path("uid").asText(null));
        String requestId = request.path("requestId").asText(null);
        switch (type) {
            case SOCKETS -> {
                ArrayNode ids = NODES.arrayNode();
                sockets(new BroadcastOptions(strings(request.path("rooms")), Set.of(), BroadcastFlags.NONE))
                        .forEach(ids::add);
                respond(request, NODES.objectNode().put("requestId", requestId).set("sockets", ids));
            }
            case ALL_ROOMS -> {
                ArrayNode list = NODES.arrayNode();
                rooms().forEach(list::add);
                respond(request, NODES.objectNode().put("requestId", requestId).set("rooms", list));
            }
            case REMOTE_JOIN, REMOTE_LEAVE -> onRoomsRequest(type, request, requestId);
            case REMOTE_DISCONNECT -> onDisconnectRequest(request, requestId);
            case REMOTE_FETCH -> {
                ArrayNode list = SocketDetailsJson.toJson(super.fetchSockets(parseOpts(request.path("opts"))).join());
                respond(request, NODES.objectNode().put("requestId", requestId).set("sockets", list));
            }
            case SERVER_SIDE_EMIT -> onServerSideEmit(request, requestId);
            case BROADCAST -> onBroadcastWithAck(request, requestId);
            default -> {
                // responses arrive on the response channels
            }
        }
    }

    private void onRoomsRequest(RequestType type, JsonNode request, String requestId) {
        if (request.has("opts")) {
            BroadcastOptions opts = parseOpts(request.get("opts"));
            Set<String> rooms = strings(request.path("rooms"));
            if (type == RequestType.REMOTE_JOIN) {
                super.addSockets(opts, rooms);
            } else {
                super.delSockets(opts, rooms);
            }
            return;
        }
        // The pre-v7 form names one socket and one room, and expects an answer.
        AdapterSocket socket = nsp.localSocket(request.path("sid").asText(""));
        if (socket == null) {
            return;
        }
        String room = request.path("room").asText();
        if (type == RequestType.REMOTE_JOIN) {
            socket.join(List.of(room));
        } else {
            socket.leave(room);
        }
        respond(request, NODES.objectNode().put("requestId", requestId));
    }

    private void onDisconnectRequest(JsonNode request, String requestId) {
        boolean close = request.path("close").asBoolean(false);
        if (request.has("opts")) {
            super.disconnectSockets(parseOpts(request.get("opts")), close);
            return;
        }
        AdapterSocket socket = nsp.localSocket(request.path("sid").asText(""));
        if (socket != null) {
            socket.disconnect(close);
            respond(request, NODES.objectNode().put("requestId", requestId));
        }
    }

    private void onServerSideEmit(JsonNode request, String requestId) {
        JsonNode data = request.path("data");
        if (!data.isArray()) {
            return;
        }
        Consumer<JsonNode> ack = null;
        if (requestId != null) {
            boolean[] called = {false};
            ack = reply -> {
                synchronized (called) {
                    if (called[0]) {
                        return;
                    }
                    called[0] = true;
                }
                ObjectNode response = NODES.objectNode().put("type", RequestType.SERVER_SIDE_EMIT.wire())
                        .put("requestId", requestId);
                response.set("data", reply);
                // The reference answers server-side emits on the shared response channel.
                bus.publish(channels.response(), json(named(response)));
            };
        }
        nsp.receiveServerSideEmit((ArrayNode) data, ack);
    }

    private void onBroadcastWithAck(JsonNode request, String requestId) {
        if (requestId == null || pendingRequests.broadcast(requestId) != null) {
            return;
        }
        JsonNode packet = request.path("packet");
        if (!nsp.name().equals(packet.path("nsp").asText("/"))) {
            return;
        }
        if (!SocketPacketDecoder.isEventPayload(packet.path("data"))) {
            log.warn("ignored a broadcast with acks whose data no client accepts on {}", nsp.name());
            return;
        }
        SocketPacket toSend = new SocketPacket(SocketPacketType.EVENT, nsp.name(), packet.path("id").asLong(0),
                (ArrayNode) packet.get("data"));
        super.broadcastWithAck(toSend, parseOpts(request.path("opts")),
                count -> respond(request, NODES.objectNode()
                        .put("type", RequestType.BROADCAST_CLIENT_COUNT.wire())
                        .put("requestId", requestId).put("clientCount", count)),
                reply -> {
                    // Like the reference, a broadcast ack carries the client's first argument.
                    ObjectNode response = NODES.objectNode().put("type", RequestType.BROADCAST_ACK.wire())
                            .put("requestId", requestId);
                    response.set("packet", reply.isArray() ? (reply.isEmpty() ? NullNode.instance : reply.get(0)) : reply);
                    respondInMsgpack(request, response);
                });
    }

    /** Answers {@code request} in JSON. */
    private void respond(JsonNode request, ObjectNode response) {
        publishResponse(request, json(named(response)));
    }

    /** Answers {@code request} in msgpack (broadcast acks, which may carry binary). */
    private void respondInMsgpack(JsonNode request, ObjectNode response) {
        publishResponse(request, Notepack.encode(named(response)));
    }

    /**
     * Adds this node's uid to a response, so that the requester can tell who answered and who
     * stayed silent. Not in the reference's responses; its {@code onresponse} reads only the fields
     * it knows, so Node requesters ignore it.
     */
    private ObjectNode named(ObjectNode response) {
        return response.put("uid", uid);
    }

    private void publishResponse(JsonNode request, byte[] response) {
        String requester = request.path("uid").asText("");
        String channel = options.publishOnSpecificResponseChannel() && !requester.isEmpty()
                ? channels.response(requester) : channels.response();
        bus.publish(channel, response);
    }

    // ---- responses to our requests ----

    private void onResponse(String channel, byte[] payload) {
        JsonNode response = decode(payload, channel);
        if (response == null) {
            return;
        }
        // Responses of wsk nodes name them (on the shared channel, also those to other requesters).
        String responder = response.path("uid").asText(null);
        nodes.heard(responder);
        String requestId = response.path("requestId").asText(null);
        if (requestId == null) {
            return;
        }
        PendingBroadcastAck ackRequest = pendingRequests.broadcast(requestId);
        if (ackRequest != null) {
            int type = response.path("type").asInt(-1);
            if (type == RequestType.BROADCAST_CLIENT_COUNT.wire()) {
                ackRequest.clientCount(responder, response.path("clientCount").asInt(0));
            } else if (type == RequestType.BROADCAST_ACK.wire()) {
                ackRequest.ack(NODES.arrayNode().add(response.path("packet")));
            }
            return;
        }
        PendingResponses pending = pendingRequests.responses(requestId);
        if (pending != null) {
            pending.add(responder, response);
        }
    }

    // ---- encoding ----

    /** {@code {type, data, nsp}} (and {@code id} when asked), as the reference publishes a packet. */
    private ObjectNode packetJson(SocketPacket packet, boolean withId) {
        ObjectNode json = NODES.objectNode().put("type", SocketPacketType.EVENT.ordinal());
        json.set("data", packet.data());
        json.put("nsp", nsp.name());
        if (withId && packet.hasId()) {
            json.put("id", packet.id());
        }
        return json;
    }

    private static ObjectNode optsJson(BroadcastOptions opts, boolean withFlags) {
        return BroadcastOptionsJson.toJson(opts, withFlags);
    }

    private static BroadcastOptions parseOpts(JsonNode json) {
        return BroadcastOptionsJson.fromJson(json);
    }

    private static Set<String> strings(JsonNode array) {
        return BroadcastOptionsJson.strings(array);
    }

    private ObjectNode requestJson(RequestType type) {
        return NODES.objectNode().put("uid", uid).put("requestId", randomId(6)).put("type", type.wire());
    }

    private static byte[] json(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON when it starts with {@code {}, msgpack otherwise (the reference's rule); null if malformed. */
    private static JsonNode decode(byte[] payload, String channel) {
        try {
            return payload.length > 0 && payload[0] == '{' ? JSON.readTree(payload) : Notepack.decode(payload);
        } catch (IOException | RuntimeException e) {
            log.warn("ignored a malformed message on {} ({} bytes): {}", channel, payload.length, e.getMessage());
            return null;
        }
    }

    /** A random id like the reference's {@code uid2}. */
    static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    @Override
    public String toString() {
        return "RedisAdapter[" + nsp.name() + ", uid " + uid + "]";
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
