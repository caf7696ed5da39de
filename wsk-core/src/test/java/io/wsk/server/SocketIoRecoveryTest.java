package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection state recovery: with {@link RecoveryOptions} on, a client that lost its connection
 * and comes back with {@code 40{"pid":..,"offset":..}} gets its socket id, rooms and data back,
 * and first the events it missed, once each and in order. Without it, or with an unknown or spent
 * pid, the client gets a fresh socket.
 */
class SocketIoRecoveryTest extends SioTestSupport {

    private final BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    /** The offset of the last event {@link #dropAfterOneEvent} received. */
    private String lastOffset;

    @Override
    protected TestServer startServer() throws InterruptedException {
        return TestServer.start(o -> o.recovery(RecoveryOptions.defaults()));
    }

    @BeforeEach
    void handlers() {
        record(server.io());
    }

    private void record(SocketIoServer io) {
        io.onConnection(connections::add);
        io.onDisconnect((socket, reason) -> disconnects.add(reason));
    }

    /** A CONNECT reply's sid and pid (exactly those two keys). */
    private record Session(String sid, String pid) {
    }

    private static Session session(String reply) {
        JsonNode body = SioClient.connectReply(reply, "");
        assertThat(SioClient.fieldNames(body)).as("keys of %s", reply).containsExactly("sid", "pid");
        assertThat(body.get("pid").isTextual()).isTrue();
        return new Session(body.get("sid").textValue(), body.get("pid").textValue());
    }

    /** An event frame {@code 42[event,...args,offset]}: checks event and args, returns the offset. */
    private static String offsetOf(String frame, String event, Object... args) {
        assertThat(frame).startsWith("42[");
        JsonNode array = SioClient.json(frame.substring(2));
        assertThat(array.size()).as("event, args and offset in %s", frame).isEqualTo(args.length + 2);
        assertThat(array.get(0).asText()).isEqualTo(event);
        for (int i = 0; i < args.length; i++) {
            assertThat(array.get(i + 1)).isEqualTo(SioClient.JSON.valueToTree(args[i]));
        }
        JsonNode offset = array.get(array.size() - 1);
        assertThat(offset.isTextual()).as("offset in %s", frame).isTrue();
        return offset.textValue();
    }

    /** Connects, receives one event (its offset kept in {@link #lastOffset}), then drops the connection. */
    private Session dropAfterOneEvent() {
        SioClient client = open();
        client.send("40");
        Session session = session(client.next());
        take(connections);
        server.io().emit("seen");
        lastOffset = offsetOf(client.next(), "seen");
        client.close();
        assertThat(take(disconnects)).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);
        return session;
    }

    /** The CONNECT that asks to recover {@code session} from {@link #lastOffset}. */
    private String comeback(Session session) {
        return "40{\"pid\":\"" + session.pid() + "\",\"offset\":\"" + lastOffset + "\"}";
    }

    @Test
    void theConnectReplyCarriesAPrivateId() {
        SioClient client = open();
        client.send("40");

        Session session = session(client.next());

        assertThat(session.pid()).isNotEqualTo(session.sid());
        assertThat(take(connections).recovered()).isFalse();
    }

    @Test
    void storedEventsCarryAnOffsetAsTheirLastArgument() {
        SioClient client = open();
        client.send("40");
        session(client.next());
        Socket socket = take(connections);
        socket.join("room");

        server.io().emit("all", 1);
        socket.emit("own", "a");
        server.io().to("room").emit("room", true);
        String first = offsetOf(client.next(), "all", 1);
        String second = offsetOf(client.next(), "own", "a");
        String third = offsetOf(client.next(), "room", true);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();

        // not stored, so no offset: volatile events and events that ask for an ack
        socket.asVolatile().emit("volatile", 2);
        assertThat(client.next()).isEqualTo("42[\"volatile\",2]");
        socket.emitWithAck("question");
        assertThat(client.next()).matches("42\\d+\\[\"question\"]");
    }

    @Test
    void aClientThatComesBackRecoversItsSocketAndTheEventsItMissed() throws InterruptedException {
        SioClient client = open();
        client.send("40");
        Session session = session(client.next());
        Socket before = take(connections);
        before.join("room");
        before.setData(Map.of("user", "ann"));
        server.io().emit("seen", 0);
        String offset = offsetOf(client.next(), "seen", 0);

        client.close();
        assertThat(take(disconnects)).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);
        server.io().emit("missed", 1);
        server.io().to("room").emit("missed", 2);
        server.io().to("elsewhere").emit("not for it", 3);
        server.io().except("room").emit("not for it", 4);
        server.io().emit("missed", 5);

        SioClient back = open();
        back.send("40{\"pid\":\"" + session.pid() + "\",\"offset\":\"" + offset + "\"}");

        // the missed events first, in order, then the CONNECT reply with the same ids, then nothing
        offsetOf(back.next(), "missed", 1);
        offsetOf(back.next(), "missed", 2);
        String missedOffset = offsetOf(back.next(), "missed", 5);
        assertThat(session(back.next())).isEqualTo(session);
        back.assertSilentFor(Duration.ofMillis(100));

        Socket after = take(connections);
        assertThat(after.recovered()).isTrue();
        assertThat(after.id()).isEqualTo(session.sid());
        assertThat(after.rooms()).containsExactlyInAnyOrder(session.sid(), "room");
        JsonNode data = SioClient.JSON.valueToTree(after.data());
        assertThat(data).isEqualTo(SioClient.json("{\"user\":\"ann\"}"));
        assertThat(server.io().sockets().sockets()).containsOnlyKeys(session.sid());

        // and it carries on as before
        server.io().to("room").emit("live", 6);
        assertThat(offsetOf(back.next(), "live", 6)).isNotEqualTo(missedOffset);
    }

    @Test
    void aClientThatMissedNothingRecoversWithJustTheConnectReply() throws InterruptedException {
        Session session = dropAfterOneEvent();

        SioClient back = open();
        back.send(comeback(session));

        assertThat(session(back.next())).isEqualTo(session);
        assertThat(take(connections).recovered()).isTrue();
        back.assertSilentFor(Duration.ofMillis(100));
    }

    @Test
    void anUnknownPidGetsAFreshSocket() {
        SioClient client = open();

        client.send("40{\"pid\":\"no-such-pid\",\"offset\":\"0-1\"}");

        Session fresh = session(client.next());
        assertThat(fresh.pid()).isNotEqualTo("no-such-pid");
        Socket socket = take(connections);
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.id()).isEqualTo(fresh.sid());
    }

    @Test
    void aSessionIsRecoveredOnlyOnce() {
        Session session = dropAfterOneEvent();

        SioClient first = open();
        first.send(comeback(session));
        assertThat(session(first.next())).isEqualTo(session);
        SioClient second = open();
        second.send(comeback(session));

        Session other = session(second.next());
        assertThat(other.sid()).isNotEqualTo(session.sid());
        assertThat(take(connections).recovered()).isTrue();
        assertThat(take(connections).recovered()).isFalse();
    }

    @Test
    void aClientThatLeftOnPurposeCannotRecover() {
        SioClient client = open();
        client.send("40");
        Session session = session(client.next());
        take(connections);
        server.io().emit("seen");
        String offset = offsetOf(client.next(), "seen");

        client.send("41");
        assertThat(take(disconnects)).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        client.send("40{\"pid\":\"" + session.pid() + "\",\"offset\":\"" + offset + "\"}");

        assertThat(session(client.next()).sid()).isNotEqualTo(session.sid());
        assertThat(take(connections).recovered()).isFalse();
    }

    @Test
    void aRecoveredSocketSkipsTheMiddlewaresByDefault() {
        List<String> middlewareCalls = new CopyOnWriteArrayList<>();
        server.io().use((socket, next) -> {
            middlewareCalls.add(socket.id());
            next.proceed();
        });
        Session session = dropAfterOneEvent();

        SioClient back = open();
        back.send(comeback(session));

        assertThat(session(back.next())).isEqualTo(session);
        assertThat(middlewareCalls).hasSize(1);
    }

    @Test
    void aRecoveredSocketRunsTheMiddlewaresWhenAskedTo() throws Exception {
        restart(TestServer.start(o -> o.recovery(new RecoveryOptions(Duration.ofMinutes(1), false))));
        record(server.io());
        List<String> middlewareCalls = new CopyOnWriteArrayList<>();
        server.io().use((socket, next) -> {
            middlewareCalls.add(socket.recovered() + " " + socket.id());
            if (socket.recovered()) {
                next.reject("no comeback");
            } else {
                next.proceed();
            }
        });
        Session session = dropAfterOneEvent();

        SioClient back = open();
        back.send(comeback(session));

        assertThat(back.next()).isEqualTo("44{\"message\":\"no comeback\"}");
        assertThat(middlewareCalls).containsExactly("false " + session.sid(), "true " + session.sid());
        assertThat(server.io().sockets().sockets()).isEmpty();
    }

    @Test
    void eventsEmittedFromAnotherThreadArriveOnceAndInOrderAcrossRecoveries() throws Exception {
        AtomicLong ticks = new AtomicLong();
        ScheduledExecutorService emitter = Executors.newSingleThreadScheduledExecutor();
        try {
            emitter.scheduleAtFixedRate(() -> server.io().emit("tick", ticks.getAndIncrement()), 0, 1, TimeUnit.MILLISECONDS);
            long expected = -1;
            Session session = null;
            String offset = null;
            for (int round = 0; round < 5; round++) {
                SioClient client = open();
                client.send(session == null ? "40" : "40{\"pid\":\"" + session.pid() + "\",\"offset\":\"" + offset + "\"}");
                // missed ticks, the CONNECT reply, then live ticks: one unbroken sequence
                int liveTicks = -1;
                while (liveTicks < 30) {
                    String frame = client.next();
                    if (frame.startsWith("40")) {
                        Session reply = session(frame);
                        assertThat(session == null || reply.equals(session)).as("round %d same ids", round).isTrue();
                        assertThat(take(connections).recovered()).as("round %d recovered", round).isEqualTo(round > 0);
                        session = reply;
                        liveTicks = 0;
                        continue;
                    }
                    JsonNode tick = SioClient.json(frame.substring(2));
                    assertThat(tick.get(0).asText()).isEqualTo("tick");
                    long n = tick.get(1).asLong();
                    assertThat(expected < 0 || n == expected).as("round %d: tick %d after %d", round, n, expected - 1).isTrue();
                    expected = n + 1;
                    offset = tick.get(2).asText();
                    if (liveTicks >= 0) {
                        liveTicks++;
                    }
                }
                client.close();
                assertThat(take(disconnects)).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);
            }
        } finally {
            emitter.shutdownNow();
        }
    }

    @Test
    void withoutRecoveryTheConnectReplyHasOnlyTheSidAndEventsNoOffset() throws Exception {
        restart(TestServer.start());
        record(server.io());
        SioClient client = open();

        client.send("40{\"pid\":\"p\",\"offset\":\"o\"}");

        SioClient.sidOf(client.next(), "");
        Socket socket = take(connections);
        assertThat(socket.recovered()).isFalse();
        server.io().emit("plain", 1);
        socket.emit("own", 2);
        assertThat(client.next()).isEqualTo("42[\"plain\",1]");
        assertThat(client.next()).isEqualTo("42[\"own\",2]");
    }
}
