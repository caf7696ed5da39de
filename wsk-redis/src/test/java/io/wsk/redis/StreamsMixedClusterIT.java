package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.NodeSocketIoServer;
import io.wsk.testkit.NodeSocketIoServer.Acks;
import io.wsk.testkit.NodeSocketIoServer.FetchedSocket;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.SocketIoClient.Connect;
import io.wsk.testkit.SocketIoClient.Received;
import io.wsk.testkit.SwitchingProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A wsk node and an official Node server on {@code @socket.io/redis-streams-adapter} 0.3.1, both
 * with connection state recovery, in one cluster: broadcasts (rooms, except, binary),
 * fetchSockets and serverSideEmit with acks cross both ways, and a client recovers its session on
 * a Node node after leaving a wsk node, and the other way round (the sessions and offsets of one
 * are the other's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsMixedClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] BYTES = {0, 1, 2, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};

    private RedisServer redis;
    private WskNode w;
    private NodeSocketIoServer n;
    private final Clients clients = new Clients();
    private final List<AutoCloseable> proxies = new ArrayList<>();

    @BeforeAll
    void startCluster() throws InterruptedException {
        redis = RedisServer.start();
        n = NodeSocketIoServer.builder(redis.url()).name("n").streams()
                .serverOption("connectionStateRecovery", Map.of("maxDisconnectionDuration", 30_000, "skipMiddlewares", true))
                .start();
        w = WskNode.builder(redis.url()).name("w").streams(RedisStreamsAdapterOptions.defaults())
                .recovery(Duration.ofSeconds(30)).start();
        n.awaitServerCount(2, WskNode.CLUSTER_UP);
        w.awaitServerCount(2);
    }

    @AfterAll
    void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[]{w, n, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the rest matters more
            }
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
        for (AutoCloseable proxy : proxies) {
            proxy.close();
        }
        proxies.clear();
    }

    @Test
    void broadcastsCrossBothWaysWithRoomsExceptionsAndBinary() {
        SocketIoClient onW = clients.connect(w.url());
        SocketIoClient onN = clients.connect(n.url());
        String idW = onW.awaitConnect().id();
        onN.awaitConnect();
        onW.emitWithAck("join", "r").await();
        onN.emitWithAck("join", "nOnly").await();

        w.io().emit("fromWsk", 1, BYTES);
        n.emit("fromNode", "x", BYTES);
        for (SocketIoClient client : List.of(onW, onN)) {
            Received fromWsk = client.awaitReceived("fromWsk");
            assertThat(fromWsk.bytes(1)).isEqualTo(BYTES);
            assertThat(fromWsk.args().get(2).asText()).as("an offset").matches("\\d+-\\d+");
            Received fromNode = client.awaitReceived("fromNode");
            assertThat(fromNode.bytes(1)).isEqualTo(BYTES);
            assertThat(fromNode.args().get(2).asText()).matches("\\d+-\\d+");
        }
        n.to("r").emit("nodeToR");
        onW.awaitReceived("nodeToR");
        n.except("nOnly").emit("nodeExceptN");
        onW.awaitReceived("nodeExceptN");
        w.io().to("nOnly").emit("wskToNOnly", BYTES);
        assertThat(onN.awaitReceived("wskToNOnly").bytes(0)).isEqualTo(BYTES);
        w.io().except(idW).emit("wskExceptW");
        onN.awaitReceived("wskExceptW");

        n.emit("mark");
        w.io().emit("mark");
        for (SocketIoClient client : List.of(onW, onN)) {
            client.awaitReceived("mark");
            client.awaitReceived("mark");
        }
        assertThat(onN.allReceived("nodeToR")).isEmpty();
        assertThat(onN.allReceived("nodeExceptN")).isEmpty();
        assertThat(onW.allReceived("wskToNOnly")).isEmpty();
        assertThat(onW.allReceived("wskExceptW")).isEmpty();
    }

    @Test
    void fetchSocketsAndServerSideEmitWithAcksBothWays() throws Exception {
        SocketIoClient onW = clients.connect(w.url(), Map.of("who", "wsk-client"));
        SocketIoClient onN = clients.connect(n.url(), Map.of("who", "node-client"));
        String idW = onW.awaitConnect().id();
        String idN = onN.awaitConnect().id();

        List<RemoteSocket> fromWsk = w.io().fetchSockets().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(fromWsk).extracting(RemoteSocket::id).containsExactlyInAnyOrder(idW, idN);
        assertThat(fromWsk.stream().filter(s -> s.id().equals(idN)).findFirst().orElseThrow().data().path("who").asText())
                .isEqualTo("node-client");
        List<FetchedSocket> fromNode = n.fetchSockets();
        assertThat(fromNode).extracting(FetchedSocket::id).containsExactlyInAnyOrder(idW, idN);

        BlockingQueue<ArrayNode> onWsk = w.answerServerSideEmit("fromNode", "w");
        Acks answers = n.serverSideEmitWithAck("fromNode", 3).await();
        assertThat(answers.ok()).extracting(JsonNode::asText).containsExactly("w");
        assertThat(onWsk.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0).asInt()).isEqualTo(3);
        List<JsonNode> replies = w.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(5), "fromWsk", 4)
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(replies).extracting(JsonNode::asText).containsExactly("n");
    }

    @Test
    void aClientRecoversOnANodeNodeAfterLeavingAWskNode() throws Exception {
        moveAndRecover(w.port(), n.port(), i -> w.io().to("numbers").emit("n", i));
    }

    @Test
    void aClientRecoversOnAWskNodeAfterLeavingANodeNode() throws Exception {
        moveAndRecover(n.port(), w.port(), i -> n.to("numbers").emit("n", i));
    }

    /**
     * A client behind a proxy on {@code fromPort} joins {@code numbers} and gets 0..49; its
     * connection is cut and its reconnections refused while 50..99 are broadcast; then it may
     * reach {@code toPort}: it must come back recovered, same id, with 50..99 first, then 100..149.
     */
    private void moveAndRecover(int fromPort, int toPort, IntConsumer broadcast) throws Exception {
        SwitchingProxy proxy = SwitchingProxy.to(fromPort);
        proxies.add(proxy);
        SocketIoClient client = clients.connect(proxy.url());
        Connect first = client.awaitConnect();
        client.emitWithAck("join", "numbers").await();
        for (int i = 0; i < 50; i++) {
            broadcast.accept(i);
        }
        await().atMost(TIMEOUT).until(() -> client.allReceived("n").size() == 50);

        proxy.switchTo(closedPort());
        proxy.cutAll();
        client.awaitDisconnect();
        for (int i = 50; i < 100; i++) {
            broadcast.accept(i);
        }
        Thread.sleep(500); // for the other node to read them from the stream too
        proxy.switchTo(toPort);
        Connect again = client.awaitConnect(Duration.ofSeconds(20));
        for (int i = 100; i < 150; i++) {
            broadcast.accept(i);
        }
        await().atMost(TIMEOUT).until(() -> client.allReceived("n").size() >= 150);

        assertThat(again.recovered()).as("recovered").isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(client.allReceived("n")).extracting(r -> r.args().get(0).asInt())
                .containsExactlyElementsOf(IntStream.range(0, 150).boxed().toList());
    }

    /**
     * With {@code streamCount} 2 on both sides, each namespace goes to the stream the reference's
     * hash picks, and both sides pick the same: broadcasts of two namespaces cross either way.
     */
    @Test
    void severalStreamsAreSharedByNamespaceHashWithNode() throws Exception {
        try (RedisServer own = RedisServer.start();
             NodeSocketIoServer node = NodeSocketIoServer.builder(own.url()).name("n2").streams()
                     .adapterOption("streamCount", 2).namespaces("/chat", "/admin").start();
             WskNode wsk = WskNode.builder(own.url()).name("w2").namespaces("/chat", "/admin")
                     .streams(RedisStreamsAdapterOptions.defaults().withStreamCount(2)).start()) {
            wsk.awaitServerCount(2);
            RedisStreamsAdapterOptions two = RedisStreamsAdapterOptions.defaults().withStreamCount(2);
            assertThat(two.streamOf("/chat")).isNotEqualTo(two.streamOf("/admin")).as("two streams in use");
            for (String nsp : List.of("/chat", "/admin")) {
                SocketIoClient onW = clients.connect(wsk.url(nsp));
                SocketIoClient onN = clients.connect(node.url(nsp));
                onW.awaitConnect();
                onN.awaitConnect();
                wsk.io().of(nsp).emit("fromWsk", nsp);
                node.of(nsp).emit("fromNode", nsp);
                assertThat(onN.awaitReceived("fromWsk").string(0)).isEqualTo(nsp);
                assertThat(onW.awaitReceived("fromNode").string(0)).isEqualTo(nsp);
            }
            assertThat(own.command("EXISTS", two.streamOf("/chat"), two.streamOf("/admin"))).isEqualTo(2L);
        }
    }

    /** A loopback port nothing listens on: the proxy refuses connections there. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
