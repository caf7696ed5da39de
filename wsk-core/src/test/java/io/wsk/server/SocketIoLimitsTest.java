package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.engine.EngineOptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits the reference server lacks, each hit by a client doing what an attacker would:
 * rooms per socket and room-name length, the event rate, unfinished binary packets (their
 * deadline and the node's budget), the removal of empty dynamic namespaces, and the replay of a
 * recovering client's missed packets, which must get through a small outbound bound.
 */
class SocketIoLimitsTest extends SioTestSupport {

    private final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();

    private TestServer restartWith(java.util.function.UnaryOperator<SocketIoOptions.Builder> options) throws Exception {
        TestServer replacement = restart(TestServer.start(options));
        replacement.io().onDisconnect((socket, reason) -> disconnects.add(reason));
        return replacement;
    }

    private static String awaitDisconnect(BlockingQueue<String> reasons) throws InterruptedException {
        String reason = reasons.poll(5, TimeUnit.SECONDS);
        assertThat(reason).as("a disconnect within 5 s").isNotNull();
        return reason;
    }

    // ---- rooms ----

    @Test
    void joinsPastTheRoomLimitOrWithOverlongNamesAreRefusedAndTheRestJoined() throws Exception {
        restartWith(o -> o.maxRoomsPerSocket(5).maxRoomNameLength(10));
        BlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();
        server.io().onConnection(sockets::add);
        connected();
        Socket socket = take(sockets);

        socket.join("r1", "r2", "r3", "this-name-is-too-long");
        for (int i = 4; i <= 9; i++) {
            socket.join("r" + i);
        }
        socket.join(socket.id());

        assertThat(socket.rooms()).containsExactlyInAnyOrder(socket.id(), "r1", "r2", "r3", "r4", "r5");
        assertThat(server.io().refusedJoins().count()).as("one long name, four past the limit").isEqualTo(5);
        socket.leave("r1");
        socket.join("r9");
        assertThat(socket.rooms()).contains("r9").doesNotContain("r1").hasSize(6);
    }

    // ---- event rate ----

    @Test
    void eventsPastTheRateAreDroppedThenAFloodingClientIsDisconnectedForGood() throws Exception {
        restartWith(o -> o.maxEventRate(1).eventBurst(5));
        AtomicInteger handled = new AtomicInteger();
        server.io().on("flood", (socket, args, ack) -> handled.incrementAndGet());
        SioClient client = connected();

        for (int i = 0; i < 8; i++) {
            client.send("42[\"flood\"," + i + "]");
        }
        await().atMost(WAIT).until(() -> server.io().droppedEvents().count() >= 2);
        assertThat(handled.get()).as("the burst, and at most a token refilled meanwhile").isBetween(5, 6);

        try {
            for (int i = 0; i < 10; i++) {
                client.send("42[\"flood\"," + i + "]");
            }
        } catch (java.util.concurrent.CompletionException e) {
            // cut off mid-flood: the server closed it, which is the point
        }
        assertThat(awaitDisconnect(disconnects)).isEqualTo(DisconnectReason.RATE_LIMITED);
        List<String> last = client.awaitClose(WAIT);
        assertThat(last).as("a DISCONNECT, which official clients do not reconnect after").contains("41");
        assertThat(server.io().rateLimitedClients().count()).isEqualTo(1);
        assertThat(handled.get()).isLessThanOrEqualTo(7);
    }

    @Test
    void acksAndTheFirstConnectDoNotCountAgainstTheRate() throws Exception {
        restartWith(o -> o.maxEventRate(1).eventBurst(1));
        BlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();
        server.io().onConnection(sockets::add);
        SioClient client = connected();
        Socket socket = take(sockets);
        for (int i = 0; i < 3; i++) {
            var reply = socket.emitWithAck("ask", i);
            String frame = client.nextTextSkippingPings();
            long ackId = Long.parseLong(frame.substring(2, frame.indexOf('[')));
            client.send("43" + ackId + "[\"ok\"]");
            assertThat(result(reply).string(0)).isEqualTo("ok");
        }
        assertThat(server.io().droppedEvents().count()).isZero();
    }

    // ---- binary packets ----

    @Test
    void aBinaryPacketWhoseAttachmentsNeverArriveClosesTheConnectionAtItsDeadline() throws Exception {
        restartWith(o -> o.attachmentTimeoutMillis(300));
        AtomicInteger handled = new AtomicInteger();
        server.io().on("upload", (socket, args, ack) -> handled.incrementAndGet());
        SioClient client = connected();

        client.send("452-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        client.sendBinary(new byte[1000]);

        assertThat(awaitDisconnect(disconnects)).isEqualTo(DisconnectReason.ATTACHMENT_TIMEOUT);
        assertThat(server.io().attachmentTimeouts().count()).isEqualTo(1);
        await().atMost(WAIT).until(() -> server.io().attachmentBytes().get() == 0);
        assertThat(handled.get()).isZero();
    }

    @Test
    void attachmentsPastTheNodesBudgetCloseTheConnectionThatWouldExceedIt() throws Exception {
        restartWith(o -> o.maxAttachmentBytes(3000));
        BlockingQueue<byte[]> uploads = new LinkedBlockingQueue<>();
        server.io().on("upload", (socket, args, ack) -> uploads.add(args.get(0, byte[].class)));
        SioClient first = connected();
        SioClient second = connected();

        first.send("451-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        second.send("452-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        second.sendBinary(new byte[2000]);
        await().atMost(WAIT).until(() -> server.io().attachmentBytes().get() == 2000);
        first.sendBinary(new byte[1500]);

        assertThat(awaitDisconnect(disconnects)).isEqualTo(DisconnectReason.ATTACHMENT_BUDGET);
        assertThat(server.io().attachmentBudgetBreaches().count()).isEqualTo(1);
        second.sendBinary(new byte[500]);
        assertThat(take(uploads)).as("the other connection's packet completes").hasSize(2000);
        second.send("451-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        second.sendBinary("done".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(take(uploads), StandardCharsets.UTF_8)).isEqualTo("done");
        await().atMost(WAIT).until(() -> server.io().attachmentBytes().get() == 0);
    }

    // ---- dynamic namespaces ----

    @Test
    void anEmptyChildNamespaceIsRemovedWithItsAdapterAndComesBackOnTheNextConnect() throws Exception {
        ParentNamespace teams = server.io().of(Pattern.compile("^/team-\\d+$"));
        teams.onConnection(socket -> socket.emit("hello"));
        SioClient client = open();
        client.connect("/team-1", null);
        assertThat(client.nextTextSkippingPings()).isEqualTo("42/team-1,[\"hello\"]");
        Namespace child = server.io().namespaces().get("/team-1");
        assertThat(teams.children()).containsExactly(child);

        client.send("41/team-1,");
        await().atMost(WAIT).until(() -> !server.io().namespaces().containsKey("/team-1"));
        assertThat(teams.children()).isEmpty();

        client.connect("/team-1", null);
        assertThat(client.nextTextSkippingPings()).isEqualTo("42/team-1,[\"hello\"]");
        assertThat(server.io().namespaces().get("/team-1")).isNotNull().isNotSameAs(child);
    }

    @Test
    void aChildIsKeptWhileASocketIsBeingAdmittedAndWhenCleanupIsOff() throws Exception {
        ParentNamespace teams = server.io().of(Pattern.compile("^/team-\\d+$"));
        BlockingQueue<Middleware.Next> waiting = new LinkedBlockingQueue<>();
        teams.use((socket, next) -> {
            if (socket.handshake().auth().has("wait")) {
                waiting.add(next);
            } else {
                next.proceed();
            }
        });
        SioClient quick = open();
        quick.connect("/team-2", null);
        SioClient slow = open();
        slow.send("40/team-2,{\"wait\":true}");
        Middleware.Next next = take(waiting);
        quick.send("41/team-2,");
        Thread.sleep(200);
        assertThat(server.io().namespaces()).as("one admission still under way").containsKey("/team-2");
        next.proceed();
        SioClient.sidOf(slow.next(), "/team-2,");
        slow.close();
        await().atMost(WAIT).until(() -> !server.io().namespaces().containsKey("/team-2"));

        restartWith(o -> o.cleanupEmptyChildNamespaces(false));
        server.io().of(Pattern.compile("^/team-\\d+$"));
        SioClient kept = open();
        kept.connect("/team-3", null);
        kept.send("41/team-3,");
        Thread.sleep(200);
        assertThat(server.io().namespaces()).containsKey("/team-3");
    }

    @Test
    void aRecoveringClientGetsItsSessionBackInAnEmptiedDynamicNamespace() throws Exception {
        restartWith(o -> o.recovery(RecoveryOptions.defaults()));
        ParentNamespace teams = server.io().of(Pattern.compile("^/team-\\d+$"));
        SioClient first = open();
        first.send("40/team-1,");
        JsonNode reply = SioClient.connectReply(first.next(), "/team-1,");
        server.io().of("/team-1").emit("seen");
        String seen = first.nextTextSkippingPings();
        String offset = SioClient.json(seen.substring(seen.indexOf('['))).get(1).textValue();
        first.close();
        await().atMost(WAIT).until(() -> server.io().namespaces().get("/team-1").sockets().isEmpty());
        assertThat(server.io().namespaces()).as("kept for the session it holds").containsKey("/team-1");

        SioClient back = open();
        back.send("40/team-1,{\"pid\":\"" + reply.get("pid").textValue() + "\",\"offset\":\"" + offset + "\"}");
        JsonNode restored = SioClient.connectReply(back.nextTextSkippingPings(), "/team-1,");
        assertThat(restored.get("sid").textValue()).isEqualTo(reply.get("sid").textValue());
        assertThat(teams.children()).hasSize(1);
    }

    // ---- recovery and the outbound bound ----

    @Test
    void aRecoveringClientGetsAReplayLargerThanTheOutboundBound() throws Exception {
        restartWith(o -> o.recovery(RecoveryOptions.defaults())
                .engine(EngineOptions.builder().path("/socket.io/").maxOutboundBytes(64 * 1024).build()));
        SioClient first = open();
        first.send("40");
        JsonNode reply = SioClient.connectReply(first.next(), "");
        server.io().emit("seen", 0);
        String seen = first.next();
        String offset = SioClient.json(seen.substring(2)).get(2).textValue();
        first.close();
        assertThat(awaitDisconnect(disconnects)).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);

        String pad = "m".repeat(4000);
        for (int i = 1; i <= 100; i++) {
            server.io().emit("missed", i, pad);
        }
        SioClient back = open();
        back.send("40{\"pid\":\"" + reply.get("pid").textValue() + "\",\"offset\":\"" + offset + "\"}");
        for (int i = 1; i <= 100; i++) {
            String frame = back.nextTextSkippingPings();
            assertThat(SioClient.json(frame.substring(2)).get(1).asInt()).as("missed packet %d of 400 KB", i).isEqualTo(i);
        }
        JsonNode restored = SioClient.connectReply(back.nextTextSkippingPings(), "");
        assertThat(restored.get("sid").textValue()).isEqualTo(reply.get("sid").textValue());
        assertThat(server.io().engine().slowClients().count()).isZero();
        back.assertSilentFor(Duration.ofMillis(100));
        assertThat(server.io().engine().sessionCount()).isEqualTo(1);
    }
}
