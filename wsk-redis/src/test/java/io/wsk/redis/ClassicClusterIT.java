package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.server.AckTimeoutException;
import io.wsk.server.EventArgs;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.RespConnection;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.SocketIoClient.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.wsk.redis.Clients.assertNothingBefore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three wsk nodes with the classic Redis adapter on one {@code redis-server}, each with official
 * {@code socket.io-client}s: everything the server API does across a cluster (broadcasts, rooms,
 * namespaces, broadcast acks, fetchSockets, serverSideEmit, socketsJoin / socketsLeave,
 * disconnectSockets) reaches the sockets of every node, and {@code local()} only this node's.
 */
class ClassicClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Every byte value, so that no encoding step can lose or alter one unnoticed. */
    private static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    private static RedisServer redis;
    private static WskNode a;
    private static WskNode b;
    private static WskNode c;

    private final Clients clients = new Clients();

    @BeforeAll
    static void startCluster() throws InterruptedException {
        redis = RedisServer.start();
        a = WskNode.builder(redis.url()).name("a").namespaces("/admin").start();
        b = WskNode.builder(redis.url()).name("b").namespaces("/admin").start();
        c = WskNode.builder(redis.url()).name("c").namespaces("/admin").start();
        for (WskNode node : List.of(a, b, c)) {
            node.awaitServerCount(3);
        }
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[]{a, b, c, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    /** Socket ids of the clients of {@link #clientOnEachNode}, in the same order. */
    private List<String> ids;

    /** A connected client on each of a, b and c, in that order; their ids in {@link #ids}. */
    private List<SocketIoClient> clientOnEachNode() {
        List<SocketIoClient> list = new ArrayList<>();
        ids = clients.connectAll(list, a.url(), b.url(), c.url());
        return list;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Markers from every node to every client: what a node sent before its marker has arrived by then. */
    private static void markEverywhere(String marker, SocketIoClient... targets) {
        for (WskNode node : List.of(a, b, c)) {
            node.io().emit(marker, node.name());
        }
        for (SocketIoClient client : targets) {
            for (int i = 0; i < 3; i++) {
                client.awaitReceived(marker);
            }
        }
    }

    @Test
    void everyNodeCountsThreeServersOnEveryNamespace() {
        for (WskNode node : List.of(a, b, c)) {
            assertThat(node.serverCount()).as(node.name()).isEqualTo(3);
            assertThat(node.adapter("/admin").serverCount().join()).as(node.name() + " /admin").isEqualTo(3);
            assertThat(node.adapter().isConnected()).isTrue();
            assertThat(node.adapter()).isInstanceOf(RedisAdapter.class);
        }
        assertThat(redis.numsub("socket.io-request#/#")).isEqualTo(3);
        assertThat(redis.numsub("socket.io-request#/admin#")).isEqualTo(3);
    }

    @Test
    void broadcastsReachClientsOnEveryNode() {
        List<SocketIoClient> all = clientOnEachNode();

        a.io().emit("hello", 1, "two", Map.of("k", List.of(true)));
        for (SocketIoClient client : all) {
            Received hello = client.awaitReceived("hello");
            assertThat(hello.args().get(0).asInt()).isEqualTo(1);
            assertThat(hello.string(1)).isEqualTo("two");
            assertThat(hello.args().get(2).path("k").get(0).asBoolean()).isTrue();
        }

        // a client's event on c, broadcast by c's bench handler
        all.get(2).emitWithAck("pub", Map.of("n", 42)).await();
        for (SocketIoClient client : all) {
            assertThat(client.awaitReceived("b").args().get(0).path("n").asInt()).isEqualTo(42);
        }

        // many in a row keep their order on every node
        for (int i = 0; i < 20; i++) {
            b.io().emit("seq", i);
        }
        for (SocketIoClient client : all) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.awaitReceived("seq").args().get(0).asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void roomsAndExceptionsSpanTheNodes() {
        List<SocketIoClient> all = clientOnEachNode();
        SocketIoClient onA = all.get(0);
        SocketIoClient onB = all.get(1);
        SocketIoClient onC = all.get(2);
        String idC = ids.get(2);
        onA.emitWithAck("join", "r2").await();
        onB.emitWithAck("join", "r1").await();
        onC.emitWithAck("join", "r1").await();
        onC.emitWithAck("join", "r2").await();

        a.io().to("r1").emit("toR1");
        b.io().to("r1", "r2").emit("toBoth");
        c.io().except("r2").emit("notR2");
        a.io().to("r1").except("r2").emit("r1NotR2");
        b.io().to(idC).emit("direct", "c");
        a.io().to("nobody").emit("toNobody");

        onB.awaitReceived("toR1");
        onC.awaitReceived("toR1");
        all.forEach(client -> client.awaitReceived("toBoth"));
        onB.awaitReceived("notR2");
        onB.awaitReceived("r1NotR2");
        assertThat(onC.awaitReceived("direct").string(0)).isEqualTo("c");

        markEverywhere("mark", onA, onB, onC);
        assertThat(onA.allReceived("toR1")).isEmpty();
        assertThat(onC.allReceived("toBoth")).as("in both rooms, received once").hasSize(1);
        assertThat(onA.allReceived("notR2")).isEmpty();
        assertThat(onC.allReceived("notR2")).isEmpty();
        assertThat(onC.allReceived("r1NotR2")).isEmpty();
        assertThat(onA.allReceived("direct")).isEmpty();
        assertThat(onB.allReceived("direct")).isEmpty();
        all.forEach(client -> assertThat(client.allReceived("toNobody")).isEmpty());

        // a room broadcast reaches a node only while it has members of the room
        onA.emitWithAck("join", "r1").await();
        b.io().to("r1").emit("toR1Again");
        all.forEach(client -> client.awaitReceived("toR1Again"));
    }

    @Test
    void namespacesAreSeparateAcrossTheCluster() {
        SocketIoClient main = clients.connect(b.url());
        main.awaitConnect();
        SocketIoClient admin = main.open("/admin", null);
        admin.awaitConnect();
        SocketIoClient adminOnly = clients.connect(c.url("/admin"));
        adminOnly.awaitConnect();

        a.io().of("/admin").emit("adm", 1);
        a.io().emit("mainOnly", 2);
        a.io().of("/admin").emit("mark");
        a.io().emit("mark");

        assertThat(admin.awaitReceived("adm").args().get(0).asInt()).isEqualTo(1);
        assertThat(adminOnly.awaitReceived("adm").args().get(0).asInt()).isEqualTo(1);
        assertThat(main.awaitReceived("mainOnly").args().get(0).asInt()).isEqualTo(2);
        assertNothingBefore(main, "mark", "adm");
        assertNothingBefore(admin, "mark", "mainOnly");
        assertNothingBefore(adminOnly, "mark", "mainOnly");

        // the bench handlers work on /admin too: pub from c's /admin reaches b's /admin only
        adminOnly.emitWithAck("pub", Map.of("in", "admin")).await();
        assertThat(admin.awaitReceived("b").args().get(0).path("in").asText()).isEqualTo("admin");
        a.io().emit("mark2");
        assertNothingBefore(main, "mark2", "b");
    }

    @Test
    void broadcastAcksCollectTheAnswersOfClientsOnEveryNode() throws Exception {
        List<SocketIoClient> all = clientOnEachNode();
        for (int i = 0; i < all.size(); i++) {
            all.get(i).answer("question", "from-" + "abc".charAt(i));
        }
        all.get(0).answer("slow", "slow-a");
        all.get(1).answer("slow", "slow-b");
        all.get(2).neverAnswer("slow");
        // a round trip each, so the answer rules are in place before any question arrives
        all.forEach(client -> client.emitWithAck("echo").await());

        List<EventArgs> answers = get(a.io().timeout(Duration.ofSeconds(8)).emitWithAck("question", 7));
        assertThat(answers).extracting(args -> args.string(0)).containsExactlyInAnyOrder("from-a", "from-b", "from-c");
        all.forEach(client -> assertThat(client.awaitReceived("question").args().get(0).asInt()).isEqualTo(7));

        // to one room: only its members answer
        all.get(1).emitWithAck("join", "ackRoom").await();
        List<EventArgs> roomAnswers = get(c.io().to("ackRoom").timeout(Duration.ofSeconds(8)).emitWithAck("question"));
        assertThat(roomAnswers).extracting(args -> args.string(0)).containsExactly("from-b");

        // a client that never answers: the timeout, with the answers that did come
        long start = System.nanoTime();
        CompletableFuture<List<EventArgs>> slow = b.io().timeout(Duration.ofMillis(1500)).emitWithAck("slow");
        ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                () -> slow.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(failure.getCause()).isInstanceOf(AckTimeoutException.class);
        assertThat(((AckTimeoutException) failure.getCause()).responses()).extracting(args -> args.string(0))
                .containsExactlyInAnyOrder("slow-a", "slow-b");
        all.get(2).awaitReceived("slow");
    }

    @Test
    void fetchSocketsSeesTheSocketsOfEveryNode() throws Exception {
        SocketIoClient onA = clients.connect(a.url(), Map.of("user", "ann"));
        SocketIoClient onB = clients.connect(b.url(), Map.of("user", "bob"));
        SocketIoClient onC = clients.connect(c.url(), Map.of("user", "cy", "n", 3));
        String idA = onA.awaitConnect().id();
        String idB = onB.awaitConnect().id();
        String idC = onC.awaitConnect().id();
        onB.emitWithAck("join", "fr").await();

        List<RemoteSocket> sockets = get(a.io().fetchSockets());
        assertThat(sockets).extracting(RemoteSocket::id).containsExactlyInAnyOrder(idA, idB, idC);
        RemoteSocket bob = sockets.stream().filter(s -> s.id().equals(idB)).findFirst().orElseThrow();
        assertThat(bob.rooms()).containsExactlyInAnyOrder(idB, "fr");
        assertThat(bob.data().path("user").asText()).isEqualTo("bob");
        assertThat(bob.handshake().path("auth").path("data").path("user").asText()).isEqualTo("bob");
        assertThat(bob.handshake().path("address").asText()).contains("127.0.0.1");
        assertThat(bob.handshake().has("headers")).isTrue();
        RemoteSocket cy = sockets.stream().filter(s -> s.id().equals(idC)).findFirst().orElseThrow();
        assertThat(cy.data().path("n").asInt()).isEqualTo(3);
        assertThat(cy.rooms()).containsExactly(idC);

        assertThat(get(c.io().in("fr").fetchSockets())).extracting(RemoteSocket::id).containsExactly(idB);
        assertThat(get(c.io().except("fr").fetchSockets())).extracting(RemoteSocket::id).containsExactlyInAnyOrder(idA, idC);
        assertThat(get(b.io().local().fetchSockets())).extracting(RemoteSocket::id).containsExactly(idB);
        assertThat(get(a.io().in(idC).fetchSockets())).extracting(RemoteSocket::id).containsExactly(idC);
        assertThat(onC.emitWithAck("count").await().get(0).asInt()).as("the bench count").isEqualTo(3);

        // what a fetched socket does reaches it on its own node
        cy.emit("viaRemote", 5);
        assertThat(onC.awaitReceived("viaRemote").args().get(0).asInt()).isEqualTo(5);
        cy.join("rj");
        await().atMost(TIMEOUT).until(() -> get(b.io().in("rj").fetchSockets()).size() == 1);
        cy.leave("rj");
        await().atMost(TIMEOUT).until(() -> get(b.io().in("rj").fetchSockets()).isEmpty());
        a.io().emit("mark");
        assertNothingBefore(onA, "mark", "viaRemote");
    }

    @Test
    void serverSideEmitReachesTheOtherNodesWithAndWithoutAcks() throws Exception {
        BlockingQueue<ArrayNode> onA = a.answerServerSideEmit("sse", "a");
        BlockingQueue<ArrayNode> onB = b.answerServerSideEmit("sse", "b");
        BlockingQueue<ArrayNode> onC = c.answerServerSideEmit("sse", "c");

        a.io().serverSideEmit("sse", 1, "x", Map.of("k", "v"));
        for (BlockingQueue<ArrayNode> queue : List.of(onB, onC)) {
            ArrayNode args = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(args).isNotNull();
            assertThat(args.get(0).asInt()).isEqualTo(1);
            assertThat(args.get(1).asText()).isEqualTo("x");
            assertThat(args.get(2).path("k").asText()).isEqualTo("v");
        }

        long start = System.nanoTime();
        List<JsonNode> replies = get(a.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(8), "sse", 2));
        assertThat(replies).extracting(JsonNode::asText).containsExactlyInAnyOrder("b", "c");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("done when both answered, not at the timeout")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(onB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asInt()).isEqualTo(2);
        assertThat(onC.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asInt()).isEqualTo(2);
        assertThat(onA).as("a node does not hear its own server-side events").isEmpty();

        // a node that never answers: the request ends at its timeout with the answers that came
        b.answerServerSideEmit("sseSilentC", "b");
        c.answerServerSideEmit("sseSilentC", null);
        start = System.nanoTime();
        List<JsonNode> partial = get(a.io().sockets().serverSideEmitWithAck(Duration.ofMillis(1500), "sseSilentC"));
        assertThat(partial).extracting(JsonNode::asText).containsExactly("b");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));

        // per namespace: /admin handlers answer, / handlers of the same event do not hear it
        BlockingQueue<ArrayNode> wrongNamespace = b.answerServerSideEmit("sseAdmin", "b-main");
        b.answerServerSideEmit("/admin", "sseAdmin", "b-admin");
        c.answerServerSideEmit("/admin", "sseAdmin", "c-admin");
        List<JsonNode> admin = get(a.io().of("/admin").serverSideEmitWithAck(Duration.ofSeconds(8), "sseAdmin"));
        assertThat(admin).extracting(JsonNode::asText).containsExactlyInAnyOrder("b-admin", "c-admin");
        assertThat(wrongNamespace).isEmpty();
    }

    @Test
    void socketsJoinLeaveAndDisconnectReachEveryNode() throws Exception {
        List<SocketIoClient> all = clientOnEachNode();
        String idC = ids.get(2);

        a.io().socketsJoin("j");
        await().atMost(TIMEOUT).until(() -> get(b.io().in("j").fetchSockets()).size() == 3);
        c.io().to("j").emit("inJ");
        all.forEach(client -> client.awaitReceived("inJ"));

        b.io().in(idC).socketsJoin("k");
        await().atMost(TIMEOUT).until(() -> get(a.io().in("k").fetchSockets()).size() == 1);
        assertThat(get(a.io().in("k").fetchSockets())).extracting(RemoteSocket::id).containsExactly(idC);

        c.io().in("j").socketsLeave("j");
        await().atMost(TIMEOUT).until(() -> get(a.io().in("j").fetchSockets()).isEmpty());
        a.io().to("j").emit("inJAfterLeave");
        markEverywhere("mark", all.toArray(SocketIoClient[]::new));
        all.forEach(client -> assertThat(client.allReceived("inJAfterLeave")).isEmpty());

        // disconnect without close: c's socket leaves /, its connection (and its /admin socket) stays
        SocketIoClient adminOfC = all.get(2).open("/admin", null);
        adminOfC.awaitConnect();
        a.io().in(idC).disconnectSockets(false);
        assertThat(all.get(2).awaitDisconnect()).isEqualTo("io server disconnect");
        await().atMost(TIMEOUT).until(() -> get(b.io().fetchSockets()).size() == 2);
        a.io().of("/admin").emit("adminStillThere");
        adminOfC.awaitReceived("adminStillThere");

        // with close: the whole connection goes, every namespace of it
        SocketIoClient closing = clients.connect(b.url());
        String closingId = closing.awaitConnect().id();
        SocketIoClient closingAdmin = closing.open("/admin", null);
        closingAdmin.awaitConnect();
        c.io().in(closingId).disconnectSockets(true);
        assertThat(closing.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(closingAdmin.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(all.get(0).allReceived("disconnect")).isEmpty();

        // everyone, from any node
        b.io().disconnectSockets(false);
        assertThat(all.get(0).awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(all.get(1).awaitDisconnect()).isEqualTo("io server disconnect");
        await().atMost(TIMEOUT).until(() -> get(c.io().fetchSockets()).isEmpty());
    }

    @Test
    void localBroadcastsAndOperationsStayOnTheirNode() throws Exception {
        List<SocketIoClient> all = clientOnEachNode();
        try (RespConnection watcher = redis.connect()) {
            watcher.call("PSUBSCRIBE", "socket.io#/#*");
            a.io().local().emit("localOnly", 1);
            a.io().local().to(ids.get(1)).emit("localToB");
            a.io().local().socketsJoin("localRoom");
            a.io().emit("mark");

            assertThat(all.get(0).awaitReceived("localOnly").args().get(0).asInt()).isEqualTo(1);
            assertNothingBefore(all.get(1), "mark", "localOnly");
            assertNothingBefore(all.get(2), "mark", "localOnly");
            assertThat(all.get(1).allReceived("localToB")).isEmpty();

            // nothing was published before the marker
            List<?> first = (List<?>) watcher.read(TIMEOUT);
            JsonNode published = Notepack.decode((byte[]) first.get(3));
            assertThat(published.get(1).get("data").get(0).asText()).isEqualTo("mark");
        }
        assertThat(get(b.io().in("localRoom").fetchSockets())).extracting(RemoteSocket::id).containsExactly(ids.get(0));
        assertThat(get(a.io().local().fetchSockets())).extracting(RemoteSocket::id).containsExactly(ids.get(0));
    }

    @Test
    void binaryArgumentsCrossNodesByteForByte() throws Exception {
        List<SocketIoClient> all = clientOnEachNode();
        byte[] large = new byte[200_000];
        new Random(42).nextBytes(large);

        a.io().emit("bin", ALL_BYTES, Map.of("nested", ALL_BYTES, "list", List.of("t", large)));
        for (SocketIoClient client : all) {
            Received bin = client.awaitReceived("bin");
            assertThat(bin.bytes(0)).isEqualTo(ALL_BYTES);
            assertThat(SocketIoClient.binary(bin.args().get(1).get("nested"))).isEqualTo(ALL_BYTES);
            assertThat(bin.args().get(1).get("list").get(0).asText()).isEqualTo("t");
            assertThat(SocketIoClient.binary(bin.args().get(1).get("list").get(1))).isEqualTo(large);
        }

        // from a client on c, through c's bench handler, to clients on a and b
        all.get(2).emitWithAck("pub", Map.of("data", ALL_BYTES)).await();
        for (SocketIoClient client : all) {
            assertThat(SocketIoClient.binary(client.awaitReceived("b").args().get(0).get("data"))).isEqualTo(ALL_BYTES);
        }

        // in a broadcast ack, back across the bus (msgpack both ways)
        all.get(1).answer("binq", ALL_BYTES);
        all.get(1).emitWithAck("echo").await();
        List<EventArgs> answers = get(a.io().to(ids.get(1)).timeout(Duration.ofSeconds(8)).emitWithAck("binq", large));
        assertThat(answers).singleElement().satisfies(args -> assertThat(args.bytes(0)).isEqualTo(ALL_BYTES));
        assertThat(all.get(1).awaitReceived("binq").bytes(0)).isEqualTo(large);
    }

    /** What a Node emitter publishes for {@code emit("when", new Date(0))} reaches clients as the date's ISO string. */
    @Test
    void aDateFromANodePeerArrivesAsItsIsoString() throws Exception {
        List<SocketIoClient> all = clientOnEachNode();
        // notepack.encode(["emitter", {type: 2, data: ["when", new Date(0)], nsp: "/"}, {rooms: [], flags: {}, except: []}])
        byte[] message = java.util.HexFormat.of().parseHex("93a7656d697474657283a47479706502a46461746192a4776865"
                + "6ed6ff00000000a36e7370a12f83a5726f6f6d7390a5666c61677380a665786365707490");
        assertThat(redis.publish("socket.io#/#", message)).isEqualTo(3);
        for (SocketIoClient client : all) {
            assertThat(client.awaitReceived("when").string(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        }
    }
}
