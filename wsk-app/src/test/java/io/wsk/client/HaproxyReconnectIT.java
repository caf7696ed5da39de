package io.wsk.client;

import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.Interop;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * wsk-client behind the shipped {@code deploy/haproxy.cfg}, unchanged, in front of three
 * {@code wsk serve --adapter redis} nodes: polling then the upgrade with HAProxy's sticky cookie
 * (kept by the client's cookie jar: round robin would otherwise send the second polling request
 * to another node, "Session ID unknown"); the node holding the client SIGKILLed, or drained
 * (SIGTERM): the client reconnects through HAProxy to another node, within a bound measured and
 * printed; emits made while it was disconnected arrive once; a broadcast from a client on
 * another node reaches it. Each test needs two live nodes, so either order works.
 */
class HaproxyReconnectIT {

    private static final Pattern SOCKETS = Pattern.compile("^wsk_socketio_sockets\\{[^}]*namespace=\"/\"[^}]*} ([0-9.eE+]+)$",
            Pattern.MULTILINE);
    private static final long RECONNECT_BOUND_MILLIS = 8_000;

    private static RedisServer redis;
    private static final List<WskNode> nodes = new ArrayList<>();
    private static HaproxyProcess haproxy;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        List<CompletableFuture<WskNode>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> WskNode.serve("--app", "bench", "--adapter", "redis",
                    "--redis-url", redis.url(), "--drain-seconds", "2")));
        }
        for (CompletableFuture<WskNode> node : starting) {
            nodes.add(node.join());
        }
        haproxy = HaproxyProcess.start(Interop.repoRoot().resolve("deploy").resolve("haproxy.cfg"),
                nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList());
    }

    /**
     * Every node back to no sockets before the next test: a test finds where its client landed by
     * which node's count went up by one, and a socket of the previous test still closing on that
     * node would cancel it out (CI saw exactly that).
     */
    @AfterEach
    void awaitNodesEmpty() {
        await().atMost(Recorder.TIMEOUT).until(() -> live().stream().allMatch(n -> sockets(n) == 0));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        nodes.forEach(WskNode::close);
        if (redis != null) {
            redis.close();
        }
    }

    private static Manager client(String... transports) {
        ClientOptions.Builder options = ClientOptions.builder()
                .reconnectionDelay(Duration.ofMillis(200)).reconnectionDelayMax(Duration.ofMillis(1000));
        if (transports.length > 0) {
            options.transports(transports);
        }
        return new Manager(URI.create(haproxy.url()), options.build());
    }

    /** Sockets on the main namespace of {@code node}, from its /metrics. */
    private static int sockets(WskNode node) {
        Matcher m = SOCKETS.matcher(node.get("/metrics"));
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    /** The one live node whose socket count went up by one against {@code before}. */
    private static WskNode nodeThatGained(Map<WskNode, Integer> before) {
        List<WskNode> gained = new ArrayList<>();
        await().atMost(Recorder.TIMEOUT).until(() -> {
            gained.clear();
            live().stream().filter(n -> sockets(n) == before.get(n) + 1).forEach(gained::add);
            return gained.size() == 1;
        });
        return gained.get(0);
    }

    private static List<WskNode> live() {
        return nodes.stream().filter(WskNode::isAlive).toList();
    }

    private static Map<WskNode, Integer> counts() {
        Map<WskNode, Integer> counts = new java.util.HashMap<>();
        live().forEach(n -> counts.put(n, sockets(n)));
        return counts;
    }

    /** A connected socket through HAProxy (upgraded unless polling only), and the node it landed on. */
    private record Placed(Manager manager, ClientSocket socket, Recorder recorder, WskNode node) {
    }

    private static Placed connect(boolean pollingOnly) {
        Map<WskNode, Integer> before = counts();
        Manager manager = pollingOnly ? client("polling") : client();
        ClientSocket socket = manager.socket("/");
        Recorder recorder = Recorder.on(socket).record(socket, "b");
        socket.connect();
        recorder.awaitConnect();
        if (!pollingOnly) {
            await().atMost(Recorder.TIMEOUT).until(() -> "websocket".equals(manager.transport()));
        }
        return new Placed(manager, socket, recorder, nodeThatGained(before));
    }

    /** A polling-only client through HAProxy on another node than {@code avoid} (round robin: a few tries). */
    private static Placed connectAvoiding(WskNode avoid) {
        for (int i = 0; i < 6; i++) {
            Placed placed = connect(true);
            if (placed.node() != avoid) {
                return placed;
            }
            int without = sockets(avoid) - 1;
            placed.manager().close();
            // Gone from the node's count before the next placement compares counts.
            await().atMost(Recorder.TIMEOUT).until(() -> sockets(avoid) == without);
        }
        throw new AssertionError("round robin never placed a client off " + avoid);
    }

    @Test
    void sigkillOfTheClientsNodeMovesItThroughHaproxyToAnother() throws Exception {
        Placed a = connect(false);
        Placed b = connectAvoiding(a.node());
        try {
            // Polling kept its node for every request (the cookie), and the upgrade found the session.
            assertThat(a.recorder().connectErrors).isEmpty();
            assertThat(b.recorder().connectErrors).isEmpty();
            long t0 = System.nanoTime();
            a.node().kill();
            assertThat(a.recorder().awaitDisconnect()).isIn("transport close", "transport error");
            for (int n = 1; n <= 3; n++) {
                a.socket().emit("pub", Map.of("tag", "while-down", "n", n));
            }
            a.recorder().awaitConnect();
            long reconnected = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            checkTheBufferedEmitsAndABroadcast(a, b);
            System.out.printf("wsk-client through HAProxy: SIGKILL of its node: reconnected to another node %d ms after"
                    + " the kill (reconnectionDelay 200 ms, max 1000 ms)%n", reconnected);
            assertThat(reconnected).isLessThan(RECONNECT_BOUND_MILLIS);
        } finally {
            a.manager().close();
            b.manager().close();
        }
    }

    @Test
    void drainOfTheClientsNodeIsATransportCloseAndAReconnect() throws Exception {
        Placed a = connect(false);
        Placed b = connectAvoiding(a.node());
        try {
            long t0 = System.nanoTime();
            a.node().terminate();
            assertThat(a.recorder().awaitDisconnect()).isEqualTo("transport close");
            long disconnected = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (int n = 1; n <= 3; n++) {
                a.socket().emit("pub", Map.of("tag", "while-down", "n", n));
            }
            a.recorder().awaitConnect();
            long reconnected = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            checkTheBufferedEmitsAndABroadcast(a, b);
            System.out.printf("wsk-client through HAProxy: SIGTERM (drain 2 s) of its node: transport close after %d ms,"
                    + " reconnected to another node %d ms after the signal%n", disconnected, reconnected);
            assertThat(reconnected).isLessThan(RECONNECT_BOUND_MILLIS);
            a.node().waitForExit(Duration.ofSeconds(10));
        } finally {
            a.manager().close();
            b.manager().close();
        }
    }

    /** The three buffered pubs reach b (and a) once each, in order; b's broadcast reaches a. */
    private static void checkTheBufferedEmitsAndABroadcast(Placed a, Placed b) throws Exception {
        for (Placed receiver : List.of(a, b)) {
            for (int n = 1; n <= 3; n++) {
                Args got = receiver.recorder().next("b");
                assertThat(got.node(0).get("tag").asText()).isEqualTo("while-down");
                assertThat(got.node(0).get("n").asInt()).isEqualTo(n);
            }
        }
        b.socket().emitWithAck("pub", Map.of("tag", "from-b")).get(10, TimeUnit.SECONDS);
        assertThat(a.recorder().next("b").node(0).get("tag").asText()).isEqualTo("from-b");
        assertThat(b.recorder().next("b").node(0).get("tag").asText()).isEqualTo("from-b");
        // Once each: a round trip through a's node after everything, then nothing left over.
        a.socket().emitWithAck("echo", "sync").get(10, TimeUnit.SECONDS);
        assertThat(a.recorder().queue("b")).isEmpty();
        assertThat(b.recorder().queue("b")).isEmpty();
    }
}
