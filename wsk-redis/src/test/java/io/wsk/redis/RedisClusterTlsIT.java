package io.wsk.redis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.RedisCluster;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code rediss-cluster://} for real: a Redis Cluster over TLS only (clients, replication and the
 * cluster bus; {@code --port 0 --tls-port}, {@code --tls-cluster yes}) with certificates from a
 * throwaway CA that the JVM's trust store is made to hold ({@link TrustedCa}), and the nodes
 * announcing 127.0.0.1, the certificates' subject alternative name, so Lettuce's host name check
 * passes. Two wsk nodes log in as a restricted ACL user ({@link RedisAcl}): each adapter's
 * broadcasts, rooms on another master, fetchSockets and serverSideEmit cross nodes, and no node
 * of the cluster refused the user anything ({@code ACL LOG}).
 */
class RedisClusterTlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestCa ca;
    private static TrustedCa trusted;
    private static RedisCluster cluster;
    private final Opened open = new Opened();
    private final Clients clients = new Clients();

    @BeforeAll
    static void startCluster() {
        ca = TestCa.create("wsk redis cluster test CA");
        trusted = new TrustedCa(ca);
        cluster = RedisCluster.start(RedisServer.Tls.from(ca));
        cluster.nodes().forEach(RedisAcl::create);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (trusted != null) {
            trusted.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    @BeforeEach
    void forgetDenials() {
        cluster.nodes().forEach(RedisAcl::resetLog);
    }

    @AfterEach
    void stop() {
        clients.close();
        open.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return open.keep(resource);
    }

    private static List<String> denials() {
        List<String> denied = new ArrayList<>();
        cluster.nodes().forEach(node -> denied.addAll(RedisAcl.denials(node)));
        return denied;
    }

    /** A room whose channel ({@code socket.io#/#<room>#}) is on another master than the namespace's. */
    private static String roomOnAnotherMaster() {
        RedisServer main = cluster.masterOf(cluster.slot("socket.io#/#"));
        for (int i = 0; i < 100; i++) {
            if (cluster.masterOf(cluster.slot("socket.io#/#r" + i + "#")) != main) {
                return "r" + i;
            }
        }
        throw new IllegalStateException("no room on another master");
    }

    @ParameterizedTest
    @EnumSource(AdapterKind.class)
    void twoNodesShareBroadcastsRoomsFetchSocketsAndServerSideEmitOverTlsAsARestrictedUser(AdapterKind kind) throws Exception {
        String url = cluster.url(RedisAcl.USER_INFO);
        assertThat(url).startsWith("rediss-cluster://");
        WskNode a = keep(kind.node(url, "a").start());
        WskNode b = keep(kind.node(url, "b").start());
        a.awaitServerCount(2);
        b.awaitServerCount(2);
        await("both nodes connected").atMost(TIMEOUT).until(() -> a.bus().isConnected() && b.bus().isConnected());

        SocketIoClient onB = clients.connect(b.url());
        String id = onB.awaitConnect().id();
        String room = roomOnAnotherMaster();
        onB.emitWithAck("join", room).await();
        await("a broadcast from a reaches b's client").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.io().emit("all", 1);
            return !onB.allReceived("all").isEmpty();
        });
        await("room " + room).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.io().to(room).emit("in", room);
            return !onB.allReceived("in").isEmpty();
        });
        List<RemoteSocket> sockets = a.io().in(room).fetchSockets().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(sockets).extracting(RemoteSocket::id).containsExactly(id);
        BlockingQueue<ArrayNode> onNodeB = b.answerServerSideEmit("sse", "b");
        a.io().serverSideEmit("sse", 7);
        assertThat(onNodeB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("b heard a's server-side event").isNotNull();

        assertThat(denials()).as("what the cluster refused user %s (ACL LOG)", RedisAcl.USER).isEmpty();
    }

    /**
     * A user the classic adapter's pattern is not allowed to: the node says so once (WARN, with
     * Redis's reason), is not connected meanwhile, and asks again every few seconds rather than in
     * a loop; once the ACL allows it, the node subscribes and is connected.
     */
    @Test
    void aSubscriptionRefusedToTheUserIsSaidRetriedCalmlyAndTakenOnceAllowed() throws Exception {
        String narrow = "narrow";
        List<String> rules = RedisAcl.RULES.stream().filter(rule -> !rule.equals("&socket.io#/#*")).toList();
        cluster.nodes().forEach(node -> RedisAcl.create(node, narrow, rules));
        try (CapturedLog log = new CapturedLog()) {
            WskNode a = keep(AdapterKind.CLASSIC.node(cluster.url(narrow + ":" + RedisAcl.PASSWORD + "@"), "a").start());
            await("the refusal said").atMost(TIMEOUT)
                    .until(() -> log.count("refused PSUBSCRIBE socket.io#/#*: NOPERM") > 0);
            Thread.sleep(2_000);
            assertThat(a.bus().isConnected()).as("connected without its broadcast pattern").isFalse();
            long refusals = cluster.nodes().stream().mapToLong(n -> RedisAcl.refusals(n, narrow, "socket.io#/#*")).sum();
            assertThat(refusals).as("PSUBSCRIBE refused, asked again").isBetween(1L, 3L);
            assertThat(log.count("refused PSUBSCRIBE")).as("said once").isEqualTo(1);

            cluster.nodes().forEach(node -> node.command("ACL", "SETUSER", narrow, "&socket.io#/#*"));
            await("subscribed once allowed").atMost(TIMEOUT).until(() -> a.bus().isConnected());
            assertThat(log.count("Redis took PSUBSCRIBE socket.io#/#* now")).isEqualTo(1);
            assertThat(log.lines()).as("not an outage").noneMatch(line -> line.contains("lost Redis")
                    || line.contains("wait for their slot's master"));
        } finally {
            cluster.nodes().forEach(node -> node.command("ACL", "DELUSER", narrow));
        }
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefusedWithTheReason() {
        try (TestCa other = TestCa.create("another CA"); TrustedCa untrusting = new TrustedCa(other)) {
            assertThatThrownBy(() -> new RedisBus(cluster.url(RedisAcl.USER_INFO), 10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot use the Redis Cluster");
        } // closing it trusts the cluster's CA again
    }
}
