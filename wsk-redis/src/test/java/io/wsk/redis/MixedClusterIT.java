package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.server.AckTimeoutException;
import io.wsk.server.EventArgs;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.NodeEmitter;
import io.wsk.testkit.NodeSocketIoServer;
import io.wsk.testkit.NodeSocketIoServer.Acks;
import io.wsk.testkit.NodeSocketIoServer.FetchedSocket;
import io.wsk.testkit.NodeSocketIoServer.ServerSideEvent;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.RespConnection;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.SocketIoClient.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.wsk.redis.Clients.assertNothingBefore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * wsk nodes and official Node servers ({@code socket.io} with {@code @socket.io/redis-adapter},
 * {@link NodeSocketIoServer}) in one cluster on one {@code redis-server}: neither side can tell
 * the other from one of its own. Every operation is started on each side and checked on the
 * other, with clients on both; the official emitter reaches wsk's clients and wsk's
 * {@link Emitter} reaches Node's. Then the same essentials with the sharded adapters, in dynamic
 * and in static subscription mode.
 */
class MixedClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] BYTES = {0, 1, 2, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};

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

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    private static String only(List<String> ids) {
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    /** Two wsk nodes (w1, w2) and a Node server (n) with the classic adapter, all with {@code /admin}. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Classic {

        private WskNode w1;
        private WskNode w2;
        private NodeSocketIoServer n;
        private final Clients clients = new Clients();

        @BeforeAll
        void startCluster() throws InterruptedException {
            n = NodeSocketIoServer.builder(redis.url()).name("n").namespaces("/admin").start();
            w1 = WskNode.builder(redis.url()).name("w1").namespaces("/admin").start();
            w2 = WskNode.builder(redis.url()).name("w2").namespaces("/admin").start();
            n.awaitServerCount(3, WskNode.CLUSTER_UP);
            w1.awaitServerCount(3);
            w2.awaitServerCount(3);
        }

        @AfterAll
        void stopCluster() {
            closeQuietly(w1, w2, n);
        }

        @AfterEach
        void closeClients() {
            clients.close();
        }

        @Test
        void eachSideCountsThree() {
            assertThat(n.serverCount()).isEqualTo(3);
            assertThat(n.serverCount("/admin")).isEqualTo(3);
            assertThat(w1.serverCount()).isEqualTo(3);
            assertThat(w2.adapter("/admin").serverCount().join()).isEqualTo(3);
        }

        @Test
        void broadcastsCrossBothWaysWithRoomsExceptionsAndBinary() {
            SocketIoClient onW = clients.connect(w1.url());
            SocketIoClient onN = clients.connect(n.url());
            String idW = onW.awaitConnect().id();
            String idN = onN.awaitConnect().id();
            onW.emitWithAck("join", "r").await();
            onN.emitWithAck("join", "r").await();
            onN.emitWithAck("join", "nOnly").await();

            w1.io().emit("fromWsk", 1, BYTES, Map.of("nested", BYTES));
            for (SocketIoClient client : List.of(onW, onN)) {
                Received received = client.awaitReceived("fromWsk");
                assertThat(received.args().get(0).asInt()).isEqualTo(1);
                assertThat(received.bytes(1)).isEqualTo(BYTES);
                assertThat(SocketIoClient.binary(received.args().get(2).get("nested"))).isEqualTo(BYTES);
            }
            n.emit("fromNode", "x", BYTES);
            for (SocketIoClient client : List.of(onW, onN)) {
                Received received = client.awaitReceived("fromNode");
                assertThat(received.string(0)).isEqualTo("x");
                assertThat(received.bytes(1)).isEqualTo(BYTES);
            }

            n.to("r").emit("nodeToR", BYTES);
            assertThat(onW.awaitReceived("nodeToR").bytes(0)).isEqualTo(BYTES);
            onN.awaitReceived("nodeToR");
            n.except("nOnly").emit("nodeExceptN");
            onW.awaitReceived("nodeExceptN");
            n.to("r").except(idW).emit("nodeToRExceptW");
            onN.awaitReceived("nodeToRExceptW");
            n.to(idW).emit("nodeToW");
            onW.awaitReceived("nodeToW");

            w1.io().to("nOnly").emit("wskToNOnly", BYTES);
            assertThat(onN.awaitReceived("wskToNOnly").bytes(0)).isEqualTo(BYTES);
            w2.io().to("r").except("nOnly").emit("wskToRExceptN");
            onW.awaitReceived("wskToRExceptN");
            w2.io().to(idN).emit("wskToN");
            onN.awaitReceived("wskToN");

            // through the bench handlers: a client of n publishes to a room, a client of w1 gets it
            onN.emitWithAck("pub", Map.of("room", "r", "data", BYTES)).await();
            assertThat(SocketIoClient.binary(onW.awaitReceived("b").args().get(0).get("data"))).isEqualTo(BYTES);
            onW.emitWithAck("pub", Map.of("data", BYTES)).await();
            assertThat(SocketIoClient.binary(onN.awaitReceived("b").args().get(0).get("data"))).isEqualTo(BYTES);

            n.emit("mark");
            w1.io().emit("mark");
            w2.io().emit("mark");
            for (SocketIoClient client : List.of(onW, onN)) {
                for (int i = 0; i < 3; i++) {
                    client.awaitReceived("mark");
                }
            }
            assertThat(onN.allReceived("nodeExceptN")).isEmpty();
            assertThat(onW.allReceived("nodeToRExceptW")).isEmpty();
            assertThat(onN.allReceived("nodeToW")).isEmpty();
            assertThat(onW.allReceived("wskToNOnly")).isEmpty();
            assertThat(onN.allReceived("wskToRExceptN")).isEmpty();
            assertThat(onW.allReceived("wskToN")).isEmpty();
        }

        @Test
        void namespacesCrossBothWays() {
            SocketIoClient onW = clients.connect(w2.url());
            onW.awaitConnect();
            SocketIoClient adminOnW = onW.open("/admin", null);
            adminOnW.awaitConnect();
            SocketIoClient adminOnN = clients.connect(n.url("/admin"));
            adminOnN.awaitConnect();

            n.of("/admin").emit("nodeAdmin", 1);
            assertThat(adminOnW.awaitReceived("nodeAdmin").args().get(0).asInt()).isEqualTo(1);
            w1.io().of("/admin").emit("wskAdmin", 2);
            assertThat(adminOnN.awaitReceived("wskAdmin").args().get(0).asInt()).isEqualTo(2);
            adminOnW.awaitReceived("wskAdmin");
            n.emit("mark");
            assertNothingBefore(onW, "mark", "nodeAdmin");
        }

        @Test
        void fetchSocketsBothWays() throws Exception {
            SocketIoClient onW = clients.connect(w1.url(), Map.of("who", "wsk-client"));
            SocketIoClient onN = clients.connect(n.url(), Map.of("who", "node-client"));
            String idW = onW.awaitConnect().id();
            String idN = onN.awaitConnect().id();
            onW.emitWithAck("join", "wr").await();
            onN.emitWithAck("join", "nr").await();

            List<RemoteSocket> fromWsk = get(w2.io().fetchSockets());
            assertThat(fromWsk).extracting(RemoteSocket::id).containsExactlyInAnyOrder(idW, idN);
            RemoteSocket nodeSocket = fromWsk.stream().filter(s -> s.id().equals(idN)).findFirst().orElseThrow();
            assertThat(nodeSocket.rooms()).containsExactlyInAnyOrder(idN, "nr");
            assertThat(nodeSocket.data().path("who").asText()).isEqualTo("node-client");
            assertThat(nodeSocket.handshake().path("auth").path("data").path("who").asText()).isEqualTo("node-client");
            assertThat(get(w1.io().in("nr").fetchSockets())).extracting(RemoteSocket::id).containsExactly(idN);

            List<FetchedSocket> fromNode = n.fetchSockets();
            assertThat(fromNode).extracting(FetchedSocket::id).containsExactlyInAnyOrder(idW, idN);
            FetchedSocket wskSocket = fromNode.stream().filter(s -> s.id().equals(idW)).findFirst().orElseThrow();
            assertThat(wskSocket.remote()).isTrue();
            assertThat(wskSocket.rooms()).containsExactlyInAnyOrder(idW, "wr");
            assertThat(wskSocket.data().path("who").asText()).isEqualTo("wsk-client");
            assertThat(wskSocket.auth().path("data").path("who").asText()).isEqualTo("wsk-client");
            assertThat(n.in("wr").fetchSockets()).extracting(FetchedSocket::id).containsExactly(idW);
            assertThat(n.except("wr").fetchSockets()).extracting(FetchedSocket::id).containsExactly(idN);

            // the bench count, which is fetchSockets, on either side
            assertThat(onW.emitWithAck("count").await().get(0).asInt()).isEqualTo(2);
            assertThat(onN.emitWithAck("count").await().get(0).asInt()).isEqualTo(2);
        }

        @Test
        void serverSideEmitBothWaysWithAcks() throws Exception {
            BlockingQueue<ArrayNode> onW1 = w1.answerServerSideEmit("fromNode", "w1");
            BlockingQueue<ArrayNode> onW2 = w2.answerServerSideEmit("fromNode", "w2");
            w2.answerServerSideEmit("fromWsk", "w2");

            w1.io().serverSideEmit("fromWsk", 1, "x");
            ServerSideEvent plain = n.awaitServerSideEmit("fromWsk");
            assertThat(plain.args().get(0).asInt()).isEqualTo(1);
            assertThat(plain.args().get(1).asText()).isEqualTo("x");
            assertThat(plain.ack()).isFalse();

            List<JsonNode> replies = get(w1.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(8), "fromWsk", 2));
            assertThat(replies).extracting(JsonNode::asText).containsExactlyInAnyOrder("n", "w2");
            assertThat(n.awaitServerSideEmit("fromWsk").answered()).isTrue();

            n.serverSideEmit("fromNode", Map.of("k", "v"));
            for (BlockingQueue<ArrayNode> queue : List.of(onW1, onW2)) {
                ArrayNode args = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(args).isNotNull();
                assertThat(args.get(0).path("k").asText()).isEqualTo("v");
            }
            Acks answers = n.serverSideEmitWithAck("fromNode", 3).await();
            assertThat(answers.ok()).extracting(JsonNode::asText).containsExactlyInAnyOrder("w1", "w2");
            assertThat(onW1.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asInt()).isEqualTo(3);
        }

        @Test
        void socketsJoinLeaveAndDisconnectBothWays() throws Exception {
            SocketIoClient onW = clients.connect(w1.url());
            SocketIoClient onN = clients.connect(n.url());
            String idW = onW.awaitConnect().id();
            String idN = onN.awaitConnect().id();

            w2.io().socketsJoin("j");
            await().atMost(TIMEOUT).until(() -> n.in("j").fetchSockets().size() == 2);
            n.in(idW).socketsJoin("k");
            await().atMost(TIMEOUT).until(() -> get(w2.io().in("k").fetchSockets()).size() == 1);
            assertThat(get(w2.io().in("k").fetchSockets())).extracting(RemoteSocket::id).containsExactly(idW);

            n.socketsLeave("j");
            await().atMost(TIMEOUT).until(() -> get(w1.io().in("j").fetchSockets()).isEmpty());
            w1.io().in(idN).socketsJoin("m");
            await().atMost(TIMEOUT).until(() -> n.in("m").fetchSockets().size() == 1);
            w1.io().socketsLeave("m");
            await().atMost(TIMEOUT).until(() -> n.in("m").fetchSockets().isEmpty());

            n.in(idW).disconnectSockets(false);
            assertThat(onW.awaitDisconnect()).isEqualTo("io server disconnect");
            w2.io().in(idN).disconnectSockets(false);
            assertThat(onN.awaitDisconnect()).isEqualTo("io server disconnect");
            assertThat(n.awaitDisconnect(idN)).isEqualTo("server namespace disconnect");
            await().atMost(TIMEOUT).until(() -> n.fetchSockets().isEmpty());
        }

        @Test
        void broadcastAcksStartedOnEitherSide() throws Exception {
            List<SocketIoClient> all = new ArrayList<>();
            clients.connectAll(all, w1.url(), w2.url(), n.url());
            String[] names = {"cw1", "cw2", "cn"};
            for (int i = 0; i < 3; i++) {
                all.get(i).answer("q", names[i]);
                all.get(i).answer("binq", BYTES);
                all.get(i).answer("slow", names[i]);
            }
            all.get(2).neverAnswer("slow");
            all.forEach(client -> client.emitWithAck("echo").await());

            List<EventArgs> fromWsk = get(w1.io().timeout(Duration.ofSeconds(8)).emitWithAck("q", 1));
            assertThat(fromWsk).extracting(args -> args.string(0)).containsExactlyInAnyOrder(names);
            Acks fromNode = n.timeout(Duration.ofSeconds(8)).emitWithAck("q", 2).await();
            assertThat(fromNode.ok()).extracting(JsonNode::asText).containsExactlyInAnyOrder(names);

            // nobody to answer: every node reports no client at once, so neither side waits for its timeout
            long start = System.nanoTime();
            assertThat(get(w1.io().to("nobody").timeout(Duration.ofSeconds(8)).emitWithAck("q"))).isEmpty();
            assertThat(n.to("nobody").timeout(Duration.ofSeconds(8)).emitWithAck("q").await().ok()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));

            assertThat(get(w2.io().timeout(Duration.ofSeconds(8)).emitWithAck("binq")))
                    .hasSize(3).allSatisfy(args -> assertThat(args.bytes(0)).isEqualTo(BYTES));
            assertThat(n.timeout(Duration.ofSeconds(8)).emitWithAck("binq").await().ok())
                    .hasSize(3).allSatisfy(answer -> assertThat(SocketIoClient.binary(answer)).isEqualTo(BYTES));

            // a Node client that never answers: both sides time out with the wsk clients' answers
            CompletableFuture<List<EventArgs>> slow = w1.io().timeout(Duration.ofMillis(1500)).emitWithAck("slow");
            ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                    () -> slow.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(failure.getCause()).isInstanceOf(AckTimeoutException.class);
            assertThat(((AckTimeoutException) failure.getCause()).responses()).extracting(args -> args.string(0))
                    .containsExactlyInAnyOrder("cw1", "cw2");
            Acks slowFromNode = n.timeout(Duration.ofMillis(1500)).emitWithAck("slow").await();
            assertThat(slowFromNode.error()).isNotNull();
            assertThat(slowFromNode.responses()).extracting(JsonNode::asText).containsExactlyInAnyOrder("cw1", "cw2");
        }

        @Test
        void theNodeEmitterReachesClientsOfWskNodes() throws Exception {
            try (NodeEmitter emitter = NodeEmitter.start(redis)) {
                SocketIoClient onW1 = clients.connect(w1.url());
                SocketIoClient onW2 = clients.connect(w2.url());
                onW1.awaitConnect();
                String id2 = onW2.awaitConnect().id();
                SocketIoClient admin = onW1.open("/admin", null);
                admin.awaitConnect();
                onW1.emitWithAck("join", "r").await();
                BlockingQueue<ArrayNode> sseW1 = w1.answerServerSideEmit("fromEmitter", null);
                BlockingQueue<ArrayNode> sseW2 = w2.answerServerSideEmit("fromEmitter", null);

                emitter.emit("all", "hi", BYTES);
                for (SocketIoClient client : List.of(onW1, onW2)) {
                    Received all = client.awaitReceived("all");
                    assertThat(all.string(0)).isEqualTo("hi");
                    assertThat(all.bytes(1)).isEqualTo(BYTES);
                }
                emitter.to("r").emit("toR", 1);
                emitter.except("r").emit("exceptR", 2);
                emitter.of("/admin").emit("toAdmin", 3);
                assertThat(onW1.awaitReceived("toR").args().get(0).asInt()).isEqualTo(1);
                assertThat(onW2.awaitReceived("exceptR").args().get(0).asInt()).isEqualTo(2);
                assertThat(admin.awaitReceived("toAdmin").args().get(0).asInt()).isEqualTo(3);

                emitter.socketsJoin("viaEmitter");
                await().atMost(TIMEOUT).until(() -> get(w1.io().in("viaEmitter").fetchSockets()).size() == 2);
                emitter.to("viaEmitter").emit("inViaEmitter");
                onW1.awaitReceived("inViaEmitter");
                onW2.awaitReceived("inViaEmitter");
                emitter.in(id2).socketsLeave("viaEmitter");
                await().atMost(TIMEOUT).until(() -> get(w1.io().in("viaEmitter").fetchSockets()).size() == 1);

                emitter.serverSideEmit("fromEmitter", 4);
                assertThat(sseW1.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asInt()).isEqualTo(4);
                assertThat(sseW2.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asInt()).isEqualTo(4);
                assertThat(n.awaitServerSideEmit("fromEmitter").ack()).isFalse();

                emitter.emit("mark");
                assertNothingBefore(onW2, "mark", "toR");
                assertNothingBefore(onW1, "mark", "exceptR");
                assertThat(onW1.allReceived("toAdmin")).as("/ of the client with /admin").isEmpty();

                emitter.in(id2).disconnectSockets(false);
                assertThat(onW2.awaitDisconnect()).isEqualTo("io server disconnect");
                emitter.emit("afterDisconnect");
                onW1.awaitReceived("afterDisconnect");
                assertThat(onW1.allReceived("disconnect")).isEmpty();
            }
        }

        @Test
        void theJavaEmitterReachesClientsOfNodeServers() throws Exception {
            try (RedisBus bus = new RedisBus(redis.url(), 1000)) {
                Emitter emitter = Emitter.create(bus);
                SocketIoClient onN = clients.connect(n.url());
                SocketIoClient onW = clients.connect(w1.url());
                String idN = onN.awaitConnect().id();
                onW.awaitConnect();
                SocketIoClient admin = onN.open("/admin", null);
                admin.awaitConnect();
                onN.emitWithAck("join", "r").await();

                emitter.emit("all", "hi", BYTES, Map.of("n", 1.5));
                for (SocketIoClient client : List.of(onN, onW)) {
                    Received all = client.awaitReceived("all");
                    assertThat(all.string(0)).isEqualTo("hi");
                    assertThat(all.bytes(1)).isEqualTo(BYTES);
                    assertThat(all.args().get(2).path("n").asDouble()).isEqualTo(1.5);
                }
                emitter.to("r").emit("toR", 1);
                emitter.except("r").emit("exceptR", 2);
                emitter.of("admin").emit("toAdmin", 3);
                assertThat(onN.awaitReceived("toR").args().get(0).asInt()).isEqualTo(1);
                assertThat(onW.awaitReceived("exceptR").args().get(0).asInt()).isEqualTo(2);
                assertThat(admin.awaitReceived("toAdmin").args().get(0).asInt()).isEqualTo(3);

                emitter.socketsJoin("viaJava");
                await().atMost(TIMEOUT).until(() -> n.in("viaJava").fetchSockets().size() == 2);
                emitter.in(idN).socketsLeave("viaJava");
                await().atMost(TIMEOUT).until(() -> n.in("viaJava").fetchSockets().size() == 1);

                emitter.serverSideEmit("fromJavaEmitter", "x");
                ServerSideEvent event = n.awaitServerSideEmit("fromJavaEmitter");
                assertThat(event.args().get(0).asText()).isEqualTo("x");
                assertThat(event.ack()).isFalse();

                emitter.emit("mark");
                assertNothingBefore(onW, "mark", "toR");
                assertNothingBefore(onN, "mark", "exceptR");

                emitter.in(idN).disconnectSockets(false);
                assertThat(onN.awaitDisconnect()).isEqualTo("io server disconnect");
                assertThat(n.awaitDisconnect(idN)).isEqualTo("server namespace disconnect");
                emitter.emit("afterDisconnect");
                onW.awaitReceived("afterDisconnect");
            }
        }
    }

    /**
     * Both sides with {@code publishOnSpecificResponseChannel}: responses go to the requester's own
     * channel {@code socket.io-response#/#<uid>#}, which each side must subscribe to and answer on.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SpecificResponseChannels {

        private WskNode w;
        private NodeSocketIoServer n;
        private final Clients clients = new Clients();

        @BeforeAll
        void startCluster() throws InterruptedException {
            n = NodeSocketIoServer.builder(redis.url()).name("n").adapterOption("key", "specific")
                    .adapterOption("publishOnSpecificResponseChannel", true).start();
            w = WskNode.builder(redis.url()).name("w").key("specific").publishOnSpecificResponseChannel().start();
            n.awaitServerCount(2, WskNode.CLUSTER_UP);
            w.awaitServerCount(2);
        }

        @AfterAll
        void stopCluster() {
            closeQuietly(w, n);
        }

        @AfterEach
        void closeClients() {
            clients.close();
        }

        @Test
        void requestsAndBroadcastAcksAreAnsweredBothWays() throws Exception {
            List<SocketIoClient> all = new ArrayList<>();
            List<String> ids = clients.connectAll(all, w.url(), n.url());
            all.get(0).answer("q", "cw");
            all.get(1).answer("q", "cn");
            all.forEach(client -> client.emitWithAck("echo").await());
            w.answerServerSideEmit("ask", "w");

            String wskChannel = "specific-response#/#" + ((RedisAdapter) w.adapter()).uid() + "#";
            List<String> responseChannels = new ArrayList<>();
            try (RespConnection watcher = redis.connect()) {
                watcher.call("PSUBSCRIBE", "specific-response#/#*");
                assertThat(get(w.io().fetchSockets())).extracting(RemoteSocket::id).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(n.fetchSockets()).extracting(FetchedSocket::id).containsExactlyInAnyOrderElementsOf(ids);
                for (int i = 0; i < 2; i++) {
                    responseChannels.add((String) RespConnection.asText(((List<?>) watcher.read(TIMEOUT)).get(2)));
                }
            }
            assertThat(responseChannels).as("Node answers on wsk's channel, wsk on Node's").hasSize(2)
                    // Node's uids come from uid2's base64url alphabet: '-' and '_' included.
                    .allMatch(channel -> channel.matches("specific-response#/#[\\w-]+#"))
                    .filteredOn(wskChannel::equals).hasSize(1);
            assertThat(get(w.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(8), "ask")))
                    .extracting(JsonNode::asText).containsExactly("n");
            assertThat(n.serverSideEmitWithAck("ask").await().ok()).extracting(JsonNode::asText).containsExactly("w");
            assertThat(get(w.io().timeout(Duration.ofSeconds(8)).emitWithAck("q")))
                    .extracting(args -> args.string(0)).containsExactlyInAnyOrder("cw", "cn");
            assertThat(n.timeout(Duration.ofSeconds(8)).emitWithAck("q").await().ok())
                    .extracting(JsonNode::asText).containsExactlyInAnyOrder("cw", "cn");
        }
    }

    /**
     * The sharded adapters: wsk's {@link ShardedRedisAdapter} on two nodes beside Node's
     * {@code createShardedAdapter} in the same subscription mode (nodes of one cluster must agree
     * on it: a dynamic node sends a one-room broadcast on the room's channel, which static nodes
     * do not hear, in the reference too).
     */
    abstract class Sharded {

        private WskNode w1;
        private WskNode w2;
        private NodeSocketIoServer n;
        private final Clients clients = new Clients();

        abstract SubscriptionMode mode();

        @BeforeAll
        void startCluster() throws InterruptedException {
            n = NodeSocketIoServer.builder(redis.url()).name("n").sharded(mode().name().toLowerCase()).start();
            w1 = WskNode.builder(redis.url()).name("w1").sharded(mode()).start();
            w2 = WskNode.builder(redis.url()).name("w2").sharded(mode()).start();
            n.awaitServerCount(3, WskNode.CLUSTER_UP);
            w1.awaitServerCount(3);
            w2.awaitServerCount(3);
        }

        @AfterAll
        void stopCluster() {
            closeQuietly(w1, w2, n);
        }

        @AfterEach
        void closeClients() {
            clients.close();
        }

        @Test
        void eachSideCountsThree() {
            assertThat(w1.adapter()).isInstanceOf(ShardedRedisAdapter.class);
            assertThat(n.sharded()).isTrue();
            assertThat(n.serverCount()).isEqualTo(3);
            assertThat(w2.serverCount()).isEqualTo(3);
            assertThat(redis.shardNumsub("socket.io#/#")).isEqualTo(3);
        }

        @Test
        void broadcastsCrossBothWaysIncludingRoomChannels() throws Exception {
            SocketIoClient onW = clients.connect(w1.url());
            SocketIoClient onN = clients.connect(n.url());
            SocketIoClient onW2 = clients.connect(w2.url());
            String idW = onW.awaitConnect().id();
            String idN = onN.awaitConnect().id();
            onW2.awaitConnect();
            onW.emitWithAck("join", "room").await();
            onN.emitWithAck("join", "room").await();
            long roomSubscribers = mode() == SubscriptionMode.DYNAMIC ? 2 : 0;
            await().atMost(TIMEOUT).until(() -> redis.shardNumsub("socket.io#/#room#") == roomSubscribers);

            w1.io().emit("fromWsk", BYTES);
            n.emit("fromNode", BYTES);
            for (SocketIoClient client : List.of(onW, onN, onW2)) {
                assertThat(client.awaitReceived("fromWsk").bytes(0)).isEqualTo(BYTES);
                assertThat(client.awaitReceived("fromNode").bytes(0)).isEqualTo(BYTES);
            }

            try (RespConnection watcher = redis.connect()) {
                String roomChannel = mode() == SubscriptionMode.DYNAMIC ? "socket.io#/#room#" : "socket.io#/#";
                watcher.call("SSUBSCRIBE", roomChannel);
                w2.io().to("room").emit("wskToRoom", BYTES);
                List<?> published = (List<?>) watcher.read(TIMEOUT);
                assertThat(RespConnection.asText(published.get(1))).as("the channel of a one-room broadcast")
                        .isEqualTo(roomChannel);
            }
            assertThat(onN.awaitReceived("wskToRoom").bytes(0)).isEqualTo(BYTES);
            assertThat(onW.awaitReceived("wskToRoom").bytes(0)).isEqualTo(BYTES);
            n.to("room").emit("nodeToRoom", "r");
            assertThat(onW.awaitReceived("nodeToRoom").string(0)).isEqualTo("r");
            onN.awaitReceived("nodeToRoom");
            n.to("room").except(idW).emit("nodeToRoomExceptW");
            onN.awaitReceived("nodeToRoomExceptW");
            w1.io().except("room").emit("wskExceptRoom");
            onW2.awaitReceived("wskExceptRoom");
            // a socket id is 20 characters, so its room goes on the main channel whatever the mode
            n.to(idW).emit("nodeToW");
            assertThat(onW.awaitReceived("nodeToW").args()).isEmpty();
            w2.io().to(idN).emit("wskToN");
            assertThat(onN.awaitReceived("wskToN").args()).isEmpty();

            // through a bench handler on n, to a room with members on w1
            onN.emitWithAck("pub", Map.of("room", "room", "data", BYTES)).await();
            assertThat(SocketIoClient.binary(onW.awaitReceived("b").args().get(0).get("data"))).isEqualTo(BYTES);

            n.emit("mark");
            w1.io().emit("mark");
            w2.io().emit("mark");
            for (SocketIoClient client : List.of(onW, onN, onW2)) {
                for (int i = 0; i < 3; i++) {
                    client.awaitReceived("mark");
                }
            }
            assertThat(onW2.allReceived("wskToRoom")).isEmpty();
            assertThat(onW2.allReceived("nodeToRoom")).isEmpty();
            assertThat(onW.allReceived("nodeToRoomExceptW")).isEmpty();
            assertThat(onW.allReceived("wskExceptRoom")).isEmpty();
            assertThat(onN.allReceived("wskExceptRoom")).isEmpty();
            assertThat(onW2.allReceived("b")).isEmpty();
            assertThat(onW2.allReceived("nodeToW")).isEmpty();
            assertThat(onW.allReceived("wskToN")).isEmpty();
        }

        @Test
        void fetchSocketsBothWays() throws Exception {
            SocketIoClient onW = clients.connect(w1.url(), Map.of("who", "wsk-client"));
            SocketIoClient onN = clients.connect(n.url(), Map.of("who", "node-client"));
            String idW = onW.awaitConnect().id();
            String idN = onN.awaitConnect().id();
            onN.emitWithAck("join", "nr").await();
            onW.emitWithAck("join", "wr").await();

            List<RemoteSocket> fromWsk = get(w2.io().fetchSockets());
            assertThat(fromWsk).extracting(RemoteSocket::id).containsExactlyInAnyOrder(idW, idN);
            RemoteSocket nodeSocket = fromWsk.stream().filter(s -> s.id().equals(idN)).findFirst().orElseThrow();
            assertThat(nodeSocket.rooms()).containsExactlyInAnyOrder(idN, "nr");
            assertThat(nodeSocket.data().path("who").asText()).isEqualTo("node-client");
            assertThat(only(get(w1.io().in("nr").fetchSockets()).stream().map(RemoteSocket::id).toList())).isEqualTo(idN);

            List<FetchedSocket> fromNode = n.fetchSockets();
            FetchedSocket wskSocket = fromNode.stream().filter(s -> s.id().equals(idW)).findFirst().orElseThrow();
            assertThat(fromNode).hasSize(2);
            assertThat(wskSocket.rooms()).containsExactlyInAnyOrder(idW, "wr");
            assertThat(wskSocket.data().path("who").asText()).isEqualTo("wsk-client");
            assertThat(onN.emitWithAck("count").await().get(0).asInt()).isEqualTo(2);
            assertThat(onW.emitWithAck("count").await().get(0).asInt()).isEqualTo(2);
        }

        @Test
        void serverSideEmitBothWaysWithAcks() throws Exception {
            BlockingQueue<ArrayNode> onW1 = w1.answerServerSideEmit("fromNode", "w1");
            w2.answerServerSideEmit("fromNode", "w2");
            w2.answerServerSideEmit("fromWsk", "w2");

            w1.io().serverSideEmit("fromWsk", 1);
            assertThat(n.awaitServerSideEmit("fromWsk").args().get(0).asInt()).isEqualTo(1);
            List<JsonNode> replies = get(w1.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(8), "fromWsk", 2));
            assertThat(replies).extracting(JsonNode::asText).containsExactlyInAnyOrder("n", "w2");

            n.serverSideEmit("fromNode", "x");
            assertThat(onW1.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asText()).isEqualTo("x");
            Acks answers = n.serverSideEmitWithAck("fromNode", 3).await();
            assertThat(answers.ok()).extracting(JsonNode::asText).containsExactlyInAnyOrder("w1", "w2");
        }

        @Test
        void broadcastAcksStartedOnEitherSide() throws Exception {
            List<SocketIoClient> all = new ArrayList<>();
            clients.connectAll(all, w1.url(), w2.url(), n.url());
            String[] names = {"cw1", "cw2", "cn"};
            for (int i = 0; i < 3; i++) {
                all.get(i).answer("q", names[i], BYTES);
            }
            all.forEach(client -> client.emitWithAck("echo").await());

            List<EventArgs> fromWsk = get(w1.io().timeout(Duration.ofSeconds(8)).emitWithAck("q"));
            assertThat(fromWsk).extracting(args -> args.string(0)).containsExactlyInAnyOrder(names);
            Acks fromNode = n.timeout(Duration.ofSeconds(8)).emitWithAck("q").await();
            assertThat(fromNode.ok()).extracting(JsonNode::asText).containsExactlyInAnyOrder(names);

            all.get(0).emitWithAck("join", "ackRoom").await();
            all.get(2).emitWithAck("join", "ackRoom").await();
            List<EventArgs> roomAnswers = get(w2.io().to("ackRoom").timeout(Duration.ofSeconds(8)).emitWithAck("q"));
            assertThat(roomAnswers).extracting(args -> args.string(0)).containsExactlyInAnyOrder("cw1", "cn");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ShardedDynamic extends Sharded {
        @Override
        SubscriptionMode mode() {
            return SubscriptionMode.DYNAMIC;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ShardedStatic extends Sharded {
        @Override
        SubscriptionMode mode() {
            return SubscriptionMode.STATIC;
        }
    }
}
