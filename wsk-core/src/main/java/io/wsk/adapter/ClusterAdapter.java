package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.limits.BreachLog;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketDecoder;
import io.wsk.protocol.SocketPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * socket.io-adapter's transport-agnostic cluster protocol ({@code ClusterAdapter}): every
 * operation becomes a message {@code {uid, nsp, type, data}} published to the other nodes, and
 * requests are answered to the requester's uid. Subclasses only move messages: they encode them
 * (JSON, or msgpack when binary), publish them, and feed what they receive to
 * {@link #onMessage} and {@link #onResponse}. The sharded Redis adapter and the Redis Streams
 * adapter are such subclasses, so they interoperate with their Node counterparts.
 */
public abstract class ClusterAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);
    /** Anyone who can publish on the bus can send these; logged once per interval, not per message. */
    private static final BreachLog unknownMessages = new BreachLog(log, "ignored cluster messages of unknown type");
    private static final BreachLog badBroadcasts = new BreachLog(log, "ignored broadcasts whose data no client accepts");
    protected static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** This node's id: 16 hex characters, as the reference's {@code randomId()}. */
    protected final String uid = randomId();
    private final long requestTimeoutMillis;
    private final PendingRequests pendingRequests;
    /** The other nodes heard from; every message of this protocol names its sender. */
    private final ClusterNodes nodes;

    protected ClusterAdapter(AdapterNamespace nsp, ScheduledExecutorService timers, long requestTimeoutMillis) {
        super(nsp);
        ClusterStats stats = nsp.clusterStats();
        this.pendingRequests = new PendingRequests(timers, stats);
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.nodes = new ClusterNodes(nsp.name(), uid, stats);
    }

    public String uid() {
        return uid;
    }

    /** The uids of the nodes left out of requests: subscribed, but silent for several requests in a row. */
    public Set<String> unresponsiveNodes() {
        return nodes.leftOut();
    }

    /** Publishes a message (uid and nsp already set) to every node. */
    protected abstract void doPublish(ObjectNode message);

    /** Publishes a response (uid and nsp already set) to the node {@code requesterUid}. */
    protected abstract void doPublishResponse(String requesterUid, ObjectNode response);

    /**
     * Counts the nodes that take this namespace's requests, and which of {@code uids} still listen
     * for responses. This default cannot tell who listens, so it takes them all to: a node left out
     * of requests then stays left out until it is heard from again.
     */
    protected CompletableFuture<ClusterCensus> census(Set<String> uids) {
        return serverCount().thenApply(count -> ClusterCensus.assumingAllListen(count, uids));
    }

    // ---- outbound ----

    private void publish(ClusterMessageType type, ObjectNode data) {
        doPublish(message(type, data));
    }

    private void publishResponse(String requesterUid, ClusterMessageType type, ObjectNode data) {
        doPublishResponse(requesterUid, message(type, data));
    }

    private ObjectNode message(ClusterMessageType type, ObjectNode data) {
        ObjectNode message = NODES.objectNode().put("uid", uid).put("nsp", nsp.name()).put("type", type.wire());
        if (data != null) {
            message.set("data", data);
        }
        return message;
    }

    /**
     * Whether this node's broadcasts (without acks), and its joins, leaves and disconnects of
     * sockets across the cluster, come back to it through a durable log (a Redis stream) and take
     * effect here then, rather than at once. Every node then applies them in the log's order, and
     * every client's offsets mean the same thing on every node.
     */
    protected boolean readsOwnBroadcasts() {
        return false;
    }

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions opts) {
        if (!opts.flags().local()) {
            ObjectNode data = NODES.objectNode();
            data.set("packet", packetJson(packet));
            data.set("opts", optsJson(opts));
            publish(ClusterMessageType.BROADCAST, data);
            if (readsOwnBroadcasts()) {
                return;
            }
        }
        super.broadcast(packet, opts);
    }

    /** Delivers to this node's sockets only, as the in-memory adapter does. */
    protected void localBroadcast(SocketPacket packet, BroadcastOptions opts) {
        super.broadcast(packet, opts);
    }

    /**
     * A broadcast from the cluster (another node's, or this node's own read back from the log),
     * its offset already appended when recovery is on: delivers it to the local targets. Adapters
     * with a log override this to keep what recovering clients need.
     */
    protected void deliverBroadcast(SocketPacket packet, BroadcastOptions opts, String offset) {
        localBroadcast(packet, opts);
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<JsonNode> onAck) {
        if (!opts.flags().local()) {
            String requestId = randomId();
            long timeoutMillis = Math.max(1, opts.flags().timeoutMillis());
            PendingBroadcastAck pending = new PendingBroadcastAck("broadcast with acks on " + nsp.name(), clientCount,
                    onAck, nodes, timeoutMillis);
            pendingRequests.add(requestId, pending, timeoutMillis);
            ObjectNode data = NODES.objectNode();
            data.set("packet", packetJson(packet));
            data.put("requestId", requestId);
            data.set("opts", optsJson(opts));
            publish(ClusterMessageType.BROADCAST, data);
            if (!pending.leftOut().isEmpty()) {
                // Counted after publishing, so that the broadcast keeps its place among this node's messages.
                census(pending.leftOut()).thenAccept(census -> {
                    nodes.forget(census.gone());
                    pending.standInFor(census.listening());
                });
            }
        }
        super.broadcastWithAck(packet, opts, clientCount, onAck);
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        publishRooms(ClusterMessageType.SOCKETS_JOIN, opts, rooms);
        if (appliesAtOnce(opts)) {
            super.addSockets(opts, rooms);
        }
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        publishRooms(ClusterMessageType.SOCKETS_LEAVE, opts, rooms);
        if (appliesAtOnce(opts)) {
            super.delSockets(opts, rooms);
        }
    }

    /**
     * Whether an operation of this node on its own sockets takes effect now: yes, unless it goes
     * to a log that this node reads back ({@link #readsOwnBroadcasts()}), where it takes effect
     * in its place among the broadcasts, as on every other node ({@code emit} then
     * {@code disconnectSockets}: the emit arrives first, here too).
     */
    private boolean appliesAtOnce(BroadcastOptions opts) {
        return opts.flags().local() || !readsOwnBroadcasts();
    }

    /** The messages of this node that it applies when it reads them back from its log. */
    private static boolean readBack(ClusterMessageType type, JsonNode data) {
        return type == ClusterMessageType.BROADCAST && !data.has("requestId")
                || type == ClusterMessageType.SOCKETS_JOIN || type == ClusterMessageType.SOCKETS_LEAVE
                || type == ClusterMessageType.DISCONNECT_SOCKETS;
    }

    private void publishRooms(ClusterMessageType type, BroadcastOptions opts, Collection<String> rooms) {
        if (opts.flags().local()) {
            return;
        }
        ObjectNode data = NODES.objectNode();
        data.set("opts", optsJson(opts));
        ArrayNode list = data.putArray("rooms");
        rooms.forEach(list::add);
        publish(type, data);
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        if (!opts.flags().local()) {
            ObjectNode data = NODES.objectNode();
            data.set("opts", optsJson(opts));
            data.put("close", close);
            publish(ClusterMessageType.DISCONNECT_SOCKETS, data);
        }
        if (appliesAtOnce(opts)) {
            super.disconnectSockets(opts, close);
        }
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = super.fetchSockets(opts).join();
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(local);
        }
        ObjectNode data = NODES.objectNode();
        data.set("opts", optsJson(opts));
        long timeout = opts.flags().timeoutMillis() > 0 ? opts.flags().timeoutMillis() : requestTimeoutMillis;
        return ask("fetchSockets", ClusterMessageType.FETCH_SOCKETS, data, timeout).thenApply(responses -> {
            List<SocketDetails> all = new ArrayList<>(local);
            for (JsonNode response : responses) {
                SocketDetailsJson.addFrom(response.path("sockets"), all);
            }
            return all;
        });
    }

    @Override
    public void serverSideEmit(ArrayNode packet) {
        ObjectNode data = NODES.objectNode();
        data.set("packet", packet);
        publish(ClusterMessageType.SERVER_SIDE_EMIT, data);
    }

    @Override
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet, long timeoutMillis) {
        ObjectNode data = NODES.objectNode();
        data.set("packet", packet);
        return ask("serverSideEmit", ClusterMessageType.SERVER_SIDE_EMIT, data, timeoutMillis).thenApply(responses -> {
            List<JsonNode> replies = new ArrayList<>(responses.size());
            responses.forEach(response -> replies.add(response.path("packet")));
            return replies;
        });
    }

    /** Publishes a request and collects one response per other node until {@code timeoutMillis}. */
    private CompletableFuture<List<JsonNode>> ask(String what, ClusterMessageType type, ObjectNode data,
                                                  long timeoutMillis) {
        Set<String> known = nodes.known();
        return census(known).thenCompose(census -> {
            nodes.forget(census.gone());
            PendingResponses pending = new PendingResponses(what + " on " + nsp.name(), census.servers() - 1, nodes,
                    timeoutMillis);
            if (pending.result().isDone()) {
                return pending.result();
            }
            String requestId = randomId();
            data.put("requestId", requestId);
            pendingRequests.add(requestId, pending, timeoutMillis);
            publish(type, data);
            return pending.result();
        });
    }

    // ---- inbound ----

    /** A message published by some node (own and other namespaces' messages are ignored here). */
    protected void onMessage(JsonNode message) {
        onMessage(message, null);
    }

    /**
     * A message, with its {@code offset} in the durable log it was read from ({@code null} for
     * pub/sub): own messages are ignored, but for those read back from the log
     * ({@link #readsOwnBroadcasts()}); so are other namespaces'.
     */
    protected void onMessage(JsonNode message, String offset) {
        if (!nsp.name().equals(message.path("nsp").asText())) {
            return;
        }
        ClusterMessageType type = ClusterMessageType.fromWire(message.path("type").asInt(-1));
        boolean own = uid.equals(message.path("uid").asText());
        if (own && !(offset != null && readsOwnBroadcasts() && readBack(type, message.path("data")))) {
            return;
        }
        if (type == null) {
            unknownMessages.record(message.path("type") + " on " + nsp.name());
            return;
        }
        JsonNode data = message.path("data");
        String sender = message.path("uid").asText();
        if (!own) {
            nodes.heard(sender);
        }
        switch (type) {
            case BROADCAST -> onBroadcast(sender, data, offset);
            case SOCKETS_JOIN -> super.addSockets(parseOpts(data.path("opts")), strings(data.path("rooms")));
            case SOCKETS_LEAVE -> super.delSockets(parseOpts(data.path("opts")), strings(data.path("rooms")));
            case DISCONNECT_SOCKETS -> super.disconnectSockets(parseOpts(data.path("opts")), data.path("close").asBoolean());
            case FETCH_SOCKETS -> onFetchSockets(sender, data);
            case SERVER_SIDE_EMIT -> onServerSideEmit(sender, data);
            case BROADCAST_CLIENT_COUNT, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT_RESPONSE -> onResponse(message);
            default -> {
                // heartbeats and close notices: this protocol variant keeps no node list
            }
        }
    }

    private void onBroadcast(String sender, JsonNode data, String offset) {
        JsonNode packet = data.path("packet");
        if (!SocketPacketDecoder.isEventPayload(packet.path("data"))) {
            // Clients would refuse the packet and drop their connection: one bad message on the
            // bus must not disconnect every client of the namespace.
            badBroadcasts.record(nsp.name());
            return;
        }
        BroadcastOptions opts = parseOpts(data.path("opts"));
        String requestId = data.path("requestId").asText(null);
        if (requestId == null) {
            ArrayNode args = (ArrayNode) packet.get("data");
            if (offset != null && nsp.recoveryWindowMillis() > 0 && !opts.flags().volatileDelivery()) {
                // As the reference: the log's offset as the last argument, for the client to resume from.
                args = args.deepCopy().add(offset);
            }
            deliverBroadcast(new SocketPacket(SocketPacketType.EVENT, nsp.name(), SocketPacket.NO_ID, args), opts, offset);
            return;
        }
        super.broadcastWithAck(new SocketPacket(SocketPacketType.EVENT, nsp.name(), packet.path("id").asLong(0),
                        (ArrayNode) packet.get("data")), opts,
                count -> publishResponse(sender, ClusterMessageType.BROADCAST_CLIENT_COUNT,
                        NODES.objectNode().put("requestId", requestId).put("clientCount", count)),
                reply -> {
                    // Like the reference, a broadcast ack carries the client's first argument.
                    ObjectNode response = NODES.objectNode().put("requestId", requestId);
                    response.set("packet", reply.isArray() ? (reply.isEmpty() ? NullNode.instance : reply.get(0)) : reply);
                    publishResponse(sender, ClusterMessageType.BROADCAST_ACK, response);
                });
    }

    private void onFetchSockets(String sender, JsonNode data) {
        ArrayNode list = SocketDetailsJson.toJson(super.fetchSockets(parseOpts(data.path("opts"))).join());
        ObjectNode response = NODES.objectNode().put("requestId", data.path("requestId").asText());
        response.set("sockets", list);
        publishResponse(sender, ClusterMessageType.FETCH_SOCKETS_RESPONSE, response);
    }

    private void onServerSideEmit(String sender, JsonNode data) {
        JsonNode packet = data.path("packet");
        if (!packet.isArray()) {
            return;
        }
        String requestId = data.path("requestId").asText(null);
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
                ObjectNode response = NODES.objectNode().put("requestId", requestId);
                response.set("packet", reply);
                publishResponse(sender, ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE, response);
            };
        }
        nsp.receiveServerSideEmit((ArrayNode) packet, ack);
    }

    /** A response to one of this node's requests. */
    protected void onResponse(JsonNode response) {
        String responder = response.path("uid").asText(null);
        nodes.heard(responder);
        JsonNode data = response.path("data");
        String requestId = data.path("requestId").asText(null);
        if (requestId == null) {
            return;
        }
        ClusterMessageType type = ClusterMessageType.fromWire(response.path("type").asInt(-1));
        PendingBroadcastAck ackRequest = pendingRequests.broadcast(requestId);
        if (ackRequest != null) {
            if (type == ClusterMessageType.BROADCAST_CLIENT_COUNT) {
                ackRequest.clientCount(responder, data.path("clientCount").asInt(0));
            } else if (type == ClusterMessageType.BROADCAST_ACK) {
                ackRequest.ack(NODES.arrayNode().add(data.path("packet")));
            }
            return;
        }
        PendingResponses pending = pendingRequests.responses(requestId);
        if (pending != null && (type == ClusterMessageType.FETCH_SOCKETS_RESPONSE
                || type == ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE)) {
            pending.add(responder, data);
        }
    }

    // ---- encoding helpers ----

    /** {@code {type, data[, id]}}: the reference sends packets without nsp in cluster messages. */
    private static ObjectNode packetJson(SocketPacket packet) {
        ObjectNode json = NODES.objectNode().put("type", SocketPacketType.EVENT.ordinal());
        json.set("data", packet.data());
        if (packet.hasId()) {
            json.put("id", packet.id());
        }
        return json;
    }

    private static ObjectNode optsJson(BroadcastOptions opts) {
        return BroadcastOptionsJson.toJson(opts, true);
    }

    private static BroadcastOptions parseOpts(JsonNode json) {
        return BroadcastOptionsJson.fromJson(json);
    }

    private static Set<String> strings(JsonNode array) {
        return BroadcastOptionsJson.strings(array);
    }

    /** 16 hex characters (8 random bytes). */
    protected static String randomId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
