package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.engine.PollingClient;
import io.wsk.engine.TransportName;
import io.wsk.engine.WsTestClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java API of the server seen from real clients speaking the protocol: events in and out
 * (typed, JSON and binary), per-socket and namespace handlers, {@code onAny} and
 * {@code onAnyOutgoing}, the handshake, volatile emits, polling clients and the connect timeout.
 */
class SocketIoServerTest extends SioTestSupport {

    record Point(int x, int y) {
    }

    private final BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();

    /** A client connected to {@code /} and the server's socket for it. */
    private Socket connect(SioClient client) {
        server.io().onConnection(connections::add);
        String sid = client.connect();
        Socket socket = take(connections);
        assertThat(socket.id()).isEqualTo(sid);
        return socket;
    }

    // ---- events ----

    @Test
    void handlersReceiveTypedJsonAndBinaryArguments() {
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        server.io().on("shape", (socket, args, ack) -> {
            Point point = args.get(0, Point.class);
            calls.add("namespace " + point + " " + args.string(1) + " " + args.get(2, List.class)
                    + " " + args.bytes(3).length + " " + args.node(4).isNull() + " " + args.size());
        });
        server.io().onConnection(socket -> socket.on("shape", (s, args, ack) -> calls.add("socket " + args.size())));
        SioClient client = connected();

        client.send("451-[\"shape\",{\"x\":1,\"y\":2},\"red\",[1,\"two\"],{\"_placeholder\":true,\"num\":0},null]");
        client.sendBinary(new byte[] {7, 7, 7});

        // the socket's own handlers run first, then the namespace's
        assertThat(take(calls)).isEqualTo("socket 5");
        assertThat(take(calls)).isEqualTo("namespace Point[x=1, y=2] red [1, two] 3 true 5");
    }

    @Test
    void emitSendsJsonAndBinaryArguments() {
        SioClient client = open();
        Socket socket = connect(client);

        socket.emit("data", new Point(3, 4), List.of("a", 1), Map.of("k", true), null, 2.5, "text");
        assertThat(client.next()).isEqualTo("42[\"data\",{\"x\":3,\"y\":4},[\"a\",1],{\"k\":true},null,2.5,\"text\"]");

        socket.emit("files", new byte[] {1, 2, 3}, Map.of("inner", new byte[] {4}));
        assertThat(client.next())
                .isEqualTo("452-[\"files\",{\"_placeholder\":true,\"num\":0},{\"inner\":{\"_placeholder\":true,\"num\":1}}]");
        assertThat(client.nextBinary()).containsExactly(1, 2, 3);
        assertThat(client.nextBinary()).containsExactly(4);
    }

    @Test
    void aBinaryBroadcastReachesEveryClientWithItsAttachments() {
        SioClient a = connected();
        SioClient b = connected();

        server.io().emit("blob", new byte[] {9, 8});

        for (SioClient client : List.of(a, b)) {
            assertThat(client.next()).isEqualTo("451-[\"blob\",{\"_placeholder\":true,\"num\":0}]");
            assertThat(client.nextBinary()).containsExactly(9, 8);
        }
    }

    @Test
    void eachNamespaceOfAConnectionHasItsOwnHandlers() {
        server.io().on("who", (socket, args, ack) -> ack.send("main"));
        server.io().of("/chat").on("who", (socket, args, ack) -> ack.send("chat"));
        SioClient client = connected();
        client.connect("/chat", null);

        client.send("42/chat,1[\"who\"]");
        assertThat(client.next()).isEqualTo("43/chat,1[\"chat\"]");
        client.send("422[\"who\"]");
        assertThat(client.next()).isEqualTo("432[\"main\"]");
        assertThat(server.io().namespaces()).containsOnlyKeys("/", "/chat");
    }

    @Test
    void aFailingHandlerDoesNotHarmTheConnection() {
        server.io().on("boom", (socket, args, ack) -> {
            throw new IllegalStateException("handler bug");
        });
        server.io().on("boom", (socket, args, ack) -> ack.send("second handler still ran"));
        SioClient client = connected();

        client.send("421[\"boom\"]");

        assertThat(client.next()).isEqualTo("431[\"second handler still ran\"]");
    }

    @Test
    void anEventWithoutHandlerIsIgnored() throws InterruptedException {
        SioClient client = connected();

        client.send("42[\"nobody-listens\",1]");

        client.assertSilentFor(Duration.ofMillis(100));
        assertThat(server.io().sockets().sockets()).hasSize(1);
    }

    // ---- onAny, onAnyOutgoing ----

    @Test
    void onAnySeesEveryIncomingEventBeforeTheHandlers() {
        List<String> seen = new CopyOnWriteArrayList<>();
        server.io().onConnection(socket -> socket.onAny((s, event, args) -> seen.add("any " + event + " " + args)));
        server.io().on("known", (socket, args, ack) -> {
            seen.add("handler");
            ack.send();
        });
        SioClient client = connected();

        client.send("42[\"unknown\",1,{\"a\":\"b\"}]");
        client.send("425[\"known\"]");

        assertThat(client.next()).isEqualTo("435[]");
        assertThat(seen).containsExactly("any unknown [1,{\"a\":\"b\"}]", "any known []", "handler");
    }

    @Test
    void prependAnyRunsFirstAndOffAnyRemovesEvenWhileTheListenersRun() {
        List<String> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Socket> connectedSocket = new java.util.concurrent.atomic.AtomicReference<>();
        AnyEventListener once = new AnyEventListener() {
            @Override
            public void onEvent(Socket s, String event, EventArgs args) {
                seen.add("once " + event);
                s.offAny(this); // removing itself mid-run: the others still run this time
            }
        };
        AnyEventListener always = (s, event, args) -> seen.add("always " + event);
        server.io().onConnection(socket -> {
            socket.onAny(always).onAny(once).prependAny((s, event, args) -> seen.add("first " + event));
            connectedSocket.set(socket);
        });
        server.io().on("ping", (socket, args, ack) -> ack.send());
        SioClient client = connected();

        client.send("421[\"ping\"]");
        assertThat(client.next()).isEqualTo("431[]");
        client.send("422[\"ping\"]");
        assertThat(client.next()).isEqualTo("432[]");
        assertThat(seen).containsExactly("first ping", "always ping", "once ping", "first ping", "always ping");
        assertThat(connectedSocket.get().listenersAny()).hasSize(2).contains(always);

        connectedSocket.get().eventLoop().submit(() -> connectedSocket.get().offAny()).syncUninterruptibly();
        client.send("423[\"ping\"]");
        assertThat(client.next()).isEqualTo("433[]");
        assertThat(seen).hasSize(5);
        assertThat(connectedSocket.get().listenersAny()).isEmpty();
    }

    @Test
    void offAnyOutgoingStopsTheOutgoingListeners() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AnyEventListener outgoing = (s, event, args) -> seen.add(event);
        SioClient client = open();
        Socket socket = connect(client);
        socket.eventLoop().submit(() -> socket.onAnyOutgoing(outgoing)).syncUninterruptibly();

        socket.emit("seen", 1);
        assertThat(client.next()).isEqualTo("42[\"seen\",1]");
        socket.eventLoop().submit(() -> socket.offAnyOutgoing(outgoing)).syncUninterruptibly();
        socket.emit("unseen", 2);
        assertThat(client.next()).isEqualTo("42[\"unseen\",2]");
        socket.eventLoop().submit(() -> { }).syncUninterruptibly(); // the listeners' task, if any, has run

        assertThat(seen).containsExactly("seen");
        assertThat(socket.listenersAnyOutgoing()).isEmpty();
    }

    @Test
    void onAnyOutgoingSeesEveryEventSentToTheSocket() {
        List<String> seen = new CopyOnWriteArrayList<>();
        server.io().onConnection(socket ->
                socket.onAnyOutgoing((s, event, args) -> seen.add(event + " " + args)));
        SioClient client = open();
        Socket socket = connect(client);
        socket.join("room");

        socket.emit("direct", 1);
        server.io().emit("everyone", 2);
        server.io().to("room").emit("room", 3);
        server.io().to("other room").emit("not for it", 4);
        socket.emitWithAck("question", 5);

        assertThat(client.next()).isEqualTo("42[\"direct\",1]");
        assertThat(client.next()).isEqualTo("42[\"everyone\",2]");
        assertThat(client.next()).isEqualTo("42[\"room\",3]");
        assertThat(client.next()).matches("42\\d+\\[\"question\",5]");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(seen).containsExactly("direct [1]", "everyone [2]", "room [3]", "question [5]"));
    }

    @Test
    void onAnyOutgoingSeesEachEventOnceWithItsOffsetWhenRecoveryIsOn() throws Exception {
        restart(TestServer.start(o -> o.recovery(RecoveryOptions.defaults())));
        List<String> seen = new CopyOnWriteArrayList<>();
        server.io().onConnection(socket -> socket.onAnyOutgoing((s, event, args) ->
                seen.add(event + " " + args.size() + " " + args.node(args.size() - 1).isTextual())));
        server.io().onConnection(connections::add);
        SioClient client = open();
        client.send("40");
        assertThat(SioClient.connectReply(client.next(), "").has("pid")).isTrue();
        Socket socket = take(connections);

        socket.emit("own", 1);
        server.io().emit("everyone", 2);

        assertThat(client.next()).startsWith("42[\"own\",1,\"");
        assertThat(client.next()).startsWith("42[\"everyone\",2,\"");
        // the argument, then the offset the client will present to recover
        await().atMost(WAIT).untilAsserted(() -> assertThat(seen).containsExactly("own 2 true", "everyone 2 true"));
    }

    /**
     * Clients decode with their loop's shared decoder between packets, and keep one of their own
     * from a binary packet's header to its last attachment: binary packets of clients on the same
     * loops (four clients, two loops), their attachments sent in the reverse order, must each get
     * their own attachment.
     */
    @Test
    void interleavedBinaryPacketsOfManyClientsStayApart() {
        server.io().on("bin", (socket, args, ack) -> socket.emit("got", args.string(0) + ":" + args.bytes(1)[0]));
        List<SioClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SioClient client = closeLater(SioClient.open(URI.create(server.webSocketUrl())));
            client.connect();
            clients.add(client);
        }

        for (int i = 0; i < 4; i++) {
            clients.get(i).send("451-[\"bin\",\"c" + i + "\",{\"_placeholder\":true,\"num\":0}]");
        }
        for (int i = 3; i >= 0; i--) {
            clients.get(i).sendBinary(new byte[] {(byte) (10 + i)});
        }

        for (int i = 0; i < 4; i++) {
            assertThat(clients.get(i).nextTextSkippingPings()).as("client %d", i)
                    .isEqualTo("42[\"got\",\"c" + i + ":" + (10 + i) + "\"]");
        }
    }

    // ---- the handshake ----

    @Test
    void theSocketKnowsItsHandshake() {
        SioClient client = closeLater(SioClient.open(URI.create(server.webSocketUrl() + "&token=abc&lang=fr")));
        server.io().onConnection(connections::add);
        client.connect("/", "{\"user\":\"zoe\"}");
        Socket socket = take(connections);

        SocketHandshake handshake = socket.handshake();
        assertThat(handshake.auth()).isEqualTo(SioClient.json("{\"user\":\"zoe\"}"));
        assertThat(handshake.queryParam("token")).isEqualTo("abc");
        assertThat(handshake.query()).containsEntry("lang", List.of("fr"));
        assertThat(handshake.url()).startsWith("/socket.io/?EIO=4&transport=websocket");
        assertThat(handshake.header("host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(handshake.address()).isEqualTo("127.0.0.1");
        assertThat(handshake.secure()).isFalse();
        assertThat(handshake.xdomain()).isFalse();
        assertThat(handshake.issued()).isBetween(System.currentTimeMillis() - 10_000, System.currentTimeMillis());
        assertThat(socket.transport()).isEqualTo(TransportName.WEBSOCKET);
        assertThat(socket.connected()).isTrue();
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.namespace()).isSameAs(server.io().sockets());
    }

    @Test
    void anAbsentAuthIsOneEmptyObjectThatKeepsWhatIsPutInIt() {
        Socket socket = connect(open());

        JsonNode auth = socket.handshake().auth();
        assertThat(auth.isObject() && auth.isEmpty()).isTrue();
        ((ObjectNode) auth).put("seen", true);
        assertThat(socket.handshake().auth()).isSameAs(auth);
        assertThat(socket.handshake().toJson(SioClient.JSON).path("auth").path("seen").asBoolean()).isTrue();
    }

    // ---- polling clients and volatile emits ----

    /** A polling session joined to {@code /}; returns its engine sid. */
    private String pollingConnect(PollingClient http) {
        String sid = http.handshake();
        assertThat(http.post(sid, "40").body()).isEqualTo("ok");
        HttpResponse<String> reply = http.poll(sid);
        SioClient.sidOf(reply.body(), "");
        return sid;
    }

    @Test
    void aPollingClientExchangesEventsIncludingBinary() {
        server.io().on("message", (socket, args, ack) -> socket.emit("message-back", args.toArray()));
        PollingClient http = polling();
        String sid = pollingConnect(http);

        assertThat(http.post(sid, "42[\"message\",\"over polling\"]").body()).isEqualTo("ok");
        assertThat(http.poll(sid).body()).isEqualTo("42[\"message-back\",\"over polling\"]");

        server.io().emit("blob", new byte[] {1, 2, 3, 4});
        assertThat(http.poll(sid).body()).isEqualTo("451-[\"blob\",{\"_placeholder\":true,\"num\":0}]\u001ebAQIDBA==");

        // and binary from the client: header then base64 attachment, in one payload
        assertThat(http.post(sid, "451-[\"message\",{\"_placeholder\":true,\"num\":0}]\u001ebBQY=").body())
                .isEqualTo("ok");
        assertThat(http.poll(sid).body()).isEqualTo("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]\u001ebBQY=");
    }

    @Test
    void aVolatileEmitIsDroppedForAPollingClientWithNoRequestWaiting() {
        server.io().onConnection(connections::add);
        PollingClient http = polling();
        String sid = pollingConnect(http);
        Socket socket = take(connections);
        assertThat(socket.transport()).isEqualTo(TransportName.POLLING);

        // no GET is waiting: the volatile events are dropped, the normal ones are kept. Emitted on
        // the socket's loop and waited for, so that they are handled before the next GET arrives.
        result(socket.eventLoop().submit(() -> {
            socket.asVolatile().emit("volatile", 1);
            socket.emit("kept", 2);
            server.io().asVolatile().emit("volatile broadcast", 3);
            server.io().emit("kept broadcast", 4);
        }));

        assertThat(http.poll(sid).body()).isEqualTo("42[\"kept\",2]\u001e42[\"kept broadcast\",4]");
    }

    @Test
    void aVolatileEmitReachesAWebSocketClientThatCanTakeIt() {
        SioClient client = open();
        Socket socket = connect(client);

        // one at a time: like the reference, a volatile packet is also dropped while the previous
        // write to the client is still under way
        socket.asVolatile().emit("volatile", 1);
        assertThat(client.next()).isEqualTo("42[\"volatile\",1]");
        server.io().asVolatile().emit("volatile broadcast", 2);
        assertThat(client.next()).isEqualTo("42[\"volatile broadcast\",2]");
    }

    // ---- connect timeout ----

    @Test
    void aConnectionThatJoinsNoNamespaceInTimeIsClosed() throws Exception {
        restart(TestServer.start(o -> o.connectTimeoutMillis(300)));
        SioClient idle = open();
        SioClient prompt = connected();

        long start = System.nanoTime();
        assertThat(idle.awaitClose(WAIT)).isEmpty();

        assertThat(millisSince(start)).isBetween(150L, 1_500L);
        Thread.sleep(200);
        server.io().emit("still", "connected");
        assertThat(prompt.next()).isEqualTo("42[\"still\",\"connected\"]");
    }

    @Test
    void namespaceNamesAreNormalisedWithALeadingSlash() {
        assertThat(server.io().of("chat")).isSameAs(server.io().of("/chat"));
        assertThat(server.io().of("chat").name()).isEqualTo("/chat");
    }

    @Test
    void closingTheServerClosesItsClients() {
        SioClient client = connected();
        WsTestClient ws = client.ws();

        server.io().close();

        assertThat(ws.awaitClose(WAIT)).isEmpty();
        CompletableFuture<?> refused = WsTestClient.connectAsync(URI.create(server.webSocketUrl()));
        assertThat(refused).failsWithin(WAIT);
    }
}
