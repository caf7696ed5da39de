package io.wsk.app;

import io.wsk.testkit.Interop;
import io.wsk.testkit.NginxProcess;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same scale-out through NGINX running the shipped {@code deploy/nginx.conf}. NGINX pins
 * clients by IP address, and every test client comes from 127.0.0.1, so all proxied clients land
 * on one node; one client connected straight to each node publishes, so broadcasts still come
 * from every node. Killing the node the proxied clients are on moves them all.
 */
class NginxClusterIT {

    private static final Path CONFIG = Interop.repoRoot().resolve("deploy").resolve("nginx.conf");
    private static final Pattern UPSTREAM = Pattern.compile("upstream=127\\.0\\.0\\.1:(\\d+)");

    private ClusterFixture cluster;
    private NginxProcess nginx;
    private final List<SocketIoClient> proxied = new ArrayList<>();
    private final List<SocketIoClient> direct = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new ClusterFixture(3);
        nginx = NginxProcess.start(CONFIG, cluster.addresses());
        for (int i = 0; i < 4; i++) {
            proxied.add(cluster.connect(nginx.url(), i % 2 == 0));
        }
        for (WskNode node : cluster.nodes) {
            direct.add(cluster.connect(node.url(), false));
        }
        for (int i = 0; i < proxied.size(); i++) {
            proxied.get(i).awaitConnect();
            if (i % 2 == 1) {
                proxied.get(i).awaitEvent("upgrade");
            }
        }
        direct.forEach(SocketIoClient::awaitConnect);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private List<SocketIoClient> everyone() {
        return Stream.concat(proxied.stream(), direct.stream()).toList();
    }

    /** The node ports NGINX sent Socket.IO requests to so far. */
    private Set<Integer> upstreams() {
        return nginx.logLines().stream().filter(line -> line.contains("/socket.io/"))
                .map(UPSTREAM::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .collect(Collectors.toSet());
    }

    @Test
    void proxiedClientsGetBroadcastsFromEveryNodeWithoutUnknownSessions() {
        cluster.assertEveryoneGetsEveryBroadcast(everyone(), everyone(), "all");
        // (The upgraded clients' WebSocket requests are logged only when they end.)
        assertThat(nginx.logLines()).as("nginx access log")
                .noneMatch(line -> line.contains("/socket.io/") && line.contains(" 400 "));
        assertThat(upstreams()).as("one node for one client address").hasSize(1);
        cluster.assertNoConnectErrors();
    }

    @Test
    void clientsOfAKilledNodeFailOverThroughTheProxy() {
        int port = upstreams().iterator().next();
        WskNode victim = cluster.nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        victim.kill();
        List<SocketIoClient> moved = cluster.awaitDisconnected(proxied, Duration.ofSeconds(5), Duration.ofMillis(500));
        SocketIoClient publisher = direct.stream().filter(c -> !moved.contains(c) && !ClusterFixture.disconnected(c))
                .findFirst().orElseThrow();
        long failover = cluster.awaitFailover(publisher, moved, t0, Duration.ofSeconds(10));
        System.out.printf("NGINX: kill -9 of a node: its %d proxied clients received broadcasts again %d ms after the kill%n",
                moved.size(), failover);
        assertThat(moved).hasSize(proxied.size());
        assertThat(failover).as("failover time in ms").isLessThan(5000);
        assertThat(upstreams()).hasSize(2);
    }

    @Test
    void clientsOfADrainedNodeMoveAndItExitsWithinTheDrainWindow() {
        int port = upstreams().iterator().next();
        WskNode drained = cluster.nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        drained.terminate();
        CompletableFuture<Long> exited = CompletableFuture.supplyAsync(() -> {
            drained.waitForExit(Duration.ofSeconds(ClusterFixture.DRAIN_SECONDS + 5));
            return (System.nanoTime() - t0) / 1_000_000;
        });
        List<SocketIoClient> moved = cluster.awaitDrained(drained, proxied);
        SocketIoClient publisher = direct.stream().filter(c -> !moved.contains(c) && !ClusterFixture.disconnected(c))
                .findFirst().orElseThrow();
        long failover = cluster.awaitFailover(publisher, moved, t0, Duration.ofSeconds(10));
        long exitMillis = exited.join();
        System.out.printf("NGINX: SIGTERM of a node (drain window %d s): its %d proxied clients received broadcasts"
                + " again after %d ms, process exited after %d ms%n", ClusterFixture.DRAIN_SECONDS, moved.size(), failover, exitMillis);
        assertThat(moved).hasSize(proxied.size());
        assertThat(exitMillis).as("ms until the drained node exited").isLessThan((ClusterFixture.DRAIN_SECONDS + 2) * 1000L);
        assertThat(upstreams()).hasSize(2);
    }
}
