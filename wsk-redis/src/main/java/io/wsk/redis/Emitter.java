package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.protocol.ReservedEvents;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sends to the clients of a Socket.IO cluster from any process, through Redis, byte-compatible
 * with {@code @socket.io/redis-emitter} 5.x: the servers (wsk or Node, with the classic Redis
 * adapter) cannot tell the difference.
 *
 * <pre>{@code
 * Emitter emitter = Emitter.create(new RedisBus("redis://redis:6379", 10_000));
 * emitter.to("room1").emit("news", Map.of("title", "hello"));
 * emitter.of("/admin").in("ops").socketsJoin("alerts");
 * }</pre>
 *
 * Immutable: {@code to}, {@code except}, {@code of}, ... return new emitters. Thread-safe.
 */
public final class Emitter {

    /** The uid every emitter publishes with; servers never take it for one of their own. */
    static final String UID = "emitter";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RedisBus bus;
    private final ObjectMapper mapper;
    private final String key;
    private final String nsp;
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean volatileDelivery;
    private final Boolean compress;

    private Emitter(RedisBus bus, ObjectMapper mapper, String key, String nsp, Set<String> rooms, Set<String> except,
                    boolean volatileDelivery, Boolean compress) {
        this.bus = bus;
        this.mapper = mapper;
        this.key = key;
        this.nsp = nsp;
        this.rooms = rooms;
        this.except = except;
        this.volatileDelivery = volatileDelivery;
        this.compress = compress;
    }

    /** An emitter for the main namespace with the default key {@code socket.io}. */
    public static Emitter create(RedisBus bus) {
        return create(bus, "socket.io", new ObjectMapper());
    }

    /** {@code key}: the adapters' channel prefix; {@code mapper}: converts event arguments. */
    public static Emitter create(RedisBus bus, String key, ObjectMapper mapper) {
        return new Emitter(bus, mapper, key, "/", Set.of(), Set.of(), false, null);
    }

    /** The same emitter for another namespace ({@code /} is prefixed when missing). */
    public Emitter of(String namespace) {
        String name = namespace.startsWith("/") ? namespace : "/" + namespace;
        return new Emitter(bus, mapper, key, name, Set.of(), Set.of(), false, null);
    }

    public Emitter to(String... more) {
        return new Emitter(bus, mapper, key, nsp, union(rooms, more), except, volatileDelivery, compress);
    }

    public Emitter in(String... more) {
        return to(more);
    }

    public Emitter except(String... more) {
        return new Emitter(bus, mapper, key, nsp, rooms, union(except, more), volatileDelivery, compress);
    }

    public Emitter asVolatile() {
        return new Emitter(bus, mapper, key, nsp, rooms, except, true, compress);
    }

    public Emitter compress(boolean value) {
        return new Emitter(bus, mapper, key, nsp, rooms, except, volatileDelivery, value);
    }

    private static Set<String> union(Set<String> base, String[] more) {
        Set<String> result = new LinkedHashSet<>(base);
        result.addAll(Arrays.asList(more));
        return Set.copyOf(result);
    }

    private ClassicChannels channels() {
        return new ClassicChannels(key, nsp);
    }

    /** Sends an event to the targeted clients; arguments are any JSON-serializable values, byte[] for binary. */
    public void emit(String event, Object... args) {
        ReservedEvents.checkEvent(event);
        ObjectNode packet = NODES.objectNode().put("type", 2);
        packet.set("data", eventData(event, args));
        packet.put("nsp", nsp);
        ObjectNode opts = NODES.objectNode();
        opts.set("rooms", array(rooms));
        ObjectNode flags = opts.putObject("flags");
        if (volatileDelivery) {
            flags.put("volatile", true);
        }
        if (compress != null) {
            flags.put("compress", compress);
        }
        opts.set("except", array(except));
        ArrayNode message = NODES.arrayNode().add(UID).add(packet).add(opts);
        String channel = rooms.size() == 1 ? channels().broadcast(rooms.iterator().next()) : channels().broadcast();
        bus.publish(channel, Notepack.encode(message));
    }

    /** Makes the targeted sockets join {@code joined}, on every server. */
    public void socketsJoin(String... joined) {
        publishRooms(RequestType.REMOTE_JOIN, joined);
    }

    public void socketsLeave(String... left) {
        publishRooms(RequestType.REMOTE_LEAVE, left);
    }

    private void publishRooms(RequestType type, String[] list) {
        ObjectNode request = NODES.objectNode().put("type", type.wire());
        request.set("opts", targetOpts());
        request.set("rooms", array(Set.of(list)));
        bus.publish(channels().request(), json(request));
    }

    /** Disconnects the targeted sockets; {@code close} also closes their connections. */
    public void disconnectSockets(boolean close) {
        ObjectNode request = NODES.objectNode().put("type", RequestType.REMOTE_DISCONNECT.wire());
        request.set("opts", targetOpts());
        request.put("close", close);
        bus.publish(channels().request(), json(request));
    }

    /** Sends an event to the servers themselves ({@code onServerSideEmit}); no replies are collected. */
    public void serverSideEmit(String event, Object... args) {
        ReservedEvents.checkServerSideEvent(event);
        ObjectNode request = NODES.objectNode().put("uid", UID).put("type", RequestType.SERVER_SIDE_EMIT.wire());
        request.set("data", eventData(event, args));
        bus.publish(channels().request(), json(request));
    }

    private ObjectNode targetOpts() {
        ObjectNode opts = NODES.objectNode();
        opts.set("rooms", array(rooms));
        opts.set("except", array(except));
        return opts;
    }

    private ArrayNode eventData(String event, Object[] args) {
        ArrayNode data = NODES.arrayNode().add(event);
        for (Object arg : args) {
            data.add(arg instanceof JsonNode node ? node : mapper.valueToTree(arg));
        }
        return data;
    }

    private static ArrayNode array(Set<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static byte[] json(JsonNode value) {
        try {
            return RedisAdapter.JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
