package io.wsk.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import io.wsk.engine.TransportName;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official Java client ({@code io.socket:socket.io-client} 2.1.x, from Maven Central) against a
 * wsk {@link TestServer}: connecting over each transport, emits, acks both ways, binary arguments
 * both ways, a custom namespace, middleware refusals and disconnections.
 */
class JavaClientInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the client connects: its {@code transports} option. */
    enum Mode {
        POLLING(Polling.NAME),
        WEBSOCKET(WebSocket.NAME),
        UPGRADE(Polling.NAME, WebSocket.NAME);

        final String[] transports;

        Mode(String... transports) {
            this.transports = transports;
        }
    }

    /**
     * One socket of the Java client, its callbacks (on the client's event thread) turned into
     * queues the test waits on.
     */
    private static final class JavaSocket {
        final io.socket.client.Socket socket;
        final BlockingQueue<String> connects = new LinkedBlockingQueue<>();
        final BlockingQueue<Object> connectErrors = new LinkedBlockingQueue<>();
        final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        private final Map<String, BlockingQueue<Object[]>> events = new ConcurrentHashMap<>();

        JavaSocket(io.socket.client.Socket socket) {
            this.socket = socket;
            socket.on(io.socket.client.Socket.EVENT_CONNECT, args -> connects.add(socket.id()));
            socket.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> connectErrors.add(args[0]));
            socket.on(io.socket.client.Socket.EVENT_DISCONNECT, args -> disconnects.add(String.valueOf(args[0])));
        }

        /** Records event {@code name} (with a trailing {@link Ack} when the server asked for one). */
        JavaSocket record(String name) {
            socket.on(name, args -> queue(name).add(args));
            return this;
        }

        /** Answers the server's acks of {@code name} with {@code answer}. */
        JavaSocket answer(String name, Object... answer) {
            socket.on(name, args -> {
                queue(name).add(args);
                ((Ack) args[args.length - 1]).call(answer);
            });
            return this;
        }

        private BlockingQueue<Object[]> queue(String name) {
            return events.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
        }

        Object[] next(String name) throws InterruptedException {
            return poll(queue(name), "event " + name);
        }

        String awaitConnect() throws InterruptedException {
            return poll(connects, "connect");
        }

        String awaitDisconnect() throws InterruptedException {
            return poll(disconnects, "disconnect");
        }

        Object awaitConnectError() throws InterruptedException {
            return poll(connectErrors, "connect_error");
        }

        /** Emits with an ack callback; the server's answer. */
        Object[] emitWithAck(String event, Object... args) throws InterruptedException {
            BlockingQueue<Object[]> answers = new LinkedBlockingQueue<>();
            socket.emit(event, args, answers::add);
            return poll(answers, "ack of " + event);
        }

        private static <T> T poll(BlockingQueue<T> queue, String what) throws InterruptedException {
            T value = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (value == null) {
                throw new AssertionError("no " + what + " within " + TIMEOUT.toMillis() + " ms");
            }
            return value;
        }
    }

    private TestServer server;
    private SocketIoServer wsk;
    private final List<JavaSocket> sockets = new ArrayList<>();

    @BeforeEach
    void startServer() throws InterruptedException {
        server = TestServer.start();
        wsk = server.io();
    }

    @AfterEach
    void stop() {
        sockets.forEach(s -> s.socket.close());
        server.close();
    }

    /** A Java client socket on {@code namespace}, not connected yet (register listeners, then connect). */
    private JavaSocket socket(Mode mode, String namespace, Map<String, String> auth) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setTransports(mode.transports)
                .setReconnection(false)
                .setAuth(auth)
                .build();
        JavaSocket socket = new JavaSocket(IO.socket(URI.create(server.url() + namespace), options));
        sockets.add(socket);
        return socket;
    }

    private JavaSocket socket(Mode mode) {
        return socket(mode, "/", null);
    }

    /** Connects, and returns the server side of the socket. */
    private static Socket connect(JavaSocket client, Namespace nsp) throws InterruptedException {
        client.socket.connect();
        String id = client.awaitConnect();
        return await().atMost(TIMEOUT).until(() -> nsp.sockets().get(id), Objects::nonNull);
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

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectsOnEachTransport(Mode mode) throws Exception {
        JavaSocket client = socket(mode);

        Socket socket = connect(client, wsk.sockets());

        assertThat(client.socket.connected()).isTrue();
        assertThat(socket.id()).isEqualTo(client.socket.id());
        switch (mode) {
            case POLLING -> assertThat(socket.transport()).isEqualTo(TransportName.POLLING);
            case WEBSOCKET -> assertThat(socket.transport()).isEqualTo(TransportName.WEBSOCKET);
            case UPGRADE -> await().atMost(TIMEOUT).until(() -> socket.transport() == TransportName.WEBSOCKET);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emitsReachTheServer(Mode mode) throws Exception {
        BlockingQueue<EventArgs> received = new LinkedBlockingQueue<>();
        wsk.on("chat", (socket, args, ack) -> received.add(args));
        JavaSocket client = socket(mode);
        connect(client, wsk.sockets());

        client.socket.emit("chat", "héllo €", 42, 1.5, true, new JSONObject().put("k", "v").put("n", 1),
                new JSONArray().put(1).put("two"));

        EventArgs args = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(args).isNotNull();
        assertThat(args.asArray()).isEqualTo(JSON.readTree("[\"héllo €\",42,1.5,true,{\"k\":\"v\",\"n\":1},[1,\"two\"]]"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void acksWorkBothWays(Mode mode) throws Exception {
        wsk.on("add", (socket, args, ack) -> ack.send(args.get(0, Integer.class) + args.get(1, Integer.class), "sum"));
        JavaSocket client = socket(mode).answer("question", "answer", 7);
        Socket socket = connect(client, wsk.sockets());

        Object[] sum = client.emitWithAck("add", 2, 3);
        EventArgs answer = socket.timeout(TIMEOUT).emitWithAck("question", "what?")
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(sum).containsExactly(5, "sum");
        assertThat(answer.asArray()).isEqualTo(JSON.readTree("[\"answer\",7]"));
        Object[] question = client.next("question");
        assertThat(question[0]).isEqualTo("what?");
        assertThat(question[1]).isInstanceOf(Ack.class);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void binaryArgumentsTravelByteForByteBothWays(Mode mode) throws Exception {
        BlockingQueue<EventArgs> received = new LinkedBlockingQueue<>();
        wsk.on("upload", (socket, args, ack) -> {
            received.add(args);
            ack.send(args.toArray());
        });
        byte[] large = randomBytes(100 * 1024, 3);
        byte[] answerBytes = randomBytes(5000, 5);
        JavaSocket client = socket(mode).record("download").answer("binary question", "bytes", answerBytes);
        Socket socket = connect(client, wsk.sockets());

        // Client to server, and back in the ack.
        Object[] echoed = client.emitWithAck("upload", everyByte(), large, new JSONObject().put("inner", new byte[] {4, 5}));
        EventArgs onServer = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(onServer.bytes(0)).isEqualTo(everyByte());
        assertThat(onServer.bytes(1)).isEqualTo(large);
        assertThat(onServer.node(2).get("inner").binaryValue()).containsExactly(4, 5);
        assertThat((byte[]) echoed[0]).isEqualTo(everyByte());
        assertThat((byte[]) echoed[1]).isEqualTo(large);
        assertThat((byte[]) ((JSONObject) echoed[2]).get("inner")).containsExactly(4, 5);

        // Server to client, in an event and in the client's ack.
        socket.emit("download", new byte[0], large, Map.of("inner", new byte[] {6}));
        Object[] download = client.next("download");
        assertThat((byte[]) download[0]).isEmpty();
        assertThat((byte[]) download[1]).isEqualTo(large);
        assertThat((byte[]) ((JSONObject) download[2]).get("inner")).containsExactly(6);
        EventArgs answer = socket.timeout(TIMEOUT).emitWithAck("binary question", everyByte())
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answer.string(0)).isEqualTo("bytes");
        assertThat(answer.bytes(1)).isEqualTo(answerBytes);
        assertThat((byte[]) client.next("binary question")[0]).isEqualTo(everyByte());
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"POLLING", "WEBSOCKET"})
    void aCustomNamespaceWithAuth(Mode mode) throws Exception {
        Namespace admin = wsk.of("/admin");
        admin.use((socket, next) -> {
            if ("secret".equals(socket.handshake().auth().path("token").asText())) {
                next.proceed();
            } else {
                next.reject("bad token", Map.of("retry", false));
            }
        });
        admin.on("whoami", (socket, args, ack) -> ack.send(socket.namespace().name(), socket.handshake().auth()));
        JavaSocket refused = socket(mode, "/admin", Map.of("token", "guess"));
        JavaSocket client = socket(mode, "/admin", Map.of("token", "secret")).record("news");

        refused.socket.connect();
        Socket socket = connect(client, admin);

        JSONObject error = (JSONObject) refused.awaitConnectError();
        assertThat(error.getString("message")).isEqualTo("bad token");
        assertThat(error.getJSONObject("data").getBoolean("retry")).isFalse();
        assertThat(admin.sockets()).containsOnlyKeys(socket.id());
        assertThat(wsk.sockets().sockets()).isEmpty();
        Object[] whoami = client.emitWithAck("whoami");
        assertThat(whoami[0]).isEqualTo("/admin");
        assertThat(((JSONObject) whoami[1]).getString("token")).isEqualTo("secret");
        admin.emit("news", "for admins");
        assertThat(client.next("news")).containsExactly("for admins");
    }

    @Test
    void anUnknownNamespaceIsRefused() throws Exception {
        JavaSocket client = socket(Mode.WEBSOCKET, "/nowhere", null);

        client.socket.connect();

        JSONObject error = (JSONObject) client.awaitConnectError();
        assertThat(error.getString("message")).isEqualTo("Invalid namespace");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"POLLING", "WEBSOCKET"})
    void aClientDisconnectReachesTheServer(Mode mode) throws Exception {
        BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        wsk.onDisconnect((socket, reason) -> reasons.add(reason));
        JavaSocket client = socket(mode);
        connect(client, wsk.sockets());

        client.socket.disconnect();

        assertThat(client.awaitDisconnect()).isEqualTo("io client disconnect");
        assertThat(reasons.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        await().atMost(TIMEOUT).until(() -> wsk.sockets().sockets().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"POLLING", "WEBSOCKET"})
    void aServerDisconnectReachesTheClient(Mode mode) throws Exception {
        BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        wsk.onDisconnect((socket, reason) -> reasons.add(reason));
        JavaSocket client = socket(mode);
        Socket socket = connect(client, wsk.sockets());

        socket.disconnect();

        assertThat(client.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(reasons.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        assertThat(client.socket.connected()).isFalse();
    }

    @Test
    void aServerBroadcastReachesEveryJavaClient() throws Exception {
        List<JavaSocket> clients = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            JavaSocket client = socket(mode).record("news");
            connect(client, wsk.sockets());
            clients.add(client);
        }

        wsk.emit("news", "to all", 1);

        for (JavaSocket client : clients) {
            assertThat(client.next("news")).containsExactly("to all", 1);
        }
    }
}
