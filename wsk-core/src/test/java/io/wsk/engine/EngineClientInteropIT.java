package io.wsk.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.testkit.EngineIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official {@code engine.io-client} (pinned in {@code interop/package-lock.json}) against a wsk
 * {@link EchoServer}, over each way a client can connect.
 */
class EngineClientInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** How the client connects: the engine.io-client {@code transports} option. */
    enum Mode {
        POLLING(List.of("polling")),
        WEBSOCKET(List.of("websocket")),
        UPGRADE(List.of("polling", "websocket"));

        final List<String> transports;

        Mode(List<String> transports) {
            this.transports = transports;
        }
    }

    private EchoServer server;
    private final List<EngineIoClient> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws InterruptedException {
        // The suite's quick pings, so heartbeats run during every test, with a pong timeout that a
        // busy two-core CI machine cannot miss.
        server = EchoServer.start(b -> b.pingTimeoutMillis(5_000));
    }

    @AfterEach
    void stop() {
        clients.forEach(EngineIoClient::close);
        server.close();
    }

    /** Connects a client and waits until it is open (and, for {@link Mode#UPGRADE}, upgraded). */
    private EngineIoClient connect(Mode mode) {
        EngineIoClient client = EngineIoClient.connect(server.baseUrl(), "/engine.io/", mode.transports);
        clients.add(client);
        JsonNode open = client.awaitEvent("open");
        assertThat(open.path("transport").asText()).isEqualTo(mode.transports.get(0));
        if (mode == Mode.UPGRADE) {
            assertThat(client.awaitEvent("upgrade").path("transport").asText()).isEqualTo("websocket");
        }
        return client;
    }

    /** The server side of the only client. */
    private EngineSession onlySession() {
        await().atMost(TIMEOUT).until(() -> server.opened.size() == 1);
        return server.opened.get(0);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void opensOnTheRequestedTransport(Mode mode) {
        EngineIoClient client = EngineIoClient.connect(server.baseUrl(), "/engine.io/", mode.transports);
        clients.add(client);

        JsonNode open = client.awaitEvent("open");

        EngineSession session = onlySession();
        assertThat(open.path("sid").asText()).isEqualTo(session.id());
        assertThat(open.path("transport").asText()).isEqualTo(mode.transports.get(0));
        if (mode == Mode.WEBSOCKET) {
            assertThat(session.transportName()).isEqualTo(TransportName.WEBSOCKET);
        }
    }

    @Test
    void upgradesFromPollingToWebSocket() {
        EngineIoClient client = EngineIoClient.connect(server.baseUrl(), "/engine.io/", Mode.UPGRADE.transports);
        clients.add(client);

        assertThat(client.awaitEvent("open").path("transport").asText()).isEqualTo("polling");
        assertThat(client.awaitEvent("upgrade").path("transport").asText()).isEqualTo("websocket");

        EngineSession session = onlySession();
        await().atMost(TIMEOUT).until(() -> session.transportName() == TransportName.WEBSOCKET);
        client.send("after upgrade");
        assertThat(client.awaitText()).isEqualTo("after upgrade");
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void messagesSentBeforeTheUpgradeArriveInOrder() {
        EngineIoClient client = EngineIoClient.connect(server.baseUrl(), "/engine.io/", Mode.UPGRADE.transports);
        clients.add(client);
        client.awaitEvent("open");

        // Sent at once, while the client probes the WebSocket: some go over polling, some after.
        for (int i = 0; i < 20; i++) {
            client.send("m" + i);
        }

        for (int i = 0; i < 20; i++) {
            assertThat(client.awaitText()).isEqualTo("m" + i);
        }
        assertThat(client.awaitEvent("upgrade").path("transport").asText()).isEqualTo("websocket");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void echoesText(Mode mode) {
        EngineIoClient client = connect(mode);
        List<String> texts = new ArrayList<>(List.of("hello", "héllo €", "emoji \uD83D\uDE00 and \u0000 nul",
                "new\nlines", "4 looks like a packet type", ""));
        if (mode != Mode.POLLING) {
            // Polling payloads separate packets with 0x1E and do not escape it (nor does the reference).
            texts.add("record \u001e separator");
        }

        texts.forEach(client::send);

        for (String text : texts) {
            assertThat(client.awaitText()).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void echoesBinary(Mode mode) {
        EngineIoClient client = connect(mode);
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] textLooking = "4hello".getBytes(StandardCharsets.UTF_8);

        client.send(everyByte);
        client.send(textLooking);
        client.send(new byte[] {0});

        assertThat(client.awaitBinary()).isEqualTo(everyByte);
        assertThat(client.awaitBinary()).isEqualTo(textLooking);
        assertThat(client.awaitBinary()).isEqualTo(new byte[] {0});
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void echoesLargeMessagesByteForByte(Mode mode) {
        EngineIoClient client = connect(mode);
        Random random = new Random(42);
        byte[] binary = new byte[100 * 1024];
        random.nextBytes(binary);
        StringBuilder text = new StringBuilder();
        while (text.length() < 100 * 1024) {
            text.append("héllo € \uD83D\uDE00 ").append(random.nextInt());
        }

        client.send(binary);
        client.send(text.toString());

        assertThat(client.awaitBinary()).isEqualTo(binary);
        assertThat(client.awaitText()).isEqualTo(text.toString());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void keepsTextAndBinaryInOrder(Mode mode) {
        EngineIoClient client = connect(mode);

        for (int i = 0; i < 30; i++) {
            if (i % 2 == 0) {
                client.send("text " + i);
            } else {
                client.send(new byte[] {(byte) i, (byte) (i * 7)});
            }
        }

        List<JsonNode> messages = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            messages.add(client.awaitEvent("message"));
        }
        for (int i = 0; i < 30; i++) {
            JsonNode message = messages.get(i);
            if (i % 2 == 0) {
                assertThat(message.path("text").asText(null)).as("message %d", i).isEqualTo("text " + i);
            } else {
                assertThat(message.path("binary").asText(null)).as("message %d", i)
                        .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {(byte) i, (byte) (i * 7)}));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverSendsOnItsOwn(Mode mode) {
        EngineIoClient client = connect(mode);
        EngineSession session = onlySession();

        session.send("from the server: ü");
        session.send(new byte[] {1, 2, 3});

        assertThat(client.awaitText()).isEqualTo("from the server: ü");
        assertThat(client.awaitBinary()).isEqualTo(new byte[] {1, 2, 3});
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void staysOpenAcrossHeartbeats(Mode mode) throws InterruptedException {
        EngineIoClient client = connect(mode);
        EngineSession session = onlySession();

        Thread.sleep(5 * server.engine().options().pingIntervalMillis());

        assertThat(session.isOpen()).isTrue();
        client.send("still here");
        assertThat(client.awaitText()).isEqualTo("still here");
        assertThat(client.events()).noneMatch(e -> e.path("event").asText().equals("close"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientCloseEndsTheServerSession(Mode mode) {
        EngineIoClient client = connect(mode);
        EngineSession session = onlySession();

        client.closeFromClient();

        assertThat(client.awaitEvent("close").path("reason").asText()).isEqualTo("forced close");
        await().atMost(TIMEOUT).until(() -> !session.isOpen());
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_TRANSPORT_CLOSE);
        await().atMost(TIMEOUT).until(() -> server.engine().sessionCount() == 0);
        assertThat(client.process().awaitExit(TIMEOUT)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverCloseReachesTheClient(Mode mode) {
        EngineIoClient client = connect(mode);
        EngineSession session = onlySession();

        session.close();

        JsonNode close = client.awaitEvent("close");
        assertThat(close.path("reason").asText()).isEqualTo("transport close");
        assertThat(client.events()).noneMatch(e -> e.path("event").asText().equals("error"));
        await().atMost(TIMEOUT).until(() -> server.closeReasons.size() == 1);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_FORCED_CLOSE);
        assertThat(client.process().awaitExit(TIMEOUT)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void messagesSentJustBeforeAServerCloseAreDelivered(Mode mode) {
        EngineIoClient client = connect(mode);
        EngineSession session = onlySession();

        session.send("goodbye");
        session.close();

        assertThat(client.awaitText()).isEqualTo("goodbye");
        assertThat(client.awaitEvent("close").path("reason").asText()).isEqualTo("transport close");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverCloseRightAfterAFlushReachesTheClient(Mode mode) {
        EngineIoClient client = connect(mode);
        EngineSession session = onlySession();

        // The message answers the waiting poll; the close then finds no poll waiting and must
        // still reach the client's next one.
        session.eventLoop().execute(() -> {
            session.send("last");
            session.eventLoop().execute(session::close);
        });

        assertThat(client.awaitText()).isEqualTo("last");
        assertThat(client.awaitEvent("close").path("reason").asText()).isEqualTo("transport close");
        assertThat(client.events()).noneMatch(e -> e.path("event").asText().equals("error"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverShutdownClosesClients(Mode mode) {
        EngineIoClient client = connect(mode);
        onlySession();

        server.engine().close();

        assertThat(client.awaitEvent("close").path("reason").asText()).isEqualTo("transport close");
        await().atMost(TIMEOUT).until(() -> server.closeReasons.size() == 1);
        assertThat(server.closeReasons).containsExactly(EngineSession.REASON_SERVER_SHUTDOWN);
    }
}
