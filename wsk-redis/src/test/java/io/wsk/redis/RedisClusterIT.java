package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.FreePorts;
import io.wsk.testkit.NodeSocketIoServer;
import io.wsk.testkit.RedisCluster;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The three Redis adapters on a real Redis Cluster (three masters, three replicas:
 * {@link RedisCluster}), two wsk nodes given its seeds ({@code redis-cluster://...}): broadcasts,
 * rooms whose channels are on different masters, fetchSockets and serverSideEmit across nodes,
 * the {@link Emitter}; and seeds that are not a cluster, or not there, refused with what is wrong.
 */
class RedisClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static RedisCluster cluster;
    private final Opened open = new Opened();
    private final Clients clients = new Clients();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void stop() {
        clients.close();
        open.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return open.keep(resource);
    }

    /** Two rooms whose dynamic channels ({@code socket.io#/#<room>#}) hash to slots of different masters. */
    private static List<String> roomsOnTwoMasters() {
        String first = "r0";
        RedisServer firstMaster = cluster.masterOf(cluster.slot("socket.io#/#" + first + "#"));
        for (int i = 1; i < 100; i++) {
            String room = "r" + i;
            if (cluster.masterOf(cluster.slot("socket.io#/#" + room + "#")) != firstMaster) {
                return List.of(first, room);
            }
        }
        throw new IllegalStateException("no two rooms on different masters");
    }

    @ParameterizedTest
    @EnumSource(AdapterKind.class)
    void twoNodesShareBroadcastsRoomsFetchSocketsAndServerSideEmit(AdapterKind kind) throws Exception {
        WskNode a = keep(kind.node(cluster.url(), "a").start());
        WskNode b = keep(kind.node(cluster.url(), "b").start());
        a.awaitServerCount(2);
        b.awaitServerCount(2);
        await("both nodes connected").atMost(TIMEOUT).until(() -> a.bus().isConnected() && b.bus().isConnected());

        SocketIoClient onB = clients.connect(b.url());
        String id = onB.awaitConnect().id();
        List<String> rooms = roomsOnTwoMasters();
        for (String room : rooms) {
            onB.emitWithAck("join", room).await();
        }
        await("a broadcast from a reaches b's client").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.io().emit("all", 1);
            return !onB.allReceived("all").isEmpty();
        });
        for (String room : rooms) {
            // dynamic sharded nodes subscribe a room's channel when it gets its first member
            await("room " + room).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                a.io().to(room).emit("in", room);
                return onB.allReceived("in").stream().anyMatch(r -> r.args().get(0).asText().equals(room));
            });
        }

        List<RemoteSocket> sockets = get(a.io().fetchSockets());
        assertThat(sockets).extracting(RemoteSocket::id).containsExactly(id);
        assertThat(sockets.get(0).rooms()).contains(rooms.get(0), rooms.get(1));
        assertThat(get(a.io().in(rooms.get(1)).fetchSockets())).extracting(RemoteSocket::id).containsExactly(id);

        BlockingQueue<ArrayNode> onNodeB = b.answerServerSideEmit("sse", "b");
        a.io().serverSideEmit("sse", 7);
        ArrayNode heard = onNodeB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(heard).as("b heard a's server-side event").isNotNull();
        assertThat(heard.get(0).asInt()).isEqualTo(7);
        List<JsonNode> replies = get(a.io().sockets().serverSideEmitWithAck(Duration.ofSeconds(8), "sse", 8));
        assertThat(replies).extracting(JsonNode::asText).containsExactly("b");

        if (kind == AdapterKind.CLASSIC) {
            // The emitter publishes like a node: PUBLISH, which the cluster spreads to every node.
            RedisBus emitterBus = keep(new RedisBus(cluster.url(), 100));
            Emitter.create(emitterBus).to(rooms.get(1)).emit("fromEmitter", 9);
            assertThat(onB.awaitReceived("fromEmitter").args().get(0).asInt()).isEqualTo(9);
        }
    }

    /**
     * Node's {@code createShardedAdapter} on node-redis {@code createCluster} beside a wsk sharded
     * node: each counts two servers, and broadcasts (to all, to a room on another master) and
     * fetchSockets cross both ways.
     */
    @Test
    void aNodeShardedServerOnTheClusterSharesItWithWsk() throws Exception {
        NodeSocketIoServer n = keep(NodeSocketIoServer.builder(cluster.url()).name("n").sharded("dynamic").start());
        WskNode w = keep(AdapterKind.SHARDED.node(cluster.url(), "w").start());
        n.awaitServerCount(2, WskNode.CLUSTER_UP);
        w.awaitServerCount(2);
        SocketIoClient onN = clients.connect(n.url());
        SocketIoClient onW = clients.connect(w.url());
        String idN = onN.awaitConnect().id();
        String idW = onW.awaitConnect().id();
        String room = roomsOnTwoMasters().get(1);
        onN.emitWithAck("join", room).await();
        onW.emitWithAck("join", room).await();
        await("both nodes on the room's channel").atMost(TIMEOUT)
                .until(() -> cluster.masterOf(cluster.slot("socket.io#/#" + room + "#")).shardNumsub("socket.io#/#" + room + "#") == 2);

        w.io().emit("fromWsk", 1);
        n.emit("fromNode", 2);
        w.io().to(room).emit("wskToRoom", 3);
        n.to(room).emit("nodeToRoom", 4);
        for (SocketIoClient client : List.of(onN, onW)) {
            assertThat(client.awaitReceived("fromWsk").args().get(0).asInt()).isEqualTo(1);
            assertThat(client.awaitReceived("fromNode").args().get(0).asInt()).isEqualTo(2);
            assertThat(client.awaitReceived("wskToRoom").args().get(0).asInt()).isEqualTo(3);
            assertThat(client.awaitReceived("nodeToRoom").args().get(0).asInt()).isEqualTo(4);
        }
        assertThat(get(w.io().fetchSockets())).extracting(RemoteSocket::id).containsExactlyInAnyOrder(idN, idW);
        assertThat(n.fetchSockets()).extracting(NodeSocketIoServer.FetchedSocket::id).containsExactlyInAnyOrder(idN, idW);
    }

    @Test
    void aSeedThatIsNotAClusterIsRefusedWithWhatItIs() {
        RedisServer plain = keep(RedisServer.start());
        assertThatThrownBy(() -> new RedisBus("redis-cluster://" + RedisServer.HOST + ":" + plain.port(), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Redis Cluster")
                .hasMessageContaining("use redis://");
    }

    @Test
    void seedsThatDoNotAnswerAreRefusedWithTheReason() {
        int nobody = FreePorts.next();
        assertThatThrownBy(() -> new RedisBus("redis-cluster://" + RedisServer.HOST + ":" + nobody, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot use the Redis Cluster at Redis Cluster seeds 127.0.0.1:" + nobody);
        // A single Redis may come later: its bus waits, and says why it is not connected yet.
        RedisBus waiting = keep(new RedisBus("redis://" + RedisServer.HOST + ":" + nobody, 10));
        assertThat(waiting.isConnected()).isFalse();
        assertThat(waiting.lastConnectFailure()).containsIgnoringCase("refused");
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
