package io.wsk.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whoever can write to Redis can write to the stream and the session keys. Foreign entries,
 * garbage fields, unknown types, packets no client accepts and forged sessions are skipped (and
 * logged once per interval); the readers go on, the nodes keep serving, and a forged session
 * never gets a client more than the limits allow.
 */
class StreamsBadInputIT {

    private RedisServer redis;
    private WskNode a;
    private WskNode b;
    private final Clients clients = new Clients();

    @BeforeEach
    void start() throws InterruptedException {
        redis = RedisServer.start();
        a = WskNode.builder(redis.url()).name("a").streams(RedisStreamsAdapterOptions.defaults())
                .recovery(Duration.ofSeconds(30)).start();
        b = WskNode.builder(redis.url()).name("b").streams(RedisStreamsAdapterOptions.defaults())
                .recovery(Duration.ofSeconds(30)).start();
        a.awaitServerCount(2);
    }

    @AfterEach
    void stop() {
        clients.close();
        for (AutoCloseable closeable : new AutoCloseable[]{a, b, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the rest matters more
            }
        }
    }

    /** {@code XADD socket.io * <fields>}, as anyone with access to Redis can. */
    private void xadd(String... fields) {
        Object[] command = new Object[3 + fields.length];
        command[0] = "XADD";
        command[1] = "socket.io";
        command[2] = "*";
        System.arraycopy(fields, 0, command, 3, fields.length);
        redis.command(command);
    }

    private static String broadcast(Object packetData) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("packet").put("type", 2).set("data", RedisAdapter.JSON.valueToTree(packetData));
        data.putObject("opts").putArray("rooms");
        data.with("opts").putArray("except");
        data.with("opts").putObject("flags");
        return data.toString();
    }

    @Test
    void garbageOnTheStreamIsSkippedAndTheReadersGoOn() {
        SocketIoClient onA = clients.connect(a.url());
        SocketIoClient onB = clients.connect(b.url());
        onA.awaitConnect();
        onB.awaitConnect();

        xadd("foreign", "entry");                                                       // no nsp: someone else's
        xadd("uid", "x", "nsp", "/", "type", "abc", "data", "{}");                      // type not a number
        xadd("uid", "x", "nsp", "/", "type", "99", "data", "{}");                       // unknown type
        xadd("uid", "x", "nsp", "/", "type", "3", "data", "{not json");                 // data not JSON
        xadd("uid", "x", "nsp", "/", "type", "3", "data", "!!!not base64!!!");          // nor base64 msgpack
        xadd("uid", "x", "nsp", "/", "type", "3", "data", Base64.getEncoder().encodeToString(new byte[]{(byte) 0xc1}));
        xadd("uid", "x", "nsp", "/", "type", "3", "data", broadcast("not an array"));   // no client accepts it
        xadd("uid", "x", "nsp", "/", "type", "3", "data", broadcast(List.of("connect"))); // a reserved event
        xadd("uid", "x", "nsp", "/", "type", "3", "data", "{" + "\"a\":{".repeat(5_000) + "}".repeat(5_001));
        xadd("uid", "x", "nsp", "/", "type", "3", "seq", "not a number", "data", broadcast(List.of("real", 1)));

        for (SocketIoClient client : List.of(onA, onB)) {
            assertThat(client.awaitReceived("real").args().get(0).asInt()).as("the one good entry").isEqualTo(1);
        }
        a.io().emit("after");
        onA.awaitReceived("after");
        onB.awaitReceived("after");
        assertThat(onA.allReceived("connect")).isEmpty();
        assertThat(onA.events()).noneMatch(e -> "disconnect".equals(e.path("event").asText()));
    }

    @Test
    void aForgedSessionGivesANewSessionOrStaysWithinTheLimits() {
        SocketIoClient seen = clients.connect(a.url());
        seen.awaitConnect();
        a.io().emit("mark");
        String offset = seen.awaitReceived("mark").args().get(0).asText();

        redis.command("SET", "sio:session:forged1", "this is not base64 msgpack");
        SocketIoClient garbage = SocketIoClient.connect(b.url(), Map.of("transports", List.of("websocket"),
                "auth", Map.of("pid", "forged1", "offset", offset)));
        clients.track(garbage);
        // (The client cannot tell: it takes a session as recovered only when it held the pid itself.)
        String garbageId = garbage.awaitConnect().id();
        assertThat(b.io().sockets().sockets().get(garbageId).recovered()).as("a new session, not an error").isFalse();

        ObjectNode session = JsonNodeFactory.instance.objectNode().put("sid", "forgedSocketId000001").put("pid", "forged2");
        var rooms = session.putArray("rooms");
        for (int i = 0; i < 5_000; i++) {
            rooms.add("room-" + i);
        }
        session.putNull("data");
        redis.command("SET", "sio:session:forged2", Base64.getEncoder().encode(Notepack.encode(session)));
        SocketIoClient many = SocketIoClient.connect(b.url(), Map.of("transports", List.of("websocket"),
                "auth", Map.of("pid", "forged2", "offset", offset)));
        clients.track(many);
        assertThat(many.awaitConnect().id()).isEqualTo("forgedSocketId000001");
        assertThat(b.io().sockets().sockets().get("forgedSocketId000001").recovered()).isTrue();
        assertThat(b.io().sockets().sockets().get("forgedSocketId000001").rooms())
                .as("joined within maxRoomsPerSocket, own room included").hasSize(1_001);
        b.io().emit("stillServing");
        many.awaitReceived("stillServing");
        garbage.awaitReceived("stillServing");
    }
}
