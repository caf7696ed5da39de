package io.wsk.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Acknowledgements both ways: the server answering a client's ack request (JSON and binary, now
 * or later, once), and the server asking clients for acks ({@code emitWithAck}) from one socket or
 * a broadcast, with and without a deadline.
 */
class SocketIoAckTest extends SioTestSupport {

    private static final Pattern EVENT_WITH_ACK = Pattern.compile("^42(\\d+)\\[(.*)]$");

    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    /** A connected client and the server's socket for it. */
    private Socket serverSocket(String sid) {
        Socket socket = server.io().sockets().sockets().get(sid);
        assertThat(socket).as("server socket " + sid).isNotNull();
        return socket;
    }

    /** Reads an event that asks for an ack, checks its content and returns its ack id. */
    private static long ackIdOf(String frame, String expectedArray) {
        Matcher m = EVENT_WITH_ACK.matcher(frame);
        assertThat(m.matches()).as("event with an ack id: %s", frame).isTrue();
        assertThat("[" + m.group(2) + "]").isEqualTo(expectedArray);
        return Long.parseLong(m.group(1));
    }

    // ---- client asks, server answers ----

    @Test
    void theServerAnswersAnAckWithJsonArguments() {
        suiteHandlers(server.io());
        SioClient client = connected();
        client.next();

        client.send("421[\"message-with-ack\",{\"a\":[1,null,true]},\"x\",3.5,-7]");

        assertThat(client.next()).isEqualTo("431[{\"a\":[1,null,true]},\"x\",3.5,-7]");
    }

    @Test
    void theServerAnswersAnAckWithBinaryArguments() {
        server.io().on("file", (socket, args, ack) ->
                ack.send("bytes", new byte[] {1, 2}, Map.of("nested", new byte[] {3})));
        SioClient client = connected();

        client.send("427[\"file\"]");

        assertThat(client.next()).isEqualTo(
                "462-7[\"bytes\",{\"_placeholder\":true,\"num\":0},{\"nested\":{\"_placeholder\":true,\"num\":1}}]");
        assertThat(client.nextBinary()).containsExactly(1, 2);
        assertThat(client.nextBinary()).containsExactly(3);
    }

    @Test
    void theServerMayAnswerLaterFromAnotherThreadAndOnlyOnce() throws InterruptedException {
        CompletableFuture<Boolean> requested = new CompletableFuture<>();
        server.io().on("slow", (socket, args, ack) -> {
            requested.complete(ack.isRequested());
            worker.execute(() -> {
                ack.send("done", args.string(0));
                ack.send("twice");
            });
        });
        SioClient client = connected();

        client.send("4212[\"slow\",\"job\"]");

        assertThat(client.next()).isEqualTo("4312[\"done\",\"job\"]");
        assertThat(result(requested)).isTrue();
        client.assertSilentFor(Duration.ofMillis(100));
    }

    @Test
    void anEventWithoutAckIdCannotBeAnswered() throws InterruptedException {
        CompletableFuture<Boolean> requested = new CompletableFuture<>();
        server.io().on("fire-and-forget", (socket, args, ack) -> {
            requested.complete(ack.isRequested());
            ack.send("ignored");
        });
        SioClient client = connected();

        client.send("42[\"fire-and-forget\"]");

        assertThat(result(requested)).isFalse();
        client.assertSilentFor(Duration.ofMillis(100));
    }

    // ---- server asks one client ----

    @Test
    void emitWithAckCompletesWithTheClientsAnswer() {
        SioClient client = open();
        Socket socket = serverSocket(client.connect());

        CompletableFuture<EventArgs> answer = socket.emitWithAck("question", "q1", 2);
        long id = ackIdOf(client.next(), "[\"question\",\"q1\",2]");
        assertThat(answer).isNotDone();
        client.send("43" + id + "[\"answer\",{\"n\":42}]");

        EventArgs args = result(answer);
        assertThat(args.size()).isEqualTo(2);
        assertThat(args.string(0)).isEqualTo("answer");
        assertThat(args.get(1, Map.class)).isEqualTo(Map.of("n", 42));
    }

    @Test
    void emitWithAckCompletesWithABinaryAnswer() {
        SioClient client = open();
        Socket socket = serverSocket(client.connect());

        CompletableFuture<EventArgs> answer = socket.timeout(WAIT).emitWithAck("upload?");
        long id = ackIdOf(client.next(), "[\"upload?\"]");
        client.send("461-" + id + "[\"ok\",{\"_placeholder\":true,\"num\":0}]");
        client.sendBinary(new byte[] {9, 8, 7});

        EventArgs args = result(answer);
        assertThat(args.string(0)).isEqualTo("ok");
        assertThat(args.bytes(1)).containsExactly(9, 8, 7);
    }

    @Test
    void answersAreMatchedByAckIdWhateverTheirOrder() {
        SioClient client = open();
        Socket socket = serverSocket(client.connect());

        CompletableFuture<EventArgs> first = socket.emitWithAck("q", 1);
        CompletableFuture<EventArgs> second = socket.emitWithAck("q", 2);
        long firstId = ackIdOf(client.next(), "[\"q\",1]");
        long secondId = ackIdOf(client.next(), "[\"q\",2]");
        assertThat(secondId).isNotEqualTo(firstId);

        client.send("43" + secondId + "[\"two\"]");
        client.send("43" + firstId + "[\"one\"]");

        assertThat(result(first).string(0)).isEqualTo("one");
        assertThat(result(second).string(0)).isEqualTo("two");
    }

    @Test
    void emitWithAckFailsAtTheTimeoutAndALateAnswerIsIgnored() {
        SioClient client = open();
        Socket socket = serverSocket(client.connect());

        long start = System.nanoTime();
        CompletableFuture<EventArgs> answer = socket.timeout(Duration.ofMillis(200)).emitWithAck("q");
        long id = ackIdOf(client.next(), "[\"q\"]");

        Throwable failure = awaitFailure(answer, WAIT);
        assertThat(failure).isInstanceOf(AckTimeoutException.class).hasMessage("operation has timed out");
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(200L);

        // too late: ignored, and the connection carries on
        client.send("43" + id + "[\"late\"]");
        socket.emit("after");
        assertThat(client.next()).isEqualTo("42[\"after\"]");
        assertThat(answer).isCompletedExceptionally();
    }

    @Test
    void anAckForAnUnknownIdIsIgnored() {
        suiteHandlers(server.io());
        SioClient client = connected();
        client.next();

        client.send("43999[\"nobody asked\"]");

        client.send("42[\"message\",\"still connected\"]");
        assertThat(client.next()).isEqualTo("42[\"message-back\",\"still connected\"]");
    }

    @Test
    void emitWithAckWithATimeoutFailsWhenTheClientLeaves() {
        SioClient client = open();
        Socket socket = serverSocket(client.connect());

        CompletableFuture<EventArgs> answer = socket.timeout(Duration.ofMillis(300)).emitWithAck("q");
        client.next();
        client.send("41");

        assertThat(awaitFailure(answer, WAIT)).isInstanceOf(AckTimeoutException.class);
    }

    // ---- server asks a broadcast ----

    @Test
    void aBroadcastCollectsTheAnswerOfEveryClient() {
        SioClient a = connected();
        SioClient b = connected();
        SioClient c = connected();

        CompletableFuture<List<EventArgs>> answers = server.io().timeout(WAIT).emitWithAck("vote", "yes?");
        long id = ackIdOf(a.next(), "[\"vote\",\"yes?\"]");
        assertThat(ackIdOf(b.next(), "[\"vote\",\"yes?\"]")).as("one ack id for the broadcast").isEqualTo(id);
        assertThat(ackIdOf(c.next(), "[\"vote\",\"yes?\"]")).isEqualTo(id);
        a.send("43" + id + "[1]");
        b.send("43" + id + "[2]");
        assertThat(answers).isNotDone();
        c.send("43" + id + "[3]");

        assertThat(result(answers)).extracting(args -> args.get(0, Integer.class)).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void aBroadcastWithASilentClientFailsAtTheTimeoutWithThePartialAnswers() {
        SioClient a = connected();
        SioClient b = connected();
        SioClient silent = connected();
        Duration timeout = Duration.ofMillis(300);

        long start = System.nanoTime();
        CompletableFuture<List<EventArgs>> answers = server.io().timeout(timeout).emitWithAck("vote");
        long id = ackIdOf(a.next(), "[\"vote\"]");
        b.next();
        silent.next();
        a.send("43" + id + "[\"a\"]");
        b.send("43" + id + "[\"b\"]");

        Throwable failure = awaitFailure(answers, WAIT);
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(timeout.toMillis());
        assertThat(failure).isInstanceOf(AckTimeoutException.class);
        assertThat(((AckTimeoutException) failure).responses()).extracting(args -> args.string(0))
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aBroadcastToARoomAsksOnlyItsMembers() {
        SioClient member = open();
        String memberId = member.connect();
        SioClient outsider = connected();
        serverSocket(memberId).join("room");

        CompletableFuture<List<EventArgs>> answers = server.io().to("room").timeout(WAIT).emitWithAck("q");
        long id = ackIdOf(member.next(), "[\"q\"]");
        member.send("43" + id + "[\"member\"]");

        assertThat(result(answers)).extracting(args -> args.string(0)).containsExactly("member");
        server.io().emit("sentinel");
        assertThat(outsider.next()).isEqualTo("42[\"sentinel\"]");
    }

    @Test
    void aBroadcastThatReachesNobodyCompletesAtOnceWithNoAnswers() {
        connected();

        CompletableFuture<List<EventArgs>> answers = server.io().to("empty room").timeout(WAIT).emitWithAck("q");

        assertThat(result(answers)).isEmpty();
    }

    @Test
    void aBroadcastEmitWithAckNeedsATimeout() {
        connected();

        assertThatThrownBy(() -> server.io().sockets().emitWithAck("q"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> server.io().to("room").emitWithAck("q"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSocketBroadcastWithAckLeavesOutTheSender() throws InterruptedException {
        SioClient sender = open();
        Socket senderSocket = serverSocket(sender.connect());
        SioClient other = connected();

        CompletableFuture<List<EventArgs>> answers = senderSocket.broadcast().timeout(WAIT).emitWithAck("q");
        long id = ackIdOf(other.next(), "[\"q\"]");
        other.send("43" + id + "[\"other\"]");

        assertThat(result(answers)).extracting(args -> args.string(0)).containsExactly("other");
        sender.assertSilentFor(Duration.ofMillis(50));
    }
}
