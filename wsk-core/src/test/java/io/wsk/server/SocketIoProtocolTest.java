package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.engine.WsTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Socket.IO part of the official v5 suite (S17 to S32): connecting to namespaces, leaving
 * them, events and acks with and without binary attachments, and malformed packets. The server
 * has the suite's settings and handlers. The frames are compared exactly, and every frame counts,
 * as in the suite; where the suite only waits for a close, these tests also check it came at once
 * and for the right reason.
 */
class SocketIoProtocolTest extends SioTestSupport {

    /** Disconnect reasons the server reported, in order. */
    private final List<String> disconnects = new CopyOnWriteArrayList<>();

    @Override
    protected TestServer startServer() throws InterruptedException {
        return TestServer.startWithSuiteTimings(io -> {
            suiteHandlers(io);
            io.onDisconnect((socket, reason) -> disconnects.add(reason));
        });
    }

    /** The suite's initSocketIOConnection: open, CONNECT to {@code /}, read the reply and the auth event. */
    private SioClient init() {
        SioClient client = open();
        client.send("40");
        client.next();
        client.next();
        return client;
    }

    /**
     * The server ends the connection promptly after the bad packet: nothing but a crossing ping
     * before the close, far sooner than the ping timeout (500 ms after the open) could.
     */
    private static void assertClosedPromptly(SioClient client, long sentAt) {
        List<String> beforeClose = client.awaitClose(Duration.ofSeconds(2));
        assertThat(beforeClose).as("frames before the close").allMatch("2"::equals);
        assertThat(millisSince(sentAt)).as("ms from the bad packet to the close").isLessThan(400L);
    }

    private void awaitDisconnects(String... reasons) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(disconnects).containsExactly(reasons));
    }

    // ---- connect ----

    @Test
    // official suite: S17
    void connectsToTheMainNamespace() {
        SioClient client = open();
        client.send("40");

        String sid = SioClient.sidOf(client.next(), "");
        assertThat(client.next()).isEqualTo("42[\"auth\",{}]");
        assertThat(server.io().sockets().sockets()).containsOnlyKeys(sid);
    }

    @Test
    // official suite: S18
    void connectsToTheMainNamespaceWithAnAuthPayload() {
        SioClient client = open();
        client.send("40{\"token\":\"123\"}");

        SioClient.sidOf(client.next(), "");
        assertThat(client.next()).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
    }

    @Test
    // official suite: S19
    void connectsToACustomNamespace() {
        SioClient client = open();
        client.send("40/custom,");

        String sid = SioClient.sidOf(client.next(), "/custom,");
        assertThat(client.next()).isEqualTo("42/custom,[\"auth\",{}]");
        assertThat(server.io().of("/custom").sockets()).containsOnlyKeys(sid);
        assertThat(server.io().sockets().sockets()).as("sockets of /").isEmpty();
    }

    @Test
    // official suite: S20
    void connectsToACustomNamespaceWithAnAuthPayload() {
        SioClient client = open();
        client.send("40/custom,{\"token\":\"abc\"}");

        SioClient.sidOf(client.next(), "/custom,");
        assertThat(client.next()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
    }

    @Test
    // official suite: S21 (stricter: the connection stays open, nothing is created, and / still works)
    void refusesAnUnknownNamespace() {
        SioClient client = open();
        client.send("40/random");

        assertThat(client.next()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
        assertThat(server.io().namespaces()).doesNotContainKey("/random");

        client.send("40");
        SioClient.sidOf(client.next(), "");
        assertThat(client.next()).isEqualTo("42[\"auth\",{}]");
    }

    @Test
    // official suite: S22 (stricter: closed at once)
    void closesOnAnInvalidHandshakePacket() {
        SioClient client = open();

        long sent = System.nanoTime();
        client.send("4abc");

        assertClosedPromptly(client, sent);
    }

    @Test
    // official suite: S23 (stricter: one unanswered ping, then the close at the ping timeout)
    void closesAConnectionThatNeverJoinsANamespace() {
        long start = System.nanoTime();
        SioClient client = open();

        List<String> beforeClose = client.awaitClose(Duration.ofSeconds(2));

        assertThat(beforeClose).containsExactly("2");
        assertThat(millisSince(start)).isBetween(450L, 1_500L);
    }

    // ---- disconnect ----

    @Test
    // official suite: S24 (stricter: the server saw the client leave, and the connection still serves a new CONNECT)
    void disconnectsFromTheMainNamespaceAndKeepsTheConnection() {
        SioClient client = open();
        client.send("40");
        String first = SioClient.sidOf(client.next(), "");
        client.next();

        client.send("41");

        // nothing in reply to the DISCONNECT: the next frame is the heartbeat at ~300 ms
        assertThat(client.next()).isEqualTo("2");
        assertThat(disconnects).containsExactly(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        assertThat(server.io().sockets().sockets()).isEmpty();

        client.send("3");
        client.send("40");
        String second = SioClient.sidOf(client.next(), "");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    // official suite: S25
    void connectsThenDisconnectsFromACustomNamespaceWhileTheMainOneKeepsWorking() {
        SioClient client = init();
        // the heartbeat, deliberately left unanswered: the rest must be done before its timeout
        assertThat(client.next()).isEqualTo("2");

        client.send("40/custom");
        SioClient.sidOf(client.next(), "/custom,");
        assertThat(client.next()).isEqualTo("42/custom,[\"auth\",{}]");

        client.send("41/custom");
        client.send("42[\"message\",\"message to main namespace\"]");

        assertThat(client.next()).isEqualTo("42[\"message-back\",\"message to main namespace\"]");
        assertThat(server.io().of("/custom").sockets()).isEmpty();
        assertThat(server.io().sockets().sockets()).hasSize(1);
    }

    // ---- message ----

    @Test
    // official suite: S26
    void echoesAPlainTextEvent() {
        SioClient client = init();

        client.send("42[\"message\",1,\"2\",{\"3\":[true]}]");

        assertThat(client.next()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    // official suite: S27
    void echoesAnEventWithBinaryAttachments() {
        SioClient client = init();

        client.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        client.sendBinary(new byte[] {1, 2, 3});
        client.sendBinary(new byte[] {4, 5, 6});

        assertThat(client.nextTextSkippingPings())
                .isEqualTo("452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        assertThat(binary(client.nextSkippingPings())).containsExactly(1, 2, 3);
        assertThat(binary(client.nextSkippingPings())).containsExactly(4, 5, 6);
    }

    @Test
    // official suite: S28
    void acknowledgesAPlainTextEvent() {
        SioClient client = init();

        client.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

        assertThat(client.next()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
    }

    @Test
    // official suite: S29
    void acknowledgesAnEventWithBinaryAttachmentsWithABinaryAck() {
        SioClient client = init();

        client.send("452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        client.sendBinary(new byte[] {1, 2, 3});
        client.sendBinary(new byte[] {4, 5, 6});

        assertThat(client.nextTextSkippingPings())
                .isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        assertThat(binary(client.nextSkippingPings())).containsExactly(1, 2, 3);
        assertThat(binary(client.nextSkippingPings())).containsExactly(4, 5, 6);
    }

    @Test
    // official suite: S30 (stricter: closed at once, as a parse error)
    void closesOnAnUnknownPacketType() {
        SioClient client = init();

        long sent = System.nanoTime();
        client.send("4abc");

        assertClosedPromptly(client, sent);
        awaitDisconnects(DisconnectReason.PARSE_ERROR);
    }

    @Test
    // official suite: S31 (stricter: closed at once, as a parse error)
    void closesOnAnEventWhosePayloadIsNotAnArray() {
        SioClient client = init();

        long sent = System.nanoTime();
        client.send("42{}");

        assertClosedPromptly(client, sent);
        awaitDisconnects(DisconnectReason.PARSE_ERROR);
    }

    @Test
    // official suite: S32 (stricter: closed at once, as a parse error, and the handler never ran)
    void closesOnAnInvalidAckId() {
        CompletableFuture<JsonNode> handled = new CompletableFuture<>();
        server.io().on("message-with-ack", (socket, args, ack) -> handled.complete(args.asArray()));
        SioClient client = init();

        long sent = System.nanoTime();
        client.send("42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

        assertClosedPromptly(client, sent);
        awaitDisconnects(DisconnectReason.PARSE_ERROR);
        assertThat(handled).isNotDone();
    }

    private static byte[] binary(WsTestClient.Event event) {
        assertThat(event).as("a binary frame").isInstanceOf(WsTestClient.Binary.class);
        return ((WsTestClient.Binary) event).bytes();
    }
}
