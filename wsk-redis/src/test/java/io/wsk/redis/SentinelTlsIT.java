package io.wsk.redis;

import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code rediss-sentinel://} for real: a master, a replica and three sentinels all over TLS only
 * ({@code --port 0 --tls-port}, replication and the sentinels' links over TLS with
 * {@code tls-replication yes}), certificates from a throwaway CA that the JVM's trust store is made
 * to hold ({@link TrustedCa}). Lettuce talks TLS to the sentinels and to the master they name.
 * Two wsk nodes log in to the master as the restricted ACL user ({@link RedisAcl}; the sentinels
 * have no users): each adapter's broadcasts cross nodes, nothing refused; then the master is
 * killed and both nodes follow the promoted replica, over TLS again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelTlsIT {

    private static final String MASTER = "mymaster";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestCa ca;
    private static TrustedCa trusted;
    private static final List<RedisServer> servers = new ArrayList<>();
    private static RedisServer master;
    private static RedisServer replica;
    private static final List<RedisServer> sentinels = new ArrayList<>();

    private final Opened open = new Opened();
    private final Clients clients = new Clients();

    @BeforeAll
    static void startRedis() {
        ca = TestCa.create("wsk redis sentinel test CA");
        trusted = new TrustedCa(ca);
        master = started(RedisServer.start(RedisServer.Tls.from(ca)));
        replica = started(RedisServer.replicaOf(master));
        RedisAcl.create(master);
        RedisAcl.create(replica);
        for (int i = 0; i < 3; i++) {
            sentinels.add(started(RedisServer.sentinel(MASTER, master, 2)));
        }
        await("the sentinels see the replica and each other").atMost(Duration.ofSeconds(20)).until(() ->
                sentinels.stream().allMatch(s -> ((List<?>) s.command("SENTINEL", "REPLICAS", MASTER)).size() == 1
                        && ((List<?>) s.command("SENTINEL", "SENTINELS", MASTER)).size() == 2));
    }

    private static RedisServer started(RedisServer server) {
        servers.add(server);
        return server;
    }

    @AfterAll
    static void stopRedis() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
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
        RedisAcl.resetLog(master);
    }

    @AfterEach
    void stop() {
        clients.close();
        open.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return open.keep(resource);
    }

    private static String url() {
        return "rediss-sentinel://" + RedisAcl.USER_INFO + String.join(",", sentinels.stream()
                .map(s -> RedisServer.HOST + ":" + s.port()).toList()) + "#" + MASTER;
    }

    private static String masterPort(RedisServer sentinel) {
        Object reply = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
        return reply instanceof List<?> address && address.size() == 2 ? String.valueOf(address.get(1)) : null;
    }

    private static void awaitCrossing(WskNode from, SocketIoClient to, String event) {
        await(event + " across nodes").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            from.io().emit(event);
            return !to.allReceived(event).isEmpty();
        });
    }

    @Order(1)
    @ParameterizedTest
    @EnumSource(AdapterKind.class)
    void twoNodesShareBroadcastsOverTlsAsARestrictedUser(AdapterKind kind) throws Exception {
        WskNode a = keep(kind.node(url(), "a").start());
        WskNode b = keep(kind.node(url(), "b").start());
        a.awaitServerCount(2);
        b.awaitServerCount(2);
        SocketIoClient onB = clients.connect(b.url());
        onB.awaitConnect();
        onB.emitWithAck("join", "room1").await();
        awaitCrossing(a, onB, "all");
        await("a room across nodes").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.io().to("room1").emit("in");
            return !onB.allReceived("in").isEmpty();
        });
        assertThat(RedisAcl.denials(master)).as("what the master refused user %s (ACL LOG)", RedisAcl.USER).isEmpty();
    }

    /**
     * Through the sentinels, a user the classic adapter's pattern is not allowed to: said once
     * (WARN, Redis's reason), the node not connected, asked again every few seconds, taken once the
     * ACL allows it.
     */
    @Order(1)
    @Test
    void aSubscriptionRefusedToTheUserIsSaidRetriedCalmlyAndTakenOnceAllowed() throws Exception {
        String narrow = "narrow";
        List<String> rules = RedisAcl.RULES.stream().filter(rule -> !rule.equals("&socket.io#/#*")).toList();
        RedisAcl.create(master, narrow, rules);
        String narrowUrl = url().replace(RedisAcl.USER_INFO, narrow + ":" + RedisAcl.PASSWORD + "@");
        try (CapturedLog log = new CapturedLog()) {
            WskNode a = keep(AdapterKind.CLASSIC.node(narrowUrl, "a").start());
            await("the refusal said").atMost(TIMEOUT)
                    .until(() -> log.count("refused PSUBSCRIBE socket.io#/#*: NOPERM") > 0);
            Thread.sleep(2_000);
            assertThat(a.bus().isConnected()).as("connected without its broadcast pattern").isFalse();
            assertThat(RedisAcl.refusals(master, narrow, "socket.io#/#*")).as("PSUBSCRIBE refused, asked again")
                    .isBetween(1L, 2L);
            assertThat(log.count("refused PSUBSCRIBE")).as("said once").isEqualTo(1);

            master.command("ACL", "SETUSER", narrow, "&socket.io#/#*");
            await("subscribed once allowed").atMost(TIMEOUT).until(() -> a.bus().isConnected());
            assertThat(log.count("Redis took PSUBSCRIBE socket.io#/#* now")).isEqualTo(1);
            assertThat(log.lines()).as("not an outage").noneMatch(line -> line.contains("lost Redis"));
        } finally {
            master.command("ACL", "DELUSER", narrow);
        }
    }

    @Order(2)
    @Test
    void bothNodesFollowAFailoverOverTls() throws Exception {
        WskNode a = keep(AdapterKind.SHARDED.node(url(), "a").start());
        WskNode b = keep(AdapterKind.SHARDED.node(url(), "b").start());
        a.awaitServerCount(2);
        b.awaitServerCount(2);
        SocketIoClient onB = clients.connect(b.url());
        onB.awaitConnect();
        awaitCrossing(a, onB, "before");

        master.kill();
        await("a replica promoted").atMost(Duration.ofSeconds(20))
                .until(() -> String.valueOf(replica.port()).equals(masterPort(sentinels.get(0))));
        await("both nodes on the new master").atMost(Duration.ofSeconds(20))
                .until(() -> a.adapter().isConnected() && b.adapter().isConnected());
        awaitCrossing(a, onB, "after");
        assertThat(RedisAcl.denials(replica)).as("what the new master refused user %s (ACL LOG)", RedisAcl.USER).isEmpty();
    }
}
