package io.wsk.app;

import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic scale-out, real: Redis, three wsk nodes and HAProxy running the shipped
 * {@code deploy/haproxy.cfg}, with official clients (polling-only and upgrading, keeping the
 * sticky cookie) connecting through it.
 */
class HaproxyClusterIT {

    private ClusterFixture cluster;
    private HaproxyProcess haproxy;
    private final List<SocketIoClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new ClusterFixture(3);
        haproxy = cluster.behindHaproxy(ClusterFixture.SHIPPED_HAPROXY);
        // Handshakes carry no cookie yet, so round robin spreads the six clients two per node;
        // every request after that carries the node's cookie.
        for (int i = 0; i < 6; i++) {
            clients.add(cluster.connect(haproxy.url(), i % 2 == 0));
        }
        for (int i = 0; i < clients.size(); i++) {
            SocketIoClient client = clients.get(i);
            client.awaitConnect();
            if (i % 2 == 1) {
                client.awaitEvent("upgrade");
            }
        }
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close(); // and the HAProxy in front
        }
    }

    @Test
    void everyClientGetsEveryBroadcastFromEveryNodeWithoutUnknownSessions() {
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "all");
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "again");

        // Every node got clients, and no request was answered 400 ("Session ID unknown").
        List<String> log = haproxy.logLines();
        assertThat(List.of("wsk/wsk1 ", "wsk/wsk2 ", "wsk/wsk3 "))
                .allMatch(server -> log.stream().anyMatch(line -> line.contains(server) && line.contains("/socket.io/")));
        assertThat(log).as("haproxy log").noneMatch(line -> line.contains("/socket.io/") && line.matches(".* 400 .*"));
        cluster.assertNoConnectErrors();
    }

    @Test
    void clientsOfAKilledNodeFailOverThroughTheProxy() {
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "before");
        WskNode victim = cluster.nodes.get(0);
        long t0 = System.nanoTime();
        victim.kill();
        List<SocketIoClient> moved = cluster.awaitDisconnected(clients, Duration.ofSeconds(5), Duration.ofMillis(500));
        SocketIoClient publisher = clients.stream().filter(c -> !moved.contains(c)).findFirst().orElseThrow();
        long failover = cluster.awaitFailover(publisher, moved, t0, Duration.ofSeconds(10));
        haproxy.awaitMessage(line -> line.contains("Server wsk/wsk1 is DOWN"), Duration.ofSeconds(5));
        long down = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("HAProxy: kill -9 of a node: its %d clients received broadcasts again %d ms after the kill;"
                + " HAProxy marked it DOWN after %d ms%n", moved.size(), failover, down);
        assertThat(moved).hasSizeBetween(1, 4);
        assertThat(failover).as("failover time in ms").isLessThan(5000);
        // And the whole cluster works on the two nodes left.
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "after-kill");
    }

    @Test
    void clientsOfADrainedNodeMoveAndItExitsWithinTheDrainWindow() {
        WskNode drained = cluster.nodes.get(1);
        long t0 = System.nanoTime();
        drained.terminate();
        CompletableFuture<Long> exited = CompletableFuture.supplyAsync(() -> {
            drained.waitForExit(Duration.ofSeconds(ClusterFixture.DRAIN_SECONDS + 5));
            return (System.nanoTime() - t0) / 1_000_000;
        });
        long notReady = -1;
        while (System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos()) {
            if (drained.readyStatus() != 200) {
                notReady = (System.nanoTime() - t0) / 1_000_000;
                break;
            }
            ClusterFixture.sleep(10);
        }
        assertThat(notReady).as("ms until /ready stopped answering 200").isBetween(0L, 2000L);
        List<SocketIoClient> moved = cluster.awaitDrained(drained, clients);
        SocketIoClient publisher = clients.stream().filter(c -> !moved.contains(c)).findFirst().orElseThrow();
        long failover = cluster.awaitFailover(publisher, moved, t0, Duration.ofSeconds(10));
        long exitMillis = exited.join();
        haproxy.awaitMessage(line -> line.contains("Server wsk/wsk2 is DOWN"), Duration.ofSeconds(5));
        System.out.printf("HAProxy: SIGTERM of a node (drain window %d s): /ready not 200 after %d ms, its %d clients"
                        + " received broadcasts again after %d ms, process exited after %d ms%n",
                ClusterFixture.DRAIN_SECONDS, notReady, moved.size(), failover, exitMillis);
        for (SocketIoClient client : moved) {
            assertThat(client.events()).as("a drained client's disconnect reason")
                    .anyMatch(e -> "disconnect".equals(e.path("event").asText())
                            && "transport close".equals(e.path("reason").asText()));
        }
        assertThat(exitMillis).as("ms until the drained node exited").isLessThan((ClusterFixture.DRAIN_SECONDS + 2) * 1000L);
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "after-drain");
    }

    @Test
    void whenEveryNodeLosesRedisClientsAreStillServedAndTheClusterHealsWhenItIsBack() {
        long t0 = System.nanoTime();
        cluster.redis.kill();
        for (int i = 1; i <= 3; i++) {
            String server = "Server wsk/wsk" + i + " is DOWN";
            haproxy.awaitMessage(line -> line.contains(server), Duration.ofSeconds(10));
        }
        // No node is ready: the liveness backend serves, new clients included.
        SocketIoClient late = cluster.connect(haproxy.url(), true);
        late.awaitConnect();
        List<SocketIoClient> everyone = new ArrayList<>(clients);
        everyone.add(late);
        for (SocketIoClient client : everyone) {
            assertThat(client.emitWithAck("echo", "still here").await().get(0).asText()).isEqualTo("still here");
        }
        System.out.printf("HAProxy: Redis lost by every node: all nodes DOWN, clients still served (%d ms after the kill)%n",
                (System.nanoTime() - t0) / 1_000_000);

        cluster.redis.restart();
        long t1 = System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            String server = "Server wsk/wsk" + i + " is UP";
            haproxy.awaitMessage(line -> line.contains(server), Duration.ofSeconds(15));
        }
        cluster.assertEveryoneGetsEveryBroadcast(everyone, everyone, "redis-back");
        System.out.printf("HAProxy: Redis back: every node UP and every broadcast everywhere %d ms later%n",
                (System.nanoTime() - t1) / 1_000_000);
        assertThat(haproxy.logLines()).as("haproxy log").noneMatch(line -> line.contains("/socket.io/") && line.matches(".* 503 .*"));
    }
}
