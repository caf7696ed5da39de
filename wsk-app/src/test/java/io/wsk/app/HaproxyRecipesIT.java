package io.wsk.app;

import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HAProxy set-ups a user arrives with, run for real in front of wsk nodes started as the docs
 * say: the shipped {@code deploy/haproxy.cfg} with one and two nodes (three: {@link HaproxyClusterIT}),
 * and the classic Node recipe's own lines ({@code cookie io prefix indirect nocache}), which need
 * the nodes to set the {@code io} cookie ({@code --cookie io}); without it, polling clients meet
 * 400 "Session ID unknown" and the nodes say what to do.
 */
class HaproxyRecipesIT {

    private ClusterFixture cluster;
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close(); // and the HAProxy in front
        }
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void theShippedConfigServesAsManyNodesAsItIsGiven(int nodes) {
        cluster = new ClusterFixture(nodes);
        haproxy = cluster.behindHaproxy(ClusterFixture.SHIPPED_HAPROXY);
        List<SocketIoClient> clients = connectPollingAndUpgrading(2 * nodes);

        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "shipped");
        assertServedByEveryNodeWithout400s("wsk/wsk", nodes);
        cluster.assertNoConnectErrors();
    }

    @Test
    void theArticlesLinesWorkWithNodesThatSetTheIoCookie() {
        cluster = new ClusterFixture(List.of(List.of("--cookie", "io"), List.of("--cookie", "io")));
        haproxy = cluster.behindHaproxy(article());
        List<SocketIoClient> clients = connectPollingAndUpgrading(6);

        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "article");
        cluster.assertEveryoneGetsEveryBroadcast(clients, clients, "article-again");
        assertServedByEveryNodeWithout400s("socket_servers/ws", 2);
        cluster.assertNoConnectErrors();
        for (SocketIoClient client : clients) {
            assertThat(client.events()).as("a client behind the article's HAProxy")
                    .noneMatch(e -> "disconnect".equals(e.path("event").asText()));
        }
    }

    @Test
    void withoutTheIoCookieTheArticlesLinesGive400sAndTheNodesSayWhy() {
        cluster = new ClusterFixture(2);
        haproxy = cluster.behindHaproxy(article());
        cluster.connect(haproxy.url(), true);
        cluster.connect(haproxy.url(), false);

        // Nothing for HAProxy to prefix, so requests after the handshake go round robin, and half
        // of them reach the node that does not hold the session.
        haproxy.awaitLog(line -> line.contains("/socket.io/") && line.matches(".* 400 .*"), Duration.ofSeconds(15));
        String hint = awaitEitherNodeLog(line -> line.contains("Session ID unknown") && line.contains("--cookie io"));
        System.out.printf("HAProxy with the article's lines and nodes without --cookie io: 400s, and a node logged: %s%n", hint);
    }

    /** Polling-only and upgrading clients in turn (both keep the sticky cookie), connected and upgraded. */
    private List<SocketIoClient> connectPollingAndUpgrading(int count) {
        List<SocketIoClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(cluster.connect(haproxy.url(), i % 2 == 0));
        }
        for (int i = 0; i < count; i++) {
            clients.get(i).awaitConnect();
            if (i % 2 == 1) {
                clients.get(i).awaitEvent("upgrade");
            }
        }
        return clients;
    }

    private void assertServedByEveryNodeWithout400s(String serverPrefix, int nodes) {
        List<String> log = haproxy.logLines();
        int first = serverPrefix.endsWith("ws") ? 0 : 1;
        List<String> servers = IntStream.range(first, first + nodes).mapToObj(i -> serverPrefix + i + " ").toList();
        assertThat(servers).as("servers that served Socket.IO requests, in\n%s", String.join("\n", log))
                .allMatch(server -> log.stream().anyMatch(line -> line.contains(server) && line.contains("/socket.io/")));
        assertThat(log).as("haproxy log").noneMatch(line -> line.contains("/socket.io/") && line.matches(".* 400 .*"));
    }

    private String awaitEitherNodeLog(java.util.function.Predicate<String> predicate) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (var node : cluster.nodes) {
                var line = node.stderrLines().stream().filter(predicate).findFirst()
                        .or(() -> node.stdoutLines().stream().filter(predicate).findFirst());
                if (line.isPresent()) {
                    return line.get();
                }
            }
            ClusterFixture.sleep(50);
        }
        throw new AssertionError("no node logged the unknown-session hint\n" + cluster.report());
    }

    private static Path article() {
        try {
            return Path.of(Objects.requireNonNull(HaproxyRecipesIT.class.getResource("/haproxy-article.cfg")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
