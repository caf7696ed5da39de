package io.wsk.bench.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official socket.io-client 4.x against the netty-socketio reference server, started as
 * {@code compare} starts it ({@code ./wsk bench-nsio}): every bench handler answers it as wsk's and
 * the Node server's do, on WebSocket (what the benchmarks use) and on long-polling with upgrade.
 * The harness's own generator is covered by {@link CompareQuickIT}.
 */
class NettySocketIoClientsIT {

    @TempDir
    static Path logs;

    private static ServerProcess server;

    @BeforeAll
    static void start() {
        Project project = Project.locate(null);
        project.requireJars(List.of(ServerKind.NETTY_SOCKETIO));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ServerLauncher(project, Mode.WHOLE, logs, java).start(ServerKind.NETTY_SOCKETIO, null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void theBenchHandlersAnswerTheOfficialClient(String transport) {
        String url = "http://" + ServerProcess.HOST + ":" + server.port();
        List<String> transports = transport.equals("websocket") ? List.of("websocket") : List.of("polling", "websocket");
        Map<String, Object> options = Map.of("transports", transports, "reconnection", false);
        try (SocketIoClient a = SocketIoClient.connect(url, options);
             SocketIoClient b = SocketIoClient.connect(url, options)) {
            assertThat(a.awaitConnect().id()).isNotBlank();
            b.awaitConnect();

            // echo: the ack carries every argument back, each as sent.
            ArrayNode echoed = a.emitWithAck("echo", Map.of("t", 1, "p", "x"), 2, "three", List.of(4), null).await();
            assertThat(echoed).isEqualTo(json("[{\"t\":1,\"p\":\"x\"},2,\"three\",[4],null]"));
            // echo without an ack: emitted back as "echo".
            a.emit("echo", "no ack", 5);
            assertThat(a.awaitReceived("echo").args()).isEqualTo(json("[\"no ack\",5]"));

            // join, then pub to the room: only b is in it.
            assertThat(b.emitWithAck("join", "room").await()).isEmpty();
            assertThat(a.emitWithAck("pub", Map.of("room", "room", "s", 1)).await()).isEmpty();
            assertThat(b.awaitReceived("b").args()).isEqualTo(json("[{\"room\":\"room\",\"s\":1}]"));
            // pub without a room: everyone, the publisher too.
            a.emitWithAck("pub", Map.of("s", 2)).await();
            assertThat(a.awaitReceived("b").args()).isEqualTo(json("[{\"s\":2}]"));
            assertThat(eventually(() -> b.allReceived("b").size(), 2)).isEqualTo(2);
            assertThat(a.allReceived("b")).as("a is not in the room, so it got only the broadcast to all").hasSize(1);

            assertThat(a.emitWithAck("count").await(Duration.ofSeconds(5)).get(0).asInt()).isEqualTo(2);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON as a tree: objects compare whatever the order of their fields (Map.of has none). */
    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** {@code value} once it is {@code wanted}, or its last reading after 5 s. */
    private static int eventually(IntSupplier value, int wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int last = value.getAsInt();
        while (last != wanted && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            last = value.getAsInt();
        }
        return last;
    }
}
