package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.SocketIoClient.Received;
import io.wsk.testkit.SwitchingProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two wsk nodes on the Redis Streams adapter, with connection state recovery, and official
 * clients: what the cluster does (broadcasts, rooms, except, binary, fetchSockets, serverSideEmit
 * with acks) crosses nodes through the stream and pub/sub, and a client that loses its node and
 * comes back, through a proxy, to the other one, gets its session and every broadcast it missed,
 * once each and in order, while broadcasts go on.
 */
class StreamsClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private RedisServer redis;
    private WskNode a;
    private WskNode b;
    private final Clients clients = new Clients();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        redis = RedisServer.start();
        a = WskNode.builder(redis.url()).name("a").streams(RedisStreamsAdapterOptions.defaults()).recovery(WINDOW).start();
        b = WskNode.builder(redis.url()).name("b").streams(RedisStreamsAdapterOptions.defaults()).recovery(WINDOW).start();
        a.awaitServerCount(2);
        b.awaitServerCount(2);
    }

    @AfterEach
    void stop() {
        clients.close();
        for (AutoCloseable closeable : cleanup) {
            try {
                closeable.close();
            } catch (Exception e) {
                // the rest matters more
            }
        }
        for (AutoCloseable closeable : new AutoCloseable[]{a, b, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the rest matters more
            }
        }
    }

    @Test
    void broadcastsRoomsExceptAndBinaryCrossNodesThroughTheStream() {
        List<SocketIoClient> onA = new ArrayList<>();
        List<SocketIoClient> onB = new ArrayList<>();
        clients.connectAll(onA, a.url());
        clients.connectAll(onB, b.url(), b.url());
        onB.get(0).emitWithAck("join", "room").await();

        a.io().emit("all", 1);
        for (SocketIoClient client : List.of(onA.get(0), onB.get(0), onB.get(1))) {
            Received all = client.awaitReceived("all");
            assertThat(all.args().get(0).asInt()).isEqualTo(1);
            assertThat(all.args().get(1).asText()).as("the stream offset, appended with recovery on").matches("\\d+-\\d+");
        }
        a.io().to("room").emit("inRoom", new byte[]{1, 2, 3});
        assertThat(onB.get(0).awaitReceived("inRoom").bytes(0)).containsExactly(1, 2, 3);
        a.io().except("room").emit("notInRoom");
        onB.get(1).awaitReceived("notInRoom");
        onA.get(0).awaitReceived("notInRoom");
        a.io().emit("marker");
        Clients.assertNothingBefore(onB.get(0), "marker", "notInRoom");
        assertThat(onB.get(1).allReceived("inRoom")).isEmpty();
    }

    @Test
    void fetchSocketsAndServerSideEmitWithAcksCrossNodes() throws Exception {
        List<SocketIoClient> connected = new ArrayList<>();
        List<String> ids = clients.connectAll(connected, a.url(), b.url());
        assertThat(a.io().fetchSockets().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .extracting(RemoteSocket::id).containsExactlyInAnyOrderElementsOf(ids);
        b.answerServerSideEmit("ping", "pong-b");
        List<JsonNode> replies = a.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(5), "ping")
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(replies).extracting(JsonNode::asText).containsExactly("pong-b");
    }

    /**
     * The client is on a, behind a proxy; b broadcasts 200 numbered events a second. The proxy
     * cuts the client's connection and sends its reconnection to b: it must come back recovered,
     * with every number once and in order.
     */
    @Test
    void aClientThatMovesToTheOtherNodeRecoversEverythingInOrder() throws Exception {
        SwitchingProxy proxy = SwitchingProxy.to(a.port());
        cleanup.add(proxy);
        SocketIoClient client = clients.connect(proxy.url());
        SocketIoClient.Connect first = client.awaitConnect();
        client.emitWithAck("join", "numbers").await();

        Thread publisher = publish(b, 2_000, 200);
        Thread.sleep(2_000);
        proxy.switchTo(b.port());
        proxy.cutAll();
        SocketIoClient.Connect again = client.awaitConnect();
        publisher.join(30_000);
        await().atMost(TIMEOUT).until(() -> client.allReceived("n").size() >= 2_000);

        assertThat(again.recovered()).as("recovered on the other node").isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        List<Integer> numbers = client.allReceived("n").stream().map(r -> r.args().get(0).asInt()).toList();
        assertThat(describeGaps(numbers, 2_000)).as("every number once, in order").isEmpty();
        // and its room came with it: a room broadcast from a reaches it on b
        a.io().to("numbers").emit("roomAfter");
        client.awaitReceived("roomAfter");
    }

    /** A client whose offset is no longer in the stream (trimmed) comes back with a new session, at once. */
    @Test
    void aClientWhoseOffsetWasTrimmedAwayGetsANewSession() throws Exception {
        SwitchingProxy proxy = SwitchingProxy.to(a.port());
        cleanup.add(proxy);
        SocketIoClient client = clients.connect(proxy.url());
        SocketIoClient.Connect first = client.awaitConnect();
        a.io().emit("seen");
        client.awaitReceived("seen");
        proxy.switchTo(b.port());
        redis.command("XTRIM", "socket.io", "MAXLEN", "0");
        proxy.cutAll();

        SocketIoClient.Connect again = client.awaitConnect(Duration.ofSeconds(20));
        assertThat(again.recovered()).isFalse();
        assertThat(again.id()).isNotEqualTo(first.id());
        b.io().emit("fresh");
        client.awaitReceived("fresh");
    }

    /**
     * Redis restarts without its data (no persistence): the readers neither crash nor wedge and
     * read the new stream from its first entry, what was broadcast during the outage arrives in
     * order, and a client whose offset went with the old stream gets a new session at once.
     */
    @Test
    void afterARedisRestartThatLostTheStreamReadersGoOnAndOldOffsetsGetNewSessions() throws Exception {
        SwitchingProxy proxy = SwitchingProxy.to(a.port());
        cleanup.add(proxy);
        SocketIoClient moving = clients.connect(proxy.url());
        SocketIoClient.Connect first = moving.awaitConnect();
        SocketIoClient onB = clients.connect(b.url());
        onB.awaitConnect();
        onB.emitWithAck("join", "outage").await(); // the moving client keeps its offset of "seen"
        a.io().emit("seen");
        moving.awaitReceived("seen");
        onB.awaitReceived("seen");

        redis.kill();
        for (int i = 0; i < 5; i++) {
            a.io().to("outage").emit("during", i); // queued by the bus until Redis is back
        }
        redis.restart();
        for (int i = 5; i < 10; i++) {
            a.io().to("outage").emit("during", i);
        }
        assertThat(redis.command("EXISTS", "socket.io")).as("the old stream is gone").isEqualTo(0L);
        await("the outage's broadcasts reached the other node").atMost(Duration.ofSeconds(20))
                .until(() -> onB.allReceived("during").size() >= 10);
        assertThat(onB.allReceived("during")).extracting(r -> r.args().get(0).asInt())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        proxy.switchTo(b.port());
        proxy.cutAll();
        long asked = System.nanoTime();
        SocketIoClient.Connect again = moving.awaitConnect(Duration.ofSeconds(20));
        assertThat(again.recovered()).as("its offset went with the old stream").isFalse();
        assertThat(again.id()).isNotEqualTo(first.id());
        System.out.printf("streams, Redis restarted empty: old offset answered with a new session in %d ms%n",
                (System.nanoTime() - asked) / 1_000_000);
        b.io().emit("fresh");
        moving.awaitReceived("fresh");
        onB.awaitReceived("fresh");
    }

    /**
     * The client comes back to the same node while its old connection still seems alive there
     * (half-open): the restore replaces the stale socket, whose end must not take the new one's
     * rooms or saved session with it.
     */
    @Test
    void aClientBackOnTheSameNodeBeforeItsOldConnectionEndedKeepsItsRoomsAndSession() throws Exception {
        SwitchingProxy proxy = SwitchingProxy.to(a.port());
        cleanup.add(proxy);
        SocketIoClient client = clients.connect(proxy.url());
        SocketIoClient.Connect first = client.awaitConnect();
        client.emitWithAck("join", "numbers").await();
        a.io().to("numbers").emit("n", 0);
        client.awaitReceived("n");
        proxy.abandonClients();

        SocketIoClient.Connect again = client.awaitConnect(Duration.ofSeconds(20));
        assertThat(again.recovered()).isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        await("the stale socket closed").atMost(TIMEOUT)
                .until(() -> a.io().sockets().sockets().get(first.id()) != null && a.io().engine().sessionCount() == 1);
        for (int i = 1; i <= 3; i++) {
            a.io().to("numbers").emit("n", i);
            b.io().to("numbers").emit("n", i + 100);
        }
        await().atMost(TIMEOUT).until(() -> client.allReceived("n").size() == 7);
        // its session is still saved as a live one: a move to b now recovers it
        Thread.sleep(300);
        proxy.switchTo(b.port());
        proxy.cutAll();
        assertThat(client.awaitConnect(Duration.ofSeconds(20)).recovered()).isTrue();
        a.io().to("numbers").emit("n", 9);
        await().atMost(TIMEOUT).until(() -> client.allReceived("n").stream().anyMatch(r -> r.args().get(0).asInt() == 9));
    }

    /** The node's own disconnectSockets goes through the stream after its emit: the emit arrives first, here too. */
    @Test
    void anEmitThenADisconnectReachLocalClientsInThatOrder() {
        SocketIoClient onA = clients.connect(a.url());
        onA.awaitConnect();
        onA.emitWithAck("join", "r").await();
        a.io().to("r").emit("kicked");
        a.io().in("r").disconnectSockets(false);
        assertThat(onA.awaitDisconnect()).isEqualTo("io server disconnect");
        assertThat(onA.allReceived("kicked")).hasSize(1);
    }

    /** Where {@code numbers} is not exactly 0..count-1: each break in the run, as "after X came Y". */
    static List<String> describeGaps(List<Integer> numbers, int count) {
        List<String> gaps = new ArrayList<>();
        int expected = 0;
        for (int n : numbers) {
            if (n != expected) {
                gaps.add("after " + (expected - 1) + " came " + n);
            }
            expected = n + 1;
        }
        if (expected != count) {
            gaps.add("ended at " + (expected - 1) + " of " + (count - 1));
        }
        return gaps;
    }

    /** Emits {@code n} with 0..count-1 to room {@code numbers} from {@code node}, {@code perSecond} a second. */
    static Thread publish(WskNode node, int count, int perSecond) {
        Thread publisher = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + i * 1_000_000_000L / perSecond;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                node.io().to("numbers").emit("n", i);
            }
        }, "publisher");
        publisher.start();
        return publisher;
    }

    static Map<String, Object> websocketOnly() {
        return Map.of("transports", List.of("websocket"));
    }
}
