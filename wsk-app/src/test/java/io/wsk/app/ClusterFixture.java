package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.Interop;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.WskNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the load-balancer tests share: one Redis, three {@code wsk serve --app bench --adapter redis}
 * nodes started in parallel, official clients, and the bookkeeping of a failover.
 */
final class ClusterFixture implements AutoCloseable {

    static final int DRAIN_SECONDS = 3;
    /** The shipped HAProxy configuration, which the proxy tests run unchanged. */
    static final Path SHIPPED_HAPROXY = Interop.repoRoot().resolve("deploy").resolve("haproxy.cfg");

    final RedisServer redis;
    final List<WskNode> nodes;
    final List<SocketIoClient> clients = new ArrayList<>();
    private HaproxyProcess haproxy;

    ClusterFixture(int nodeCount) {
        this(java.util.Collections.nCopies(nodeCount, List.of()));
    }

    /** One node per entry, each started with the common flags and then its entry's. */
    ClusterFixture(List<List<String>> extraFlags) {
        this("redis", RedisServer.start(), extraFlags);
    }

    /** Nodes on {@code adapter} and {@code redis} (which the fixture stops with the rest). */
    ClusterFixture(String adapter, RedisServer redis, List<List<String>> extraFlags) {
        this.redis = redis;
        List<CompletableFuture<WskNode>> starting = extraFlags.stream()
                .map(extra -> CompletableFuture.supplyAsync(() -> {
                    List<String> args = new ArrayList<>(List.of("--app", "bench", "--adapter", adapter,
                            "--redis-url", redis.url(), "--drain-seconds", Integer.toString(DRAIN_SECONDS)));
                    args.addAll(extra);
                    return WskNode.serve(args.toArray(String[]::new));
                }))
                .toList();
        try {
            nodes = starting.stream().map(CompletableFuture::join).toList();
        } catch (RuntimeException e) {
            // Stop the nodes that did start, and Redis, before reporting the one that did not.
            starting.forEach(future -> future.thenAccept(WskNode::close));
            redis.close();
            throw e;
        }
    }

    /** HAProxy running {@code config} in front of the nodes (WSK1..WSKn); stopped with the rest. */
    HaproxyProcess behindHaproxy(Path config) {
        haproxy = HaproxyProcess.start(config, addresses());
        return haproxy;
    }

    /** host:port of each node, for the proxy's server lines. */
    List<String> addresses() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).toList();
    }

    /** An official client through {@code url}: polling only, or polling then upgrading to WebSocket. */
    SocketIoClient connect(String url, boolean pollingOnly) {
        Map<String, Object> options = pollingOnly
                ? Map.of("transports", List.of("polling"), "withCredentials", true)
                : Map.of("withCredentials", true);
        SocketIoClient client = SocketIoClient.connect(url, options);
        clients.add(client);
        return client;
    }

    /** Every client publishes once; every client must receive every publication. */
    void assertEveryoneGetsEveryBroadcast(List<SocketIoClient> publishers, List<SocketIoClient> receivers, String tag) {
        for (int i = 0; i < publishers.size(); i++) {
            publishers.get(i).emitWithAck("pub", Map.of("tag", tag, "from", i)).await();
        }
        for (SocketIoClient receiver : receivers) {
            List<Integer> from = new ArrayList<>();
            while (from.size() < publishers.size()) {
                // Broadcasts of earlier steps (tagged otherwise) may still be queued: skip them.
                JsonNode arg = receiver.awaitReceived("b").args().get(0);
                if (arg.path("tag").asText().equals(tag)) {
                    from.add(arg.path("from").asInt());
                }
            }
            assertThat(from).containsExactlyInAnyOrderElementsOf(IntStream.range(0, publishers.size()).boxed().toList());
        }
    }

    /** Clients that reported a {@code disconnect}, waiting until at least one did and then {@code settle} more. */
    List<SocketIoClient> awaitDisconnected(List<SocketIoClient> among, Duration timeout, Duration settle) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (among.stream().noneMatch(ClusterFixture::disconnected)) {
            assertThat(System.nanoTime()).as("no client disconnected within %s", timeout).isLessThan(deadline);
            sleep(10);
        }
        sleep(settle.toMillis());
        return among.stream().filter(ClusterFixture::disconnected).toList();
    }

    /**
     * The clients among {@code among} that the drain of {@code drained} (SIGTERM sent) moved away:
     * the drain spreads its closes over the whole window, so this waits for the node to exit (its
     * drain over) and a moment for the last disconnects to be reported.
     */
    List<SocketIoClient> awaitDrained(WskNode drained, List<SocketIoClient> among) {
        drained.waitForExit(Duration.ofSeconds(DRAIN_SECONDS + 5));
        sleep(500);
        List<SocketIoClient> moved = among.stream().filter(ClusterFixture::disconnected).toList();
        assertThat(moved).as("clients the drain moved").isNotEmpty();
        return moved;
    }

    static boolean disconnected(SocketIoClient client) {
        return client.events().stream().anyMatch(e -> "disconnect".equals(e.path("event").asText()));
    }

    /** No client saw a connect_error (e.g. "Session ID unknown" as an xhr error). */
    void assertNoConnectErrors() {
        for (SocketIoClient client : clients) {
            assertThat(client.events()).as("events of a client").noneMatch(e -> "connect_error".equals(e.path("event").asText()));
        }
    }

    /**
     * Publishes {@code pub} from {@code publisher} every 100 ms until every one of {@code moved}
     * has reconnected and received one; the time from {@code t0} until the last did, in ms.
     */
    long awaitFailover(SocketIoClient publisher, List<SocketIoClient> moved, long t0, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread ticker = new Thread(() -> {
            int seq = 0;
            while (!done.isDone()) {
                publisher.emit("pub", Map.of("tag", "after", "seq", seq++));
                sleep(100);
            }
        }, "failover-publisher");
        ticker.setDaemon(true);
        ticker.start();
        try {
            long last = 0;
            for (SocketIoClient client : moved) {
                client.awaitConnect();
                client.awaitReceived("b", timeout);
                last = Math.max(last, System.nanoTime());
            }
            return (last - t0) / 1_000_000;
        } finally {
            done.complete(null);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Prints the reports of everything, for a failure. */
    String report() {
        StringBuilder out = new StringBuilder();
        nodes.forEach(node -> out.append(node.report()).append('\n'));
        clients.forEach(client -> out.append(client.process().report()).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        SocketIoClient.closeAll(clients);
        nodes.forEach(WskNode::close);
        redis.close();
        if (haproxy != null) {
            haproxy.close();
        }
    }
}
