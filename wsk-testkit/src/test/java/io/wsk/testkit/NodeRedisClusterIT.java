package io.wsk.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.testkit.NodeSocketIoServer.FetchedSocket;
import io.wsk.testkit.NodeSocketIoServer.ServerSideEvent;
import io.wsk.testkit.SocketIoClient.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Node reference cluster the wsk Redis adapter will be tested against: official servers with
 * {@code @socket.io/redis-adapter} and the official emitter on a test-owned {@code redis-server},
 * with {@code socket.io-client}s. If these fail, a wsk failure in the same setting proves nothing.
 */
class NodeRedisClusterIT {

    private static final byte[] BYTES = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    private static final Duration CLUSTER_UP = Duration.ofSeconds(5);

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twoServersShareBroadcastsRoomsAndRequests() {
        List<NodeSocketIoServer> cluster = NodeSocketIoServer.startAll(
                NodeSocketIoServer.builder(redis.url()).name("a"), NodeSocketIoServer.builder(redis.url()).name("b"));
        try (NodeSocketIoServer a = cluster.get(0); NodeSocketIoServer b = cluster.get(1);
             SocketIoClient client = SocketIoClient.connect(b.url(), Map.of("transports", List.of("websocket")))) {
            a.awaitServerCount(2, CLUSTER_UP);
            assertThat(b.serverCount()).isEqualTo(2);
            assertThat(redis.numsub("socket.io-request#/#")).isEqualTo(2);

            String id = client.awaitConnect().id();
            assertThat(b.awaitConnection()).isEqualTo(id);
            assertThat(b.clientsCount()).isEqualTo(1);
            assertThat(a.clientsCount()).isZero();

            a.emit("hello", 1, "two", BYTES);
            Received hello = client.awaitReceived("hello");
            assertThat(hello.args().get(0).asInt()).isEqualTo(1);
            assertThat(hello.string(1)).isEqualTo("two");
            assertThat(hello.bytes(2)).isEqualTo(BYTES);

            // a bench handler on b, a room broadcast from a
            client.emitWithAck("join", "r1").await();
            a.except("r1").emit("notForR1");
            a.to("r1").emit("forR1", "x");
            assertThat(client.awaitReceived("forR1").string(0)).isEqualTo("x");
            assertThat(client.allReceived("notForR1")).isEmpty();

            List<FetchedSocket> sockets = a.fetchSockets();
            assertThat(sockets).singleElement().satisfies(socket -> {
                assertThat(socket.id()).isEqualTo(id);
                assertThat(socket.rooms()).containsExactlyInAnyOrder(id, "r1");
                assertThat(socket.remote()).isTrue();
            });
            assertThat(client.emitWithAck("count").await().get(0).asInt()).isEqualTo(1);

            a.socketsJoin("r2");
            a.to("r2").emit("forR2");
            client.awaitReceived("forR2");

            client.answer("question", "yes");
            NodeSocketIoServer.Acks acks = a.timeout(Duration.ofSeconds(2)).emitWithAck("question").await();
            assertThat(acks.ok()).hasSize(1);
            assertThat(acks.responses().get(0).asText()).isEqualTo("yes");
        }
    }

    @Test
    void serverSideEventsReachTheOtherServerAndComeBackAnswered() {
        List<NodeSocketIoServer> cluster = NodeSocketIoServer.startAll(
                NodeSocketIoServer.builder(redis.url()).name("a"), NodeSocketIoServer.builder(redis.url()).name("b"));
        try (NodeSocketIoServer a = cluster.get(0); NodeSocketIoServer b = cluster.get(1)) {
            a.awaitServerCount(2, CLUSTER_UP);

            a.serverSideEmit("note", "plain", 2);
            ServerSideEvent note = b.awaitServerSideEmit("note");
            assertThat(note.args()).hasSize(2);
            assertThat(note.ack()).isFalse();

            NodeSocketIoServer.Acks answers = a.serverSideEmitWithAck("ask", 42).await();
            assertThat(answers.ok()).hasSize(1);
            assertThat(answers.responses().get(0).asText()).isEqualTo("b");
            assertThat(b.awaitServerSideEmit("ask").answered()).isTrue();

            b.answerServerSideEmit("ask", Map.of("custom", true));
            ArrayNode custom = a.serverSideEmitWithAck("ask").await().ok();
            assertThat(custom.get(0).path("custom").asBoolean()).isTrue();
        }
    }

    @Test
    void theEmitterReachesClientsOfANodeServer() {
        try (NodeSocketIoServer server = NodeSocketIoServer.builder(redis.url()).namespaces("/admin").start();
             NodeEmitter emitter = NodeEmitter.start(redis);
             SocketIoClient client = SocketIoClient.connect(server.url(), Map.of("transports", List.of("websocket")))) {
            client.awaitConnect();
            SocketIoClient admin = client.open("/admin", null);
            admin.awaitConnect();

            emitter.emit("fromEmitter", "hi", BYTES);
            Received received = client.awaitReceived("fromEmitter");
            assertThat(received.string(0)).isEqualTo("hi");
            assertThat(received.bytes(1)).isEqualTo(BYTES);

            emitter.of("/admin").emit("toAdmin", 7);
            assertThat(admin.awaitReceived("toAdmin").args().get(0).asInt()).isEqualTo(7);

            emitter.socketsJoin("viaEmitter");
            emitter.to("viaEmitter").emit("inRoom");
            client.awaitReceived("inRoom");

            emitter.serverSideEmit("fromOutside", 1);
            assertThat(server.awaitServerSideEmit("fromOutside").ack()).isFalse();

            emitter.disconnectSockets(false);
            assertThat(client.awaitDisconnect()).isEqualTo("io server disconnect");
        }
    }

    @Test
    void serversReconnectWhenRedisComesBackOnTheSamePort() {
        try (RedisServer own = RedisServer.start()) {
            List<NodeSocketIoServer> cluster = NodeSocketIoServer.startAll(
                    NodeSocketIoServer.builder(own.url()), NodeSocketIoServer.builder(own.url()));
            try (NodeSocketIoServer a = cluster.get(0); NodeSocketIoServer b = cluster.get(1);
                 SocketIoClient client = SocketIoClient.connect(b.url(), Map.of("transports", List.of("websocket")))) {
                a.awaitServerCount(2, CLUSTER_UP);
                client.awaitConnect();

                own.kill();
                own.restart();

                a.awaitServerCount(2, CLUSTER_UP);
                a.emit("afterRestart");
                client.awaitReceived("afterRestart");
                assertThat(a.events()).anyMatch(event -> event.path("event").asText().equals("redisError"));
            }
        }
    }

    @Test
    void shardedServersSeeEachOther() {
        List<NodeSocketIoServer> cluster = NodeSocketIoServer.startAll(
                NodeSocketIoServer.builder(redis.url()).sharded("static"),
                NodeSocketIoServer.builder(redis.url()).sharded("dynamic"));
        try (NodeSocketIoServer a = cluster.get(0); NodeSocketIoServer b = cluster.get(1);
             SocketIoClient client = SocketIoClient.connect(b.url(), Map.of("transports", List.of("websocket")))) {
            assertThat(a.sharded()).isTrue();
            a.awaitServerCount(2, CLUSTER_UP);
            assertThat(redis.shardNumsub("socket.io#/#")).isEqualTo(2);
            client.awaitConnect();
            client.emitWithAck("join", "room").await();

            a.to("room").emit("sharded", BYTES);
            assertThat(client.awaitReceived("sharded").bytes(0)).isEqualTo(BYTES);
            assertThat(a.serverSideEmitWithAck("ping").await().ok()).hasSize(1);
        }
    }
}
