package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client against real servers, each test against wsk and the official Node socket.io:
 * every transport and the upgrade, acks both ways with JSON and binary, namespaces on one
 * connection, a middleware's refusal, rooms, volatile emits, auth at each connect.
 */
class ClientInteropIT {

    private static final Peers PEERS = new Peers(Map.of());
    private final List<Manager> managers = new ArrayList<>();

    @AfterEach
    void closeClients() {
        managers.forEach(Manager::close);
    }

    @AfterAll
    static void closePeers() {
        PEERS.closeAll();
    }

    enum Mode {
        POLLING(ClientOptions.POLLING), WEBSOCKET(ClientOptions.WEBSOCKET), UPGRADE(ClientOptions.POLLING, ClientOptions.WEBSOCKET);

        final String[] transports;

        Mode(String... transports) {
            this.transports = transports;
        }
    }

    static Stream<Arguments> peersAndModes() {
        return Peers.kinds().flatMap(kind -> Stream.of(Mode.values()).map(mode -> Arguments.of(kind, mode)));
    }

    static Stream<PeerProcess.Kind> peers() {
        return Peers.kinds();
    }

    private Manager manager(PeerProcess peer, ClientOptions options) {
        Manager manager = new Manager(URI.create(peer.url()), options);
        managers.add(manager);
        return manager;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("peersAndModes")
    void connectsAndAcksJsonAndBinaryOverEachTransport(PeerProcess.Kind kind, Mode mode) throws Exception {
        PeerProcess peer = PEERS.get(kind);
        Manager manager = manager(peer, ClientOptions.builder().transports(mode.transports).build());
        ClientSocket socket = manager.socket("/");
        Recorder recorder = Recorder.on(socket);
        socket.connect();
        String id = recorder.awaitConnect();
        assertThat(id).hasSize(20).isEqualTo(socket.id());
        JsonNode connection = peer.await(e -> e.path("event").asText().equals("connection")
                && e.path("id").asText().equals(id), Recorder.TIMEOUT);
        assertThat(connection.path("transport").asText()).isEqualTo(mode.transports[0]);
        if (mode == Mode.UPGRADE) {
            peer.awaitEvent("upgrade");
            await().atMost(Recorder.TIMEOUT).until(() -> "websocket".equals(manager.transport()));
            await().atMost(Recorder.TIMEOUT).until(() -> recorder.upgrades.contains("websocket"));
        } else {
            assertThat(manager.transport()).isEqualTo(mode.transports[0]);
        }

        Args json = socket.emitWithAck("echo", "hé €", 42, Map.of("a", List.of(1, 2)), null)
                .get(10, TimeUnit.SECONDS);
        assertThat(json.asArray().toString()).isEqualTo("[\"hé €\",42,{\"a\":[1,2]},null]");

        byte[] bytes = {0, 1, 2, (byte) 0xff};
        Args binary = socket.emitWithAck("echo", "bin", bytes, Map.of("nested", new byte[] {9})).get(10, TimeUnit.SECONDS);
        assertThat(binary.string(0)).isEqualTo("bin");
        assertThat(binary.bytes(1)).containsExactly(bytes);
        assertThat(binary.node(2).get("nested").binaryValue()).containsExactly(9);
        assertThat(recorder.listenerThreads).allMatch(t -> t.startsWith("wsk-client-events-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void answersTheServersAcksWithJsonAndBinary(PeerProcess.Kind kind) throws Exception {
        Manager manager = manager(PEERS.get(kind), ClientOptions.defaults());
        ClientSocket socket = manager.socket("/");
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        socket.on("question", (args, ack) -> {
            asked.add(args.toString());
            assertThat(ack.isRequested()).isTrue();
            ack.send(args.node(0).asInt() * 2, new byte[] {7, 8});
        });
        Recorder recorder = Recorder.on(socket);
        socket.connect();
        recorder.awaitConnect();
        Args answer = socket.emitWithAck("ask", 21).get(10, TimeUnit.SECONDS);
        // The server acks with its emitWithAck's result: the client's first ack argument.
        assertThat(answer.node(0).toString()).isEqualTo("[42]");
        assertThat(asked).containsExactly("[21]");

        Args binaryQuestion = socket.emitWithAck("ask", (Object) new byte[] {5}).get(10, TimeUnit.SECONDS);
        assertThat(binaryQuestion.node(0).isArray()).isTrue();
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).doesNotContain("_placeholder");
    }

    /** A broadcast with acks (the server's {@code nsp.timeout(...).emitWithAck}): every client's answer comes back. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void answersABroadcastThatWaitsForEveryClientsAck(PeerProcess.Kind kind) throws Exception {
        List<ClientSocket> sockets = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            ClientSocket socket = manager(PEERS.get(kind), ClientOptions.defaults()).socket("/");
            socket.on("question", (args, ack) -> ack.send(name + ":" + args.node(0).asText()));
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            recorder.awaitConnect();
            sockets.add(socket);
        }
        Args answers = sockets.get(0).emitWithAck("askAll", "who").get(10, TimeUnit.SECONDS);
        List<String> texts = new ArrayList<>();
        answers.node(0).forEach(answer -> texts.add(answer.asText()));
        // Other tests' sockets may still be connected to the shared peer: ours must both be there.
        assertThat(texts).contains("first:who", "second:who");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void multiplexesNamespacesAndReportsTheMiddlewaresRefusal(PeerProcess.Kind kind) throws Exception {
        PeerProcess peer = PEERS.get(kind);
        Manager refused = manager(peer, ClientOptions.defaults());
        ClientSocket main = refused.socket("/");
        ClientSocket admin = refused.socket("/admin");
        Recorder mainEvents = Recorder.on(main);
        Recorder adminEvents = new Recorder();
        admin.onConnectError(adminEvents.connectErrors::add).onConnect(() -> adminEvents.connects.add("connected"));
        main.connect();
        admin.connect();
        mainEvents.awaitConnect();
        ConnectError error = adminEvents.awaitConnectError();
        assertThat(error.getMessage()).isEqualTo("not authorized");
        assertThat(error.fromServer()).isTrue();
        assertThat(error.data().toString()).isEqualTo("{\"hint\":\"send a token\"}");
        // The refusal does not touch the other namespace on the same connection.
        assertThat(main.emitWithAck("echo", 1).get(10, TimeUnit.SECONDS).node(0).asInt()).isEqualTo(1);
        assertThat(adminEvents.connects).isEmpty();

        Manager allowed = manager(peer, ClientOptions.builder().auth(Map.of("token", "secret")).build());
        ClientSocket admin2 = allowed.socket("/admin");
        ClientSocket main2 = allowed.socket("/");
        Recorder admin2Events = Recorder.on(admin2);
        Recorder main2Events = Recorder.on(main2);
        admin2.connect();
        main2.connect();
        admin2Events.awaitConnect();
        main2Events.awaitConnect();
        assertThat(admin2.emitWithAck("auth").get(10, TimeUnit.SECONDS).node(0).toString())
                .isEqualTo("{\"token\":\"secret\"}");
        // Events go to their namespace only.
        admin2Events.record(admin2, "b");
        main2Events.record(main2, "b");
        admin2.emitWithAck("pub", Map.of("n", "admin")).get(10, TimeUnit.SECONDS);
        main2.emitWithAck("pub", Map.of("n", "main")).get(10, TimeUnit.SECONDS);
        assertThat(admin2Events.next("b").node(0).get("n").asText()).isEqualTo("admin");
        assertThat(main2Events.next("b").node(0).get("n").asText()).isEqualTo("main");

        // Leaving the last namespace closes the connection (the JS client's rule).
        admin2.disconnect();
        assertThat(admin2Events.awaitDisconnect()).isEqualTo("io client disconnect");
        main2.disconnect();
        await().atMost(Recorder.TIMEOUT).until(() -> allowed.transport() == null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void broadcastsToRoomsAndTheServerDisconnects(PeerProcess.Kind kind) throws Exception {
        PeerProcess peer = PEERS.get(kind);
        ClientSocket a = manager(peer, ClientOptions.defaults()).socket("/");
        ClientSocket b = manager(peer, ClientOptions.builder().transports("websocket").build()).socket("/");
        Recorder ra = Recorder.on(a).record(a, "b");
        Recorder rb = Recorder.on(b).record(b, "b");
        a.connect();
        b.connect();
        ra.awaitConnect();
        rb.awaitConnect();
        a.emitWithAck("join", "room-" + kind).get(10, TimeUnit.SECONDS);
        b.emitWithAck("pub", Map.of("room", "room-" + kind, "x", 1)).get(10, TimeUnit.SECONDS);
        assertThat(ra.next("b").node(0).get("x").asInt()).isEqualTo(1);
        b.emitWithAck("pub", Map.of("x", 2)).get(10, TimeUnit.SECONDS);
        // b is not in the room: the first "b" it gets is the one to everyone.
        assertThat(rb.next("b").node(0).get("x").asInt()).isEqualTo(2);
        assertThat(ra.next("b").node(0).get("x").asInt()).isEqualTo(2);

        // The server's socket.disconnect(): "io server disconnect", and no reconnection.
        b.emit("leave");
        assertThat(rb.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThatThrownBy(() -> b.emitWithAck("echo", 1).get(300, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(b.connected()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void dropsVolatileEmitsWhileDisconnectedAndBuffersTheOthers(PeerProcess.Kind kind) throws Exception {
        AtomicInteger authCalls = new AtomicInteger();
        ClientSocket socket = manager(PEERS.get(kind), ClientOptions.builder()
                .authSupplier(() -> Map.of("call", authCalls.incrementAndGet())).build()).socket("/");
        Recorder recorder = Recorder.on(socket).record(socket, "echo");
        // Not connected yet: the volatile one is dropped, the others wait and go out in order.
        socket.asVolatile().emit("echo", "volatile-1");
        socket.emit("echo", "buffered-1");
        socket.emit("echo", "buffered-2");
        socket.connect();
        recorder.awaitConnect();
        assertThat(recorder.next("echo").string(0)).isEqualTo("buffered-1");
        assertThat(recorder.next("echo").string(0)).isEqualTo("buffered-2");
        // Connected and idle: a volatile emit goes out.
        await().atMost(Recorder.TIMEOUT).until(() -> socket.io().transportWritableForTests());
        socket.asVolatile().emit("echo", "volatile-2");
        assertThat(recorder.next("echo").string(0)).isEqualTo("volatile-2");
        assertThat(recorder.queue("echo")).isEmpty();

        // auth is asked for again at each connect: the server drops the connection, the client reconnects.
        assertThat(socket.emitWithAck("auth").get(10, TimeUnit.SECONDS).node(0).get("call").asInt()).isEqualTo(1);
        socket.emit("drop");
        assertThat(recorder.awaitDisconnect()).isEqualTo("transport close");
        recorder.awaitConnect();
        assertThat(socket.emitWithAck("auth").get(10, TimeUnit.SECONDS).node(0).get("call").asInt()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("peersAndModes")
    void sendsTheQueryAndExtraHeaders(PeerProcess.Kind kind, Mode mode) throws Exception {
        ClientSocket socket = manager(PEERS.get(kind), ClientOptions.builder().transports(mode.transports)
                .query("q", "a b&c").extraHeader("X-Wsk-Test", "yes").build()).socket("/");
        Recorder recorder = Recorder.on(socket);
        socket.connect();
        recorder.awaitConnect();
        JsonNode seen = socket.emitWithAck("handshake").get(10, TimeUnit.SECONDS).node(0);
        assertThat(seen.path("query").asText()).isEqualTo("a b&c");
        assertThat(seen.path("header").asText()).isEqualTo("yes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void onAnyAndOnAnyOutgoingSeeEveryEventOnTheGivenExecutor(PeerProcess.Kind kind) throws Exception {
        java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "my-listeners"));
        try {
            ClientSocket socket = manager(PEERS.get(kind), ClientOptions.builder().listenerExecutor(mine).build()).socket("/");
            List<String> incoming = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> outgoing = new java.util.concurrent.CopyOnWriteArrayList<>();
            socket.onAny((event, args) -> incoming.add(Thread.currentThread().getName() + " " + event + args));
            socket.onAnyOutgoing((event, args) -> outgoing.add(event + args));
            Recorder recorder = Recorder.on(socket);
            socket.emit("echo", "buffered"); // seen as outgoing when it is sent, after the connect
            socket.connect();
            recorder.awaitConnect();
            socket.emitWithAck("pub", Map.of("k", 1)).get(10, TimeUnit.SECONDS);
            await().atMost(Recorder.TIMEOUT).until(() -> incoming.size() == 2);
            assertThat(incoming).containsExactly("my-listeners echo[\"buffered\"]", "my-listeners b[{\"k\":1}]");
            assertThat(outgoing).containsExactly("echo[\"buffered\"]", "pub[{\"k\":1}]");
            assertThat(recorder.listenerThreads).containsOnly("my-listeners");
        } finally {
            mine.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void failsAckTimeouts(PeerProcess.Kind kind) throws Exception {
        ClientSocket socket = manager(PEERS.get(kind), ClientOptions.defaults()).socket("/");
        Recorder recorder = Recorder.on(socket);
        socket.connect();
        recorder.awaitConnect();
        // "question" has no listener here, so the server's ask never gets its answer, and the
        // client's ack for "ask" comes after the server's 5 s: the 300 ms timeout fires first.
        long start = System.nanoTime();
        assertThatThrownBy(() -> socket.timeout(Duration.ofMillis(300)).emitWithAck("ask", 1).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AckTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(4));
    }
}
