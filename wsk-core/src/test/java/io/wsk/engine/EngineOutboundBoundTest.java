package io.wsk.engine;

import io.netty.buffer.ByteBufAllocator;
import io.wsk.protocol.EngineFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the server holds for a client that does not read: at most the outbound bound in its
 * session's queue, then the client is closed as slow; a polling client gets responses of about
 * {@code maxPayload}; a closing connection whose peer does not read is cut after the close
 * timeout; and a client that floods requests without reading the replies is not read either.
 * The clients are raw sockets with a tiny receive window, as an official client cannot stop
 * reading; the assertions are on what the server holds, not on timings.
 */
class EngineOutboundBoundTest {

    private static final int FRAME_CHARS = 64 * 1024;
    /** Heartbeats far apart, so no test meets a ping timeout it did not ask for. */
    private static final UnaryOperator<EngineOptions.Builder> SLOW_PINGS =
            b -> b.pingIntervalMillis(25_000).pingTimeoutMillis(20_000);

    private EchoServer server;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EchoServer start(UnaryOperator<EngineOptions.Builder> options) throws InterruptedException {
        server = EchoServer.start(options);
        return server;
    }

    private RawConnection stalledClient() throws Exception {
        RawConnection connection = RawConnection.openWithReceiveBuffer(server.port(), 4096);
        cleanup.add(connection);
        return connection;
    }

    private static EngineFrame bigFrame(char fill) {
        return EngineFrame.message(String.valueOf(fill).repeat(FRAME_CHARS), ByteBufAllocator.DEFAULT);
    }

    /** Sends {@code frame} to {@code session}, then reads its queue once the send was handled. */
    private static long sendAndMeasure(EngineSession session, EngineFrame frame) throws Exception {
        session.send(frame);
        return session.eventLoop().submit(session::queuedBytes).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aWebSocketClientThatStopsReadingIsClosedAsSlowWithItsQueueNeverPastTheBound() throws Exception {
        start(SLOW_PINGS);
        RawConnection client = stalledClient();
        EngineSession session = server.engine().session(client.openWebSocketSession(server.port()));
        long bound = server.engine().options().maxOutboundBytes();

        EngineFrame frame = bigFrame('x');
        long mostQueued = 0;
        int sent = 0;
        try {
            // 12.8 MB offered, 64 KiB at a time: far more than the client's window and the bound.
            while (sent < 200 && session.isOpen()) {
                mostQueued = Math.max(mostQueued, sendAndMeasure(session, frame));
                sent++;
            }
        } finally {
            frame.release();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closeReasons.contains(EngineSession.REASON_SLOW_CLIENT));
        assertThat(mostQueued).as("bytes queued for the client at most").isLessThanOrEqualTo(bound);
        assertThat(sent).as("closed well before everything was offered").isLessThan(200);
        assertThat(server.engine().slowClients().count()).isEqualTo(1);

        // Reading again, the client finds what had already left, then the close frame and its reason.
        RawConnection.Frame last;
        do {
            last = client.readFrame();
        } while (last.opcode() != RawConnection.OP_CLOSE);
        assertThat(last.closeCode()).isEqualTo(1008);
        assertThat(new String(last.payload(), 2, last.payload().length - 2, StandardCharsets.UTF_8))
                .isEqualTo("slow client");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().isEmpty());
    }

    @Test
    void aPollingClientThatNeverPollsIsClosedAsSlowInsteadOfBufferingWithoutEnd() throws Exception {
        start(SLOW_PINGS);
        PollingClient polling = new PollingClient(server.baseUrl());
        String sid = polling.handshake();
        EngineSession session = server.engine().session(sid);
        long bound = server.engine().options().maxOutboundBytes();

        EngineFrame frame = bigFrame('p');
        long mostQueued = 0;
        try {
            for (int i = 0; i < 40 && session.isOpen(); i++) {
                mostQueued = Math.max(mostQueued, sendAndMeasure(session, frame));
            }
        } finally {
            frame.release();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closeReasons.contains(EngineSession.REASON_SLOW_CLIENT));
        assertThat(mostQueued).isLessThanOrEqualTo(bound);
        HttpResponse<String> late = polling.poll(sid);
        assertThat(late.statusCode()).as("the session is gone, not a body of megabytes").isEqualTo(400);
        assertThat(late.body()).contains("\"code\":1");
    }

    @Test
    void pollingResponsesStopAtAboutMaxPayloadAndTheRestWaitsForTheNextGet() throws Exception {
        start(SLOW_PINGS.andThen(b -> b.maxPayload(1_000_000))::apply);
        PollingClient polling = new PollingClient(server.baseUrl());
        String sid = polling.handshake();
        EngineSession session = server.engine().session(sid);
        // 1,020,003 bytes in all: within the 1 MiB outbound bound, past the 1,000,000 of a response.
        for (char fill : new char[]{'a', 'b', 'c'}) {
            EngineFrame frame = EngineFrame.message(String.valueOf(fill).repeat(340_000), ByteBufAllocator.DEFAULT);
            session.send(frame);
            frame.release();
        }

        String first = polling.poll(sid).body();
        String second = polling.poll(sid).body();

        assertThat(first.length()).as("two packets fit in 1,000,000 bytes, three do not").isEqualTo(2 * 340_001 + 1);
        assertThat(first.split("\u001e")).extracting(p -> p.substring(0, 2)).containsExactly("4a", "4b");
        assertThat(second).startsWith("4c").hasSize(340_001);
    }

    @Test
    void aClosingWebSocketWhosePeerDoesNotReadIsCutAfterTheCloseTimeout() throws Exception {
        // Suite timings: the stalled client, which sends no pong, times out after 500 ms.
        start(b -> b.closeTimeoutMillis(500));
        RawConnection client = stalledClient();
        EngineSession session = server.engine().session(client.openWebSocketSession(server.port()));
        EngineFrame frame = bigFrame('t');
        try {
            // Until the connection's buffers are full: the close frame will then wait behind them.
            for (int i = 0; i < 100 && sendAndMeasure(session, frame) == 0; i++) {
                // next frame
            }
        } finally {
            frame.release();
        }
        assertThat(session.isOpen()).as("still within the outbound bound").isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> server.closeReasons.contains(EngineSession.REASON_PING_TIMEOUT));
        await("the connection cut, though its close frame could not leave")
                .atMost(Duration.ofSeconds(5)).until(() -> server.connections().isEmpty());
    }

    @Test
    void aPeerThatAnswersTheCloseFrameIsClosedAtOnceAndOneThatFloodsOnIsReset() throws Exception {
        // A close timeout far longer than the test: what ends these connections is the peer's answer, or its flood.
        start(SLOW_PINGS.andThen(b -> b.closeTimeoutMillis(60_000))::apply);
        RawConnection polite = stalledClient();
        EngineSession politeSession = server.engine().session(polite.openWebSocketSession(server.port()));
        politeSession.close();
        assertThat(polite.readFrame().opcode()).isEqualTo(RawConnection.OP_CLOSE);
        polite.sendFrame(true, RawConnection.OP_CLOSE, new byte[]{0x03, (byte) 0xe8});
        assertThat(polite.closedByServerWithin(Duration.ofSeconds(2))).as("closed once the handshake is done").isTrue();

        RawConnection flooder = stalledClient();
        EngineSession floodSession = server.engine().session(flooder.openWebSocketSession(server.port()));
        floodSession.close();
        byte[] junk = ("4" + "j".repeat(8 * 1024)).getBytes(StandardCharsets.US_ASCII);
        boolean reset = false;
        for (int i = 0; i < 1000 && !reset; i++) {
            try {
                flooder.sendFrame(true, RawConnection.OP_TEXT, junk);
            } catch (java.io.IOException e) {
                reset = true;
            }
        }
        assertThat(reset).as("reset after at most 64 KiB more, 8 MB offered").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().isEmpty());
    }

    @Test
    void aClientThatFloodsRequestsWithoutReadingRepliesIsNotReadEitherAndLosesNothing() throws Exception {
        start(SLOW_PINGS);
        RawConnection client = stalledClient();
        EngineSession session = server.engine().session(client.openWebSocketSession(server.port()));
        int messages = 400;
        byte[] payload = ("4" + "f".repeat(FRAME_CHARS)).getBytes(StandardCharsets.US_ASCII);
        int[] written = {0};
        Thread writer = new Thread(() -> {
            try {
                for (; written[0] < messages; written[0]++) {
                    client.sendFrame(true, RawConnection.OP_TEXT, payload);
                }
            } catch (Exception e) {
                // the test fails on the counts below
            }
        }, "flooder");
        writer.setDaemon(true);
        writer.start();

        // 25.6 MB of requests, each echoed: the kernel's buffers hold a few MB of them, not all.
        writer.join(3_000);
        assertThat(writer.isAlive()).as("the flooder is blocked by its own TCP window").isTrue();
        assertThat(server.received.get()).as("requests the server took in").isLessThan(messages);
        long queued = session.eventLoop().submit(session::queuedBytes).get(5, TimeUnit.SECONDS);
        assertThat(queued).isLessThanOrEqualTo(server.engine().options().maxOutboundBytes());
        assertThat(session.isOpen()).isTrue();

        int echoes = 0;
        while (echoes < messages) {
            RawConnection.Frame reply = client.readFrame();
            if (reply.opcode() == RawConnection.OP_TEXT && reply.payload().length == payload.length) {
                echoes++;
            }
        }
        writer.join(5_000);
        assertThat(written[0]).isEqualTo(messages);
        assertThat(server.received.get()).isEqualTo(messages);
        assertThat(server.closeReasons).isEmpty();
    }

    @Test
    void handshakesPastMaxConnectionsGet503WithRetryAfterUntilASessionEnds() throws Exception {
        start(SLOW_PINGS.andThen(b -> b.maxConnections(2))::apply);
        PollingClient polling = new PollingClient(server.baseUrl());
        String first = polling.handshake();
        polling.handshake();

        HttpResponse<String> refused = polling.send(polling.request(PollingClient.POLLING_QUERY).GET().build());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue(Integer.toString(Engine.RETRY_AFTER_SECONDS));
        assertThat(refused.body()).contains("at capacity");
        assertThat(server.engine().refusedHandshakes().count()).isEqualTo(1);

        polling.post(first, "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.engine().sessionCount() < 2);
        assertThat(polling.handshake()).isNotEmpty();
    }
}
