package io.wsk.redis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.RespConnection;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever arrives on the bus's channels, from a buggy or hostile publisher, is logged and
 * ignored: malformed and truncated msgpack, JSON garbage, unknown request types, fields of the
 * wrong type, broadcasts no client could accept. Raw bytes are published with the test's own
 * Redis connection; afterwards the nodes still serve (a broadcast still crosses them) and their
 * clients are still connected.
 */
class BusBadInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private static RedisServer redis;
    private static WskNode a;
    private static WskNode b;
    private static WskNode shardedA;
    private static WskNode shardedB;

    private final Clients clients = new Clients();
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger wskLogger = (Logger) LoggerFactory.getLogger("io.wsk");
    private Level previousLevel;

    @BeforeAll
    static void startCluster() throws InterruptedException {
        redis = RedisServer.start();
        a = WskNode.builder(redis.url()).name("a").start();
        b = WskNode.builder(redis.url()).name("b").start();
        shardedA = WskNode.builder(redis.url()).name("sharded-a").sharded(SubscriptionMode.DYNAMIC).start();
        shardedB = WskNode.builder(redis.url()).name("sharded-b").sharded(SubscriptionMode.DYNAMIC).start();
        for (WskNode node : List.of(a, b, shardedA, shardedB)) {
            node.awaitServerCount(2);
        }
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[]{a, b, shardedA, shardedB, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @BeforeEach
    void captureWarnings() {
        previousLevel = wskLogger.getLevel();
        wskLogger.setLevel(Level.WARN);
        warnings.start();
        wskLogger.addAppender(warnings);
    }

    @AfterEach
    void stop() {
        wskLogger.detachAppender(warnings);
        wskLogger.setLevel(previousLevel);
        clients.close();
    }

    // ---- what is published ----

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] msgpack(JsonNode value) {
        return Notepack.encode(value);
    }

    /** A classic broadcast message {@code [uid, {type: 2, data, nsp: "/"}, {rooms: [], except: [], flags: {}}]}. */
    private static ArrayNode broadcast(JsonNode data) {
        ObjectNode packet = NODES.objectNode().put("type", 2);
        packet.set("data", data);
        packet.put("nsp", "/");
        ObjectNode opts = NODES.objectNode();
        opts.putArray("rooms");
        opts.putArray("except");
        opts.putObject("flags");
        return NODES.arrayNode().add("intruder").add(packet).add(opts);
    }

    /** A broadcast of event {@code deep} whose argument is {@code count} arrays nested in each other. */
    private static byte[] deepBroadcast(int count) {
        byte[] head = hex("93a8696e747275646572" + "83a47479706502a46461746192a464656570");
        byte[] tail = hex("a36e7370a12f" + "80");
        byte[] deep = deepMsgpack(count);
        byte[] bytes = Arrays.copyOf(head, head.length + deep.length + tail.length);
        System.arraycopy(deep, 0, bytes, head.length, deep.length);
        System.arraycopy(tail, 0, bytes, head.length + deep.length, tail.length);
        return bytes;
    }

    /** {@code count} arrays nested in each other, in msgpack. */
    private static byte[] deepMsgpack(int count) {
        byte[] bytes = new byte[count + 1];
        Arrays.fill(bytes, 0, count, (byte) 0x91);
        bytes[count] = (byte) 0xc0;
        return bytes;
    }

    private static byte[] deepJson(int count) {
        return text("{\"type\":" + "[".repeat(count) + "]".repeat(count) + "}");
    }

    private static void publishAll(String channel, List<byte[]> messages) {
        for (byte[] message : messages) {
            redis.publish(channel, message);
        }
    }

    private List<SocketIoClient> clientOnEachOf(WskNode first, WskNode second) {
        List<SocketIoClient> list = new ArrayList<>();
        clients.connectAll(list, first.url(), second.url());
        return list;
    }

    /** The nodes still serve: a broadcast from each reaches the client of the other, and nobody was disconnected. */
    private static void assertStillServing(WskNode first, WskNode second, List<SocketIoClient> both, String marker) {
        first.io().emit(marker, first.name());
        second.io().emit(marker, second.name());
        for (SocketIoClient client : both) {
            List<String> from = List.of(client.awaitReceived(marker).string(0), client.awaitReceived(marker).string(0));
            assertThat(from).containsExactlyInAnyOrder(first.name(), second.name());
            assertThat(client.events()).noneMatch(e -> e.path("event").asText().matches("disconnect|connect_error|close"));
        }
    }

    private long warningsContaining(String text) {
        return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text)).count();
    }

    // ---- the classic adapter ----

    @Test
    void garbageOnBroadcastChannelsIsIgnored() {
        List<SocketIoClient> both = clientOnEachOf(a, b);
        both.get(1).emitWithAck("join", "room").await();
        byte[] real = msgpack(broadcast(NODES.arrayNode().add("real").add(new byte[100])));

        List<byte[]> malformed = List.of(
                hex("c1"),                                          // a byte msgpack never uses
                Arrays.copyOf(real, real.length / 2),               // truncated
                text("{not json"),                                  // JSON garbage
                text("{\"type\":2}"),                               // JSON, but not a broadcast
                deepMsgpack(100_000),                               // nesting beyond any parser's patience
                new byte[0]);
        List<byte[]> wrongShapes = List.of(
                hex("a3616263"),                                    // "abc"
                msgpack(NODES.arrayNode().add("intruder")),         // too short
                msgpack(NODES.arrayNode().add("intruder").add("packet").add(NODES.objectNode())),
                msgpack(broadcast(NODES.textNode("not an array"))),
                msgpack(broadcast(NODES.arrayNode())),              // no event name: clients refuse such a packet
                msgpack(broadcast(NODES.arrayNode().add(NODES.objectNode().put("a", 1)))),
                msgpack(broadcast(NODES.arrayNode().add("connect"))), // a reserved event name
                deepBroadcast(100_000),
                hex("93a8696e747275646572" + "83a47479706502a46461746192a3657874d40501a36e7370a12f" + "80"));
        for (String channel : List.of("socket.io#/#", "socket.io#/#room#")) {
            publishAll(channel, malformed);
            publishAll(channel, wrongShapes);
        }

        assertStillServing(a, b, both, "after");
        for (SocketIoClient client : both) {
            assertThat(client.allReceived("connect")).isEmpty();
            assertThat(client.allReceived("real")).isEmpty();
            assertThat(client.allReceived("deep")).isEmpty();
        }
        // both nodes read the namespace channel; only b, which has a member of the room, the room's
        assertThat(warningsContaining("malformed")).as("each malformed message, logged by each reader")
                .isGreaterThanOrEqualTo(3L * malformed.size());
    }

    @Test
    void garbageOnTheRequestChannelIsIgnored() throws Exception {
        List<SocketIoClient> both = clientOnEachOf(a, b);
        List<byte[]> requests = List.of(
                hex("c1"),
                text("{not json"),
                text("[1, 2]"),
                hex("85a3756964"),                                               // a truncated map
                deepJson(100_000),
                deepMsgpack(100_000),
                text("{\"uid\":\"x\",\"type\":99}"),                             // unknown type
                text("{\"uid\":\"x\",\"type\":-1}"),
                text("{\"uid\":\"x\",\"type\":9e999}"),
                text("{\"uid\":\"x\",\"type\":\"two\"}"),
                text("{\"uid\":5,\"type\":5,\"requestId\":[1],\"opts\":\"x\"}"),  // wrong field types
                text("{\"uid\":\"x\",\"type\":6,\"data\":\"not an array\"}"),
                text("{\"uid\":\"x\",\"type\":6,\"data\":[]}"),
                text("{\"uid\":\"x\",\"type\":6,\"requestId\":7,\"data\":[{}]}"),
                text("{\"uid\":\"x\",\"type\":7,\"requestId\":\"r1\",\"packet\":{\"data\":5},\"opts\":{}}"),
                text("{\"uid\":\"x\",\"type\":7,\"requestId\":\"r2\",\"packet\":{\"type\":2,\"data\":[],\"nsp\":\"/\"},\"opts\":{}}"),
                text("{\"uid\":\"x\",\"type\":7,\"requestId\":\"r3\",\"packet\":{\"type\":2,\"data\":[\"ok\"],\"nsp\":\"/other\"}}"),
                text("{\"uid\":\"x\",\"type\":2,\"sid\":5,\"room\":{}}"),          // legacy join, wrong types
                text("{\"uid\":\"x\",\"type\":3,\"requestId\":\"r4\",\"sid\":[]}"),
                text("{\"uid\":\"x\",\"type\":4,\"sid\":{\"a\":1},\"close\":\"yes\"}"),
                text("{\"uid\":\"x\",\"type\":5,\"requestId\":\"r5\",\"opts\":{\"rooms\":[{}],\"except\":[null]}}"),
                text("{\"uid\":\"x\",\"type\":8,\"requestId\":\"r6\",\"clientCount\":\"many\"}"),
                msgpack(NODES.objectNode().put("uid", "x").put("type", 7).put("requestId", "r7").put("packet", "?")));
        publishAll("socket.io-request#/#", requests);

        assertStillServing(a, b, both, "after");
        assertThat(both.get(0).allReceived("ok")).isEmpty();
        // the four that cannot be parsed, by each node (the deep msgpack parses: its type is unknown)
        assertThat(warningsContaining("malformed")).isGreaterThanOrEqualTo(2L * 4);
        assertThat(warningsContaining("unknown type")).isGreaterThanOrEqualTo(2L * 4);
        // and the requests that matter still work
        assertThat(a.io().fetchSockets().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).hasSize(2);
        b.answerServerSideEmit("stillThere", "b");
        assertThat(a.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(8), "stillThere")
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).extracting(JsonNode::asText).containsExactly("b");
    }

    @Test
    void garbageOnTheResponseChannelsIsIgnored() throws Exception {
        List<SocketIoClient> both = clientOnEachOf(a, b);
        List<byte[]> responses = List.of(
                hex("c1"),
                text("{not json"),
                hex("82a9726571756573744964"),
                deepMsgpack(100_000),
                text("{\"requestId\":5}"),
                text("{\"requestId\":\"abc\",\"type\":\"x\"}"),
                text("{\"type\":8,\"requestId\":\"zz\",\"clientCount\":\"many\"}"),
                msgpack(NODES.objectNode().put("type", 9).put("requestId", "zz").put("packet", 1)),
                text("[]"));
        publishAll("socket.io-response#/#", responses);
        publishAll("socket.io-response#/#" + ((RedisAdapter) a.adapter()).uid() + "#", responses);

        assertStillServing(a, b, both, "after");
        assertThat(warningsContaining("malformed")).isGreaterThanOrEqualTo(2L * 4);
    }

    /**
     * A bad answer to a request in flight: a fake node (a raw subscriber to the request channel,
     * so counted) answers a fetchSockets with sockets of the wrong type. The request completes
     * with the real nodes' sockets, at once rather than at its timeout.
     */
    @Test
    void aMalformedAnswerToALiveRequestAddsNothing() throws Exception {
        List<SocketIoClient> both = clientOnEachOf(a, b);
        try (RespConnection fake = redis.connect()) {
            fake.call("SUBSCRIBE", "socket.io-request#/#");
            a.awaitServerCount(3);
            long start = System.nanoTime();
            CompletableFuture<List<RemoteSocket>> fetched = a.io().fetchSockets();
            List<?> request = (List<?>) fake.read(TIMEOUT);
            JsonNode json = RedisAdapter.JSON.readTree((byte[]) request.get(2));
            assertThat(json.path("type").asInt()).isEqualTo(5);
            redis.publish("socket.io-response#/#", text("{\"requestId\":\"" + json.path("requestId").asText()
                    + "\",\"sockets\":5}"));

            assertThat(fetched.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        a.awaitServerCount(2);
        assertStillServing(a, b, both, "after");
    }

    // ---- the sharded adapter ----

    @Test
    void garbageOnShardedChannelsIsIgnored() {
        List<SocketIoClient> both = clientOnEachOf(shardedA, shardedB);
        both.get(1).emitWithAck("join", "room").await();
        String uidOfA = ((ShardedRedisAdapter) shardedA.adapter()).uid();
        List<byte[]> messages = List.of(
                hex("c1"),
                text("{not json"),
                hex("84a3756964"),
                deepMsgpack(100_000),
                deepJson(100_000),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":99}"),
                text("{\"uid\":5,\"nsp\":7,\"type\":\"3\"}"),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":3}"),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":3,\"data\":{\"packet\":{\"data\":\"x\"}}}"),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[]},\"opts\":{}}}"),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":9,\"data\":{\"packet\":\"not an array\"}}"),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":8,\"data\":{\"requestId\":\"zz\",\"sockets\":5}}"),
                text("{\"uid\":\"x\",\"nsp\":\"/\",\"type\":11,\"data\":{\"requestId\":{},\"clientCount\":\"x\"}}"),
                text("[]"));
        for (String channel : List.of("socket.io#/#", "socket.io#/#room#", "socket.io#/#" + uidOfA + "#")) {
            for (byte[] message : messages) {
                redis.command("SPUBLISH", channel, message);
            }
        }

        assertStillServing(shardedA, shardedB, both, "after");
        shardedA.io().to("room").emit("toRoom");
        both.get(1).awaitReceived("toRoom");
        assertThat(warningsContaining("malformed")).isGreaterThanOrEqualTo(3L * 4);
    }
}
