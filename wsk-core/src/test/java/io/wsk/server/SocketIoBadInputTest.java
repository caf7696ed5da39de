package io.wsk.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Hostile or broken Socket.IO input: each case ends the connection that sent it, at once and as
 * a parse error, and nothing else. Another client connected at the same time keeps working, and
 * new clients still connect. The server has the reference defaults (25 s pings), so a close
 * within a second can only be the server refusing the input.
 */
class SocketIoBadInputTest extends SioTestSupport {

    /** socket id -> disconnect reason, for every socket of {@code /}. */
    private final Map<String, String> disconnects = new ConcurrentHashMap<>();

    @BeforeEach
    void handlers() {
        suiteHandlers(server.io());
        server.io().onDisconnect((socket, reason) -> disconnects.put(socket.id(), reason));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("event payload not an array", "42{}"),
                bad("ack id not a number", "42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]"),
                bad("event name an object", "42[{\"toString\":\"foo\"}]"),
                bad("event with no name", "42[]"),
                bad("too many attachments", "4511-[\"message\"," + placeholders(11) + "]"),
                bad("placeholder num out of range", "451-[\"message\",{\"_placeholder\":true,\"num\":1}]"),
                bad("negative placeholder num", "451-[\"message\",{\"_placeholder\":true,\"num\":-1}]"),
                bad("text packet while attachments are pending",
                        "451-[\"message\",{\"_placeholder\":true,\"num\":0}]", "42[\"message\",\"x\"]"),
                bad("binary frame when none is expected", new byte[] {1, 2, 3}),
                bad("second CONNECT to the same namespace", "40"),
                bad("EVENT for a namespace not joined", "42/custom,[\"message\",1]"),
                bad("ACK for a namespace not joined", "43/custom,1[]"),
                bad("DISCONNECT for a namespace not joined", "41/custom,"),
                bad("CONNECT_ERROR from a client", "44{\"message\":\"x\"}"),
                bad("CONNECT payload not an object", "40/custom,[\"auth\"]"),
                bad("ACK payload not an array", "431{\"a\":1}"),
                bad("DISCONNECT with a payload", "41{\"reason\":\"x\"}"),
                bad("deeply nested JSON", "42[\"message\"," + "[".repeat(10_000) + "]".repeat(10_000) + "]"),
                bad("truncated JSON", "42[\"message\""),
                bad("invalid JSON", "42[\"message\",}"),
                bad("unknown packet type", "49[\"message\"]"));
    }

    private static Arguments bad(String name, Object... frames) {
        return Arguments.of(name, List.of(frames));
    }

    /** {@code count} placeholders, numbered from 0. */
    private static String placeholders(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"_placeholder\":true,\"num\":" + i + "}")
                .collect(Collectors.joining(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void closesOnlyTheConnectionThatSentIt(String name, List<Object> frames) {
        SioClient victim = open();
        String victimId = victim.connect();
        assertThat(victim.next()).isEqualTo("42[\"auth\",{}]");
        SioClient bystander = connected();
        assertThat(bystander.next()).isEqualTo("42[\"auth\",{}]");

        long sent = System.nanoTime();
        for (Object frame : frames) {
            if (frame instanceof String text) {
                victim.send(text);
            } else {
                victim.sendBinary((byte[]) frame);
            }
        }

        assertRefused(victim, victimId, sent);
        assertStillServing(bystander);
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void closesOnAReservedEventName(String event) {
        SioClient victim = open();
        String victimId = victim.connect();
        victim.next();
        SioClient bystander = connected();
        bystander.next();

        long sent = System.nanoTime();
        victim.send("42[\"" + event + "\",\"x\"]");

        assertRefused(victim, victimId, sent);
        assertStillServing(bystander);
    }

    @Test
    void closesOnASecondConnectWhileTheFirstIsStillBeingAdmitted() {
        // a middleware that never answers keeps the first CONNECT to /custom pending
        server.io().of("/custom").use((socket, next) -> { });
        SioClient victim = open();
        String victimId = victim.connect();
        victim.next();
        SioClient bystander = connected();
        bystander.next();

        long sent = System.nanoTime();
        victim.send("40/custom,");
        victim.send("40/custom,");

        assertRefused(victim, victimId, sent);
        assertStillServing(bystander);
    }

    /** The victim was closed promptly with nothing sent first, and the server saw a parse error. */
    private void assertRefused(SioClient victim, String victimId, long sentAt) {
        assertThat(victim.awaitClose(Duration.ofSeconds(2))).as("frames before the close").isEmpty();
        assertThat(millisSince(sentAt)).as("ms to the close").isLessThan(1_000L);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(disconnects).containsExactly(Map.entry(victimId, DisconnectReason.PARSE_ERROR)));
        assertThat(server.io().sockets().sockets()).doesNotContainKey(victimId);
    }

    /** {@code bystander} still gets its events, and a new client connects and gets its events too. */
    private void assertStillServing(SioClient bystander) {
        bystander.send("42[\"message\",\"still here\"]");
        assertThat(bystander.next()).isEqualTo("42[\"message-back\",\"still here\"]");

        SioClient newcomer = connected();
        assertThat(newcomer.next()).isEqualTo("42[\"auth\",{}]");
        newcomer.send("421[\"message-with-ack\",\"hello\"]");
        assertThat(newcomer.next()).isEqualTo("431[\"hello\"]");
        assertThat(server.io().sockets().sockets()).hasSize(2);
    }

    // ---- what the server itself refuses to send ----

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void refusesToEmitAReservedEventName(String event) throws InterruptedException {
        SioClient client = connected();
        client.next();
        Socket socket = server.io().sockets().sockets().values().iterator().next();
        Namespace main = server.io().sockets();

        assertThatThrownBy(() -> socket.emit(event, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(event);
        assertThatThrownBy(() -> socket.emitWithAck(event)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.timeout(WAIT).emitWithAck(event)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.broadcast().emit(event)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.io().emit(event)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> main.to("room").emit(event)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> main.timeout(WAIT).emitWithAck(event)).isInstanceOf(IllegalArgumentException.class);

        client.assertSilentFor(Duration.ofMillis(100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connection", "new_namespace"})
    void refusesToServerSideEmitAReservedEventName(String event) {
        Namespace main = server.io().sockets();

        assertThatThrownBy(() -> server.io().serverSideEmit(event, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(event);
        assertThatThrownBy(() -> main.serverSideEmit(event)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> main.serverSideEmitWithAck(WAIT, event)).isInstanceOf(IllegalArgumentException.class);
    }
}
