package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.engine.TransportName;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.SocketIoClient.Connect;
import io.wsk.testkit.SocketIoClient.ConnectError;
import io.wsk.testkit.SocketIoClient.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The official {@code socket.io-client} (pinned in {@code interop/package-lock.json}) against a
 * wsk {@link TestServer}: transports and upgrade, namespaces, middlewares, acks both ways with
 * JSON and binary, broadcast acks, rooms, volatile emits, connection state recovery.
 */
class SocketIoClientInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the client connects: the socket.io-client {@code transports} option. */
    enum Mode {
        POLLING(List.of("polling")),
        WEBSOCKET(List.of("websocket")),
        UPGRADE(List.of("polling", "websocket"));

        final List<String> transports;

        Mode(List<String> transports) {
            this.transports = transports;
        }
    }

    private TestServer server;
    private final List<SocketIoClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        SocketIoClient.closeAll(clients);
        if (server != null) {
            server.close();
        }
    }

    private SocketIoServer start() throws InterruptedException {
        return start(o -> o);
    }

    private SocketIoServer start(UnaryOperator<SocketIoOptions.Builder> options) throws InterruptedException {
        server = TestServer.start(options);
        return server.io();
    }

    private SocketIoServer startWithRecovery() throws InterruptedException {
        return start(o -> o.recovery(RecoveryOptions.defaults()));
    }

    private SocketIoClient client(Mode mode, String namespace, Map<String, ?> options) {
        Map<String, Object> all = new HashMap<>(options);
        all.put("transports", mode.transports);
        SocketIoClient client = SocketIoClient.connect(server.url() + namespace, all);
        clients.add(client);
        return client;
    }

    private SocketIoClient client(Mode mode) {
        return client(mode, "/", Map.of());
    }

    /** A client on the main namespace, connected; with {@link Mode#UPGRADE}, upgraded too. */
    private SocketIoClient connected(Mode mode) {
        SocketIoClient client = client(mode);
        client.awaitConnect();
        if (mode == Mode.UPGRADE) {
            client.awaitEvent("upgrade");
        }
        return client;
    }

    /** The server side of socket {@code id}, once the namespace has it. */
    private static Socket serverSocket(Namespace nsp, String id) {
        return await().atMost(TIMEOUT).until(() -> nsp.sockets().get(id), Objects::nonNull);
    }

    /** The namespace's only socket, once it has one. */
    private static Socket onlySocket(Namespace nsp) {
        await().atMost(TIMEOUT).until(() -> nsp.sockets().size() == 1);
        return nsp.sockets().values().iterator().next();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Makes sure the client's script ran every command sent before (its commands run in order). */
    private static void sync(SocketIoClient client) {
        client.emitWithAck("sync").await();
    }

    private static void answerSync(SocketIoServer io) {
        io.on("sync", (socket, args, ack) -> ack.send());
    }

    private static byte[] everyByte() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The messages {@code event} the client gets until one whose first argument is "end". */
    private static List<String> takeUntilEnd(SocketIoClient client, String event) {
        List<String> texts = new ArrayList<>();
        while (true) {
            String text = client.awaitReceived(event).string(0);
            if (text.equals("end")) {
                return texts;
            }
            texts.add(text);
        }
    }

    // ---- transports ----

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectsOnEachTransport(Mode mode) throws Exception {
        SocketIoServer io = start();
        io.on("echo", (socket, args, ack) -> ack.send(args.toArray()));
        SocketIoClient client = client(mode);

        Connect connect = client.awaitConnect();

        Socket socket = serverSocket(io.sockets(), connect.id());
        assertThat(connect.recovered()).isFalse();
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.connected()).isTrue();
        switch (mode) {
            case POLLING -> assertThat(socket.transport()).isEqualTo(TransportName.POLLING);
            case WEBSOCKET -> {
                assertThat(connect.transport()).isEqualTo("websocket");
                assertThat(socket.transport()).isEqualTo(TransportName.WEBSOCKET);
            }
            case UPGRADE -> {
                assertThat(client.awaitEvent("upgrade").path("transport").asText()).isEqualTo("websocket");
                await().atMost(TIMEOUT).until(() -> socket.transport() == TransportName.WEBSOCKET);
            }
        }
        assertThat(client.emitWithAck("echo", "over " + mode).await())
                .isEqualTo(JSON.createArrayNode().add("over " + mode));
        if (mode == Mode.POLLING) {
            assertThat(socket.transport()).isEqualTo(TransportName.POLLING);
            assertThat(client.events()).noneMatch(e -> e.path("event").asText().equals("upgrade"));
        }
    }

    @Test
    void eventsSentDuringTheUpgradeArriveInOrder() throws Exception {
        SocketIoServer io = start();
        BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        io.on("n", (socket, args, ack) -> received.add(args.get(0, Integer.class)));
        io.onConnection(socket -> {
            for (int i = 0; i < 50; i++) {
                socket.emit("s", i);
            }
        });
        SocketIoClient client = client(Mode.UPGRADE);
        client.awaitConnect();

        for (int i = 0; i < 50; i++) {
            client.emit("n", i);
        }

        for (int i = 0; i < 50; i++) {
            assertThat(client.awaitReceived("s").args().get(0).asInt()).isEqualTo(i);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(i);
        }
        client.awaitEvent("upgrade");
    }

    // ---- handshake, middlewares, namespaces ----

    @Test
    void theAuthPayloadReachesTheServer() throws Exception {
        SocketIoServer io = start();
        SocketIoClient client = client(Mode.WEBSOCKET, "/", Map.of("auth", Map.of("token", "abc", "n", 7)));

        Socket socket = serverSocket(io.sockets(), client.awaitConnect().id());

        assertThat(socket.handshake().auth()).isEqualTo(JSON.createObjectNode().put("token", "abc").put("n", 7));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aMiddlewareRejectionReachesTheClient(Mode mode) throws Exception {
        SocketIoServer io = start();
        io.use((socket, next) -> {
            if ("let-me-in".equals(socket.handshake().auth().path("token").asText())) {
                next.proceed();
            } else {
                next.reject("not authorized", Map.of("code", 401, "hint", "send a token"));
            }
        });
        SocketIoClient refused = client(mode, "/", Map.of("auth", Map.of("token", "wrong")));
        SocketIoClient admitted = client(mode, "/", Map.of("auth", Map.of("token", "let-me-in")));

        ConnectError error = refused.awaitConnectError();
        Connect connect = admitted.awaitConnect();

        assertThat(error.message()).isEqualTo("not authorized");
        assertThat(error.data()).isEqualTo(JSON.createObjectNode().put("code", 401).put("hint", "send a token"));
        assertThat(io.sockets().sockets()).containsOnlyKeys(connect.id());
        assertThat(refused.events()).noneMatch(e -> e.path("event").asText().equals("connect"));
    }

    @Test
    void aMiddlewareMayRejectLaterFromAnotherThreadOrByThrowing() throws Exception {
        SocketIoServer io = start();
        io.of("/later").use((socket, next) -> CompletableFuture.runAsync(
                () -> next.reject("checked later", List.of("a", 1)),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));
        io.of("/thrown").use((socket, next) -> {
            throw new ConnectionRefusedException("thrown", Map.of("nested", Map.of("ok", false)));
        });

        ConnectError later = client(Mode.WEBSOCKET, "/later", Map.of()).awaitConnectError();
        ConnectError thrown = client(Mode.POLLING, "/thrown", Map.of()).awaitConnectError();
        ConnectError unknown = client(Mode.WEBSOCKET, "/nowhere", Map.of()).awaitConnectError();

        assertThat(later.message()).isEqualTo("checked later");
        assertThat(later.data()).isEqualTo(JSON.createArrayNode().add("a").add(1));
        assertThat(thrown.message()).isEqualTo("thrown");
        assertThat(thrown.data()).isEqualTo(JSON.readTree("{\"nested\":{\"ok\":false}}"));
        assertThat(unknown.message()).isEqualTo("Invalid namespace");
        assertThat(unknown.data()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void mainAndCustomNamespacesShareOneConnection(Mode mode) throws Exception {
        SocketIoServer io = start();
        Namespace admin = io.of("/admin");
        io.on("whoami", (socket, args, ack) -> ack.send(socket.namespace().name()));
        admin.on("whoami", (socket, args, ack) -> ack.send(socket.namespace().name(), socket.handshake().auth()));
        SocketIoClient main = connected(mode);
        SocketIoClient adminSocket = main.open("/admin", Map.of("role", "root"));

        Connect adminConnect = adminSocket.awaitConnect();

        assertThat(admin.sockets()).containsOnlyKeys(adminConnect.id());
        assertThat(io.sockets().sockets()).hasSize(1).doesNotContainKey(adminConnect.id());
        assertThat(main.emitWithAck("whoami").await()).isEqualTo(JSON.createArrayNode().add("/"));
        assertThat(adminSocket.emitWithAck("whoami").await()).isEqualTo(JSON.readTree("[\"/admin\",{\"role\":\"root\"}]"));
        // One Engine.IO connection carries both.
        assertThat(main.events()).filteredOn(e -> e.path("event").asText().equals("open")).hasSize(1);

        admin.emit("news", "for admins");
        io.emit("news", "for everyone on /");

        assertThat(adminSocket.awaitReceived("news").string(0)).isEqualTo("for admins");
        assertThat(main.awaitReceived("news").string(0)).isEqualTo("for everyone on /");
        assertThat(adminSocket.allReceived("news")).hasSize(1);
        assertThat(main.allReceived("news")).hasSize(1);
    }

    @Test
    void aClientMayJoinOnlyACustomNamespace() throws Exception {
        SocketIoServer io = start();
        Namespace chat = io.of("/chat");
        chat.on("say", (socket, args, ack) -> chat.emit("said", args.string(0)));
        SocketIoClient client = client(Mode.WEBSOCKET, "/chat", Map.of());

        Connect connect = client.awaitConnect();
        client.emit("say", "hello");

        assertThat(client.awaitReceived("said").string(0)).isEqualTo("hello");
        assertThat(chat.sockets()).containsOnlyKeys(connect.id());
        assertThat(io.sockets().sockets()).isEmpty();
    }

    // ---- acks ----

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientAcksCarryJsonAndBinaryByteForByte(Mode mode) throws Exception {
        SocketIoServer io = start();
        BlockingQueue<EventArgs> echoed = new LinkedBlockingQueue<>();
        io.on("echo", (socket, args, ack) -> {
            echoed.add(args);
            ack.send(args.toArray());
        });
        SocketIoClient client = connected(mode);
        byte[] large = randomBytes(200 * 1024, 7);
        List<Object> args = Arrays.asList("text é €", 42, 1.5, true, null,
                Map.of("nested", Map.of("bytes", new byte[] {1, 2, 3}), "list", List.of(1, "two")),
                everyByte(), new byte[0], large);

        ArrayNode reply = client.emitWithAck("echo", args.toArray()).await();

        JsonNode expected = JSON.valueToTree(args);
        assertThat(reply).isEqualTo(expected);
        assertThat(SocketIoClient.binary(reply.get(8))).isEqualTo(large);
        EventArgs onServer = echoed.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(onServer.asArray()).isEqualTo(expected);
        assertThat(onServer.bytes(6)).isEqualTo(everyByte());
        assertThat(onServer.bytes(7)).isEmpty();
        assertThat(onServer.node(5).get("nested").get("bytes").binaryValue()).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverAcksCarryJsonAndBinaryByteForByte(Mode mode) throws Exception {
        SocketIoServer io = start();
        answerSync(io);
        SocketIoClient client = connected(mode);
        client.answerWithEcho("question");
        sync(client);
        Socket socket = onlySocket(io.sockets());
        byte[] large = randomBytes(150 * 1024, 11);

        EventArgs answer = get(socket.timeout(TIMEOUT).emitWithAck("question", "q", everyByte(),
                Map.of("k", new byte[] {9, 8, 7}), large));

        assertThat(answer.string(0)).isEqualTo("q");
        assertThat(answer.bytes(1)).isEqualTo(everyByte());
        assertThat(answer.node(2).get("k").binaryValue()).containsExactly(9, 8, 7);
        assertThat(answer.bytes(3)).isEqualTo(large);
        Received received = client.awaitReceived("question");
        assertThat(received.answered()).isTrue();
        assertThat(received.bytes(3)).isEqualTo(large);
    }

    @Test
    void theClientMayAnswerLater() throws Exception {
        SocketIoServer io = start();
        SocketIoClient client = connected(Mode.WEBSOCKET);
        Socket socket = onlySocket(io.sockets());

        CompletableFuture<EventArgs> answer = socket.emitWithAck("later", 1);
        Received received = client.awaitReceived("later");
        assertThat(received.ackId()).isPositive();
        assertThat(answer).isNotDone();
        client.ack(received.ackId(), "done", new byte[] {0, -1});

        EventArgs args = get(answer);
        assertThat(args.string(0)).isEqualTo("done");
        assertThat(args.bytes(1)).containsExactly(0, -1);
    }

    @Test
    void aServerAckTimesOutWhenTheClientDoesNotAnswer() throws Exception {
        SocketIoServer io = start();
        answerSync(io);
        SocketIoClient client = connected(Mode.WEBSOCKET);
        client.neverAnswer("ignored");
        sync(client);
        Socket socket = onlySocket(io.sockets());

        CompletableFuture<EventArgs> answer = socket.timeout(Duration.ofMillis(300)).emitWithAck("ignored");

        assertThatThrownBy(() -> get(answer)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AckTimeoutException.class);
        assertThat(client.awaitReceived("ignored").ackId()).isZero();
    }

    @Test
    void aClientAckTimesOutWhenTheServerDoesNotAnswer() throws Exception {
        SocketIoServer io = start();
        io.on("silent", (socket, args, ack) -> { });
        SocketIoClient client = connected(Mode.WEBSOCKET);

        String error = client.emitWithAck(Duration.ofMillis(300), "silent").awaitError(TIMEOUT);

        assertThat(error).isEqualTo("operation has timed out");
    }

    @Test
    void broadcastAcksCollectEveryAnswer() throws Exception {
        SocketIoServer io = start();
        answerSync(io);
        List<SocketIoClient> all = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            SocketIoClient client = connected(mode);
            client.answer("poll", "answer from " + mode, new byte[] {(byte) mode.ordinal()});
            all.add(client);
        }
        all.forEach(SocketIoClientInteropIT::sync);

        List<EventArgs> answers = get(io.timeout(TIMEOUT).emitWithAck("poll", "ping"));

        assertThat(answers).extracting(a -> a.string(0))
                .containsExactlyInAnyOrder("answer from POLLING", "answer from WEBSOCKET", "answer from UPGRADE");
        assertThat(answers).extracting(a -> a.bytes(1)[0]).containsExactlyInAnyOrder((byte) 0, (byte) 1, (byte) 2);
        for (SocketIoClient client : all) {
            assertThat(client.awaitReceived("poll").string(0)).isEqualTo("ping");
        }
    }

    @Test
    void aBroadcastAckTimesOutWithThePartialAnswers() throws Exception {
        SocketIoServer io = start();
        answerSync(io);
        List<SocketIoClient> answering = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SocketIoClient client = connected(i == 1 ? Mode.POLLING : Mode.WEBSOCKET);
            client.answer("poll", "client " + i);
            answering.add(client);
        }
        SocketIoClient silent = connected(Mode.WEBSOCKET);
        silent.neverAnswer("poll");
        answering.forEach(SocketIoClientInteropIT::sync);
        sync(silent);

        long started = System.nanoTime();
        CompletableFuture<List<EventArgs>> answers = io.timeout(Duration.ofMillis(800)).emitWithAck("poll");

        assertThatThrownBy(() -> get(answers)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AckTimeoutException.class)
                .satisfies(e -> assertThat(((AckTimeoutException) e).responses())
                        .extracting(a -> a.string(0))
                        .containsExactlyInAnyOrder("client 0", "client 1", "client 2"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        Received unanswered = silent.awaitReceived("poll");
        assertThat(unanswered.ackId()).isZero();
        assertThat(unanswered.answered()).isFalse();
    }

    // ---- rooms ----

    @Test
    void roomsTargetTheirMembersOnly() throws Exception {
        SocketIoServer io = start();
        io.on("join", (socket, args, ack) -> {
            socket.join(args.get(0, String[].class));
            ack.send();
        });
        io.on("leave", (socket, args, ack) -> {
            socket.leave(args.string(0));
            ack.send();
        });
        io.on("relay", (socket, args, ack) -> {
            switch (args.string(0)) {
                case "to" -> socket.to(args.string(1)).emit("m", args.string(2));
                case "except" -> socket.except(args.string(1)).emit("m", args.string(2));
                default -> socket.broadcast().emit("m", args.string(2));
            }
            ack.send();
        });
        SocketIoClient a = connected(Mode.WEBSOCKET);
        SocketIoClient b = connected(Mode.POLLING);
        SocketIoClient c = client(Mode.UPGRADE);
        String cId = c.awaitConnect().id();
        a.emitWithAck("join", (Object) new String[] {"red"}).await();
        b.emitWithAck("join", (Object) new String[] {"red", "blue"}).await();
        c.emitWithAck("join", (Object) new String[] {"blue"}).await();

        io.to("red").emit("m", "to red");
        io.to("red", "blue").emit("m", "to red and blue");
        io.except("red").emit("m", "except red");
        io.to("blue").except("red").emit("m", "blue but not red");
        a.emitWithAck("relay", "to", "red", "a to red").await();
        b.emitWithAck("relay", "except", "blue", "b except blue").await();
        c.emitWithAck("relay", "broadcast", "", "c to all others").await();
        b.emitWithAck("leave", "red").await();
        io.to("red").emit("m", "to red after b left");
        io.to(cId).emit("m", "to c by its id");
        io.emit("m", "end");

        assertThat(takeUntilEnd(a, "m")).containsExactly("to red", "to red and blue", "b except blue",
                "c to all others", "to red after b left");
        assertThat(takeUntilEnd(b, "m")).containsExactly("to red", "to red and blue", "a to red",
                "c to all others");
        assertThat(takeUntilEnd(c, "m")).containsExactly("to red and blue", "except red", "blue but not red",
                "to c by its id");
    }

    // ---- volatile ----

    @Test
    void volatileEventsReachAnIdleClient() throws Exception {
        SocketIoServer io = start();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        io.on("v", (socket, args, ack) -> received.add(args.string(0)));
        SocketIoClient client = connected(Mode.WEBSOCKET);
        Socket socket = onlySocket(io.sockets());

        io.asVolatile().emit("v", "broadcast");
        assertThat(client.awaitReceived("v").string(0)).isEqualTo("broadcast");
        socket.asVolatile().emit("v", "to the socket");
        assertThat(client.awaitReceived("v").string(0)).isEqualTo("to the socket");
        client.emitVolatile("v", "from the client");
        assertThat(received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("from the client");
    }

    @Test
    void volatileEventsArriveAtMostOnceAndInOrder() throws Exception {
        SocketIoServer io = start();
        SocketIoClient client = connected(Mode.POLLING);
        Socket socket = onlySocket(io.sockets());

        // Over polling a volatile event only goes out while a poll is waiting: some may be dropped.
        int sent = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (client.allReceived("v").isEmpty() && System.nanoTime() < deadline) {
            for (int i = 0; i < 50; i++) {
                socket.asVolatile().emit("v", sent++);
            }
            Thread.sleep(20);
        }
        socket.emit("v", -1);

        List<Integer> values = new ArrayList<>();
        while (true) {
            int value = client.awaitReceived("v").args().get(0).asInt();
            if (value == -1) {
                break;
            }
            values.add(value);
        }
        assertThat(values).isNotEmpty().isSorted().doesNotHaveDuplicates().allMatch(v -> v >= 0);
        assertThat(values.size()).isLessThanOrEqualTo(sent);
    }

    // ---- connection state recovery ----

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDroppedClientRecoversItsSessionAndMissedEvents(Mode mode) throws Exception {
        SocketIoServer io = startWithRecovery();
        answerSync(io);
        BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        io.onDisconnect((socket, reason) -> disconnects.add(reason));
        io.on("join", (socket, args, ack) -> {
            socket.join(args.string(0));
            socket.setData(Map.of("name", "kept"));
            ack.send();
        });
        SocketIoClient client = client(mode, "/", Map.of("reconnectionDelay", 1000, "randomizationFactor", 0));
        Connect first = client.awaitConnect();
        client.emitWithAck("join", "team").await();
        for (int i = 0; i < 5; i++) {
            io.to(first.id()).emit("seq", i);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(client.awaitReceived("seq").args().get(0).asInt()).isEqualTo(i);
        }

        client.dropTransport();
        assertThat(disconnects.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isIn(DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.TRANSPORT_ERROR);
        // The client waits a second before reconnecting: these are missed.
        for (int i = 5; i < 10; i++) {
            io.to(first.id()).emit("seq", i);
        }
        io.to("team").emit("team", "while away");
        io.to("elsewhere").emit("team", "not for this client");
        io.asVolatile().emit("team", "volatile, not kept");
        assertThat(client.awaitDisconnect()).isEqualTo("forced close");

        Connect second = client.awaitConnect();
        assertThat(second.recovered()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        Socket socket = serverSocket(io.sockets(), second.id());
        assertThat(socket.recovered()).isTrue();
        assertThat(socket.rooms()).containsExactlyInAnyOrder(second.id(), "team");
        assertThat(socket.data()).isEqualTo(JSON.createObjectNode().put("name", "kept"));
        for (int i = 10; i < 15; i++) {
            io.to(first.id()).emit("seq", i);
        }
        socket.emit("seq", "end");

        List<Integer> seq = new ArrayList<>();
        while (true) {
            Received received = client.awaitReceived("seq");
            if (received.args().get(0).isTextual()) {
                break;
            }
            // Each event carries its offset as the last argument (as with the reference server).
            assertThat(received.args()).hasSize(2);
            seq.add(received.args().get(0).asInt());
        }
        assertThat(seq).containsExactlyElementsOf(IntStream.range(5, 15).boxed().toList());
        assertThat(client.allReceived("seq")).hasSize(16);
        assertThat(client.allReceived("team")).extracting(r -> r.string(0)).containsExactly("while away");
        sync(client);
        assertThat(disconnects).isEmpty();
    }

    @Test
    void eventsEmittedAcrossADropArriveExactlyOnceInOrder() throws Exception {
        SocketIoServer io = startWithRecovery();
        SocketIoClient client = client(Mode.WEBSOCKET, "/", Map.of("reconnectionDelay", 100,
                "randomizationFactor", 0));
        String id = client.awaitConnect().id();
        int count = 200;

        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; i++) {
                io.to(id).emit("tick", i);
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        assertThat(client.awaitReceived("tick").args().get(0).asInt()).isZero();
        client.dropTransport();
        assertThat(client.awaitConnect().recovered()).isTrue();
        get(stream);
        io.to(id).emit("tick", "end");

        List<Integer> ticks = new ArrayList<>(List.of(0));
        while (true) {
            JsonNode value = client.awaitReceived("tick").args().get(0);
            if (value.isTextual()) {
                break;
            }
            ticks.add(value.asInt());
        }
        assertThat(ticks).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void withoutRecoveryADroppedClientComesBackAsANewSocket() throws Exception {
        SocketIoServer io = start();
        BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        io.onDisconnect((socket, reason) -> disconnects.add(reason));
        SocketIoClient client = client(Mode.WEBSOCKET, "/", Map.of("reconnectionDelay", 100));
        Connect first = client.awaitConnect();

        client.dropTransport();

        assertThat(client.awaitDisconnect()).isEqualTo("forced close");
        assertThat(disconnects.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);
        Connect second = client.awaitConnect();
        assertThat(second.recovered()).isFalse();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(io.sockets().sockets()).containsOnlyKeys(second.id());
    }

    // ---- several clients, disconnections ----

    @Test
    void broadcastsReachEveryClientExactlyOnce() throws Exception {
        SocketIoServer io = start();
        List<SocketIoClient> all = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            all.add(client(mode));
            all.add(client(mode));
        }
        all.forEach(SocketIoClient::awaitConnect);
        await().atMost(TIMEOUT).until(() -> io.sockets().sockets().size() == all.size());
        io.socketsJoin("everyone", "also");
        int count = 100;

        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                io.emit("b", String.valueOf(i));
            } else {
                io.to("everyone", "also").emit("b", String.valueOf(i));
            }
        }
        io.emit("b", "end");

        List<String> expected = IntStream.range(0, count).mapToObj(String::valueOf).toList();
        for (SocketIoClient client : all) {
            assertThat(takeUntilEnd(client, "b")).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aServerDisconnectIsFinalForTheClient(Mode mode) throws Exception {
        SocketIoServer io = start();
        BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        io.onDisconnect((socket, reason) -> disconnects.add(reason));
        SocketIoClient client = connected(mode);
        Socket socket = onlySocket(io.sockets());

        socket.disconnect();

        assertThat(client.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(disconnects.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        client.reconnect();
        Connect again = client.awaitConnect();
        assertThat(again.id()).isNotEqualTo(socket.id());
        assertThat(client.events()).noneMatch(e -> e.path("event").asText().equals("reconnect_attempt"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientDisconnectReachesTheServer(Mode mode) throws Exception {
        SocketIoServer io = start();
        BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        io.onDisconnect((socket, reason) -> disconnects.add(reason));
        SocketIoClient client = connected(mode);

        client.disconnect();

        assertThat(client.awaitDisconnect()).isEqualTo("io client disconnect");
        assertThat(disconnects.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        await().atMost(TIMEOUT).until(() -> io.sockets().sockets().isEmpty());
    }

    @Test
    void disconnectWithCloseEndsEveryNamespaceOfTheConnection() throws Exception {
        SocketIoServer io = start();
        io.of("/admin");
        SocketIoClient main = connected(Mode.WEBSOCKET);
        SocketIoClient admin = main.open("/admin", null);
        admin.awaitConnect();
        Socket socket = onlySocket(io.sockets());

        socket.disconnect(true);

        assertThat(main.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(admin.awaitDisconnect()).isEqualTo("io server disconnect");
        await().atMost(TIMEOUT).until(() -> io.of("/admin").sockets().isEmpty() && io.sockets().sockets().isEmpty());
    }
}
