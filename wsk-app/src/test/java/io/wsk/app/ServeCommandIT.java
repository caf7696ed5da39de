package io.wsk.app;

import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wsk serve} as a process: bad settings fail fast and clearly; a missing Redis is waited for. */
class ServeCommandIT {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(new String[] {"--port", "70000"}, "--port must be between 0 and 65535, got 70000"),
                Arguments.of(new String[] {"--port", "abc"}, "Invalid value for option '--port': 'abc' is not an int"),
                Arguments.of(new String[] {"--adapter", "nope"},
                        "unknown adapter 'nope' (available: memory, redis, redis-sharded, redis-streams)"),
                Arguments.of(new String[] {"--adapter", "redis", "--recovery"}, "--recovery needs --adapter redis-streams"),
                Arguments.of(new String[] {"--adapter", "redis-sharded", "--recovery"}, "--recovery needs --adapter redis-streams"),
                Arguments.of(new String[] {"--recovery", "--recovery-window", "0"}, "--recovery-window must be at least 1 second"),
                Arguments.of(new String[] {"--max-outbound-bytes", "-1"}, "maxOutboundBytes must be positive"),
                Arguments.of(new String[] {"--max-event-rate", "-5"}, "maxEventRate must be at least 0"),
                Arguments.of(new String[] {"--adapter", "redis", "--redis-url", "http://x"},
                        "Redis URL must start with redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// "
                                + "or rediss-cluster://, got 'http://x'"),
                Arguments.of(new String[] {"--adapter", "redis-sharded", "--redis-url", "redis-cluster://127.0.0.1:7000/1"},
                        "Redis Cluster URL takes only host:port seeds"),
                Arguments.of(new String[] {"--adapter", "redis", "--redis-url", "redis-sentinel://127.0.0.1:26379"},
                        "Redis Sentinel URL names no master"),
                Arguments.of(new String[] {"--adapter", "redis", "--redis-url", "redis://%%bad"},
                        "malformed Redis URL 'redis://%%bad'"),
                Arguments.of(new String[] {"--redis-url", "redis://127.0.0.1:6379"}, "--redis-url has no effect with the memory adapter"),
                Arguments.of(new String[] {"--admin-ui"}, "--admin-ui needs --admin-auth USER:PASSWORD"),
                Arguments.of(new String[] {"--path", "/"}, "--path must be a path from the root"),
                Arguments.of(new String[] {"--path", "rt\"x"}, "--path must be a path from the root"),
                Arguments.of(new String[] {"--admin-ui", "--admin-auth", "nocolon"}, "--admin-auth wants USER:PASSWORD"),
                Arguments.of(new String[] {"--admin-ui", "--admin-auth", "a:b", "--admin-no-auth"}, "contradict"),
                Arguments.of(new String[] {"--admin-readonly"}, "need --admin-ui"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void badSettingsExitNonZeroWithAClearMessage(String[] args, String message) {
        String[] command = Stream.concat(Stream.of("serve"), Stream.of(args)).toArray(String[]::new);
        WskNode node = WskNode.run(command);
        try {
            int code = node.waitForExit(Duration.ofSeconds(20));
            assertThat(code).as("exit code\n%s", node.report()).isNotZero();
            assertThat(String.join("\n", node.stderrLines())).as("stderr").contains(message);
        } finally {
            node.close();
        }
    }

    @Test
    void startsWithoutRedisAndBecomesReadyWhenRedisAppears() {
        // A Redis started and stopped: its port is closed now, and restart() brings it back there.
        try (RedisServer redis = RedisServer.start()) {
            redis.stop();
            try (WskNode node = WskNode.launchServe("--app", "bench", "--adapter", "redis", "--redis-url", redis.url())) {
                long deadline = System.nanoTime() + WskNode.START_TIMEOUT.toNanos();
                while (node.status("/health") != 200) {
                    assertThat(node.isAlive()).as("node alive\n%s", node.report()).isTrue();
                    assertThat(System.nanoTime()).as("node listening\n%s", node.report()).isLessThan(deadline);
                    ClusterFixture.sleep(50);
                }
                assertThat(node.readyStatus()).isEqualTo(503);
                node.awaitLog(line -> line.contains("cannot reach Redis") && line.contains("retrying"), Duration.ofSeconds(5));
                node.awaitLog(line -> line.contains("cannot reach Redis") && line.contains("retrying"), Duration.ofSeconds(5));
                node.awaitLog(line -> line.contains("its address comes from --redis-url"), Duration.ofSeconds(5));
                assertThat(node.readyStatus()).isEqualTo(503);

                redis.restart();
                long t0 = System.nanoTime();
                node.awaitReady(Duration.ofSeconds(10));
                System.out.printf("wsk serve without Redis: ready %d ms after Redis appeared%n", (System.nanoTime() - t0) / 1_000_000);

                // An outage after that: said once when it starts and once when it ends, with the
                // address and no Lettuce retry noise ("<unresolved>").
                redis.kill();
                node.awaitLog(line -> line.contains("lost Redis at " + redis.url()), Duration.ofSeconds(5));
                ClusterFixture.sleep(3_000);
                redis.restart();
                node.awaitLog(line -> line.contains("Redis at " + redis.url() + " is back after"), Duration.ofSeconds(10));
                assertThat(node.stderrLines()).as("the node's log").noneMatch(line -> line.contains("<unresolved>"))
                        .filteredOn(line -> line.contains("lost Redis")).hasSize(1);
            }
        }
    }

    /** A Redis Cluster URL whose seed is a plain Redis, or whose seeds do not answer: exit 2, saying which. */
    @Test
    void clusterSeedsThatAreNoClusterFailTheStartWithWhatIsWrong() {
        try (RedisServer plain = RedisServer.start()) {
            int nobody = io.wsk.testkit.FreePorts.next();
            String[][] cases = {
                    {"redis-cluster://127.0.0.1:" + plain.port(), "not a Redis Cluster"},
                    {"redis-cluster://127.0.0.1:" + nobody, "cannot use the Redis Cluster at Redis Cluster seeds 127.0.0.1:" + nobody}};
            for (String[] c : cases) {
                WskNode node = WskNode.run("serve", "--adapter", "redis-sharded", "--redis-url", c[0]);
                try {
                    int code = node.waitForExit(Duration.ofSeconds(30));
                    assertThat(code).as("exit code\n%s", node.report()).isEqualTo(2);
                    assertThat(String.join("\n", node.stderrLines())).as("stderr").contains(c[1]);
                } finally {
                    node.close();
                }
            }
        }
    }

    @Test
    void requestsForUnknownSessionsAreLoggedWithWhatToCheck() {
        try (WskNode node = WskNode.serve("--app", "bench")) {
            assertThat(node.status("/socket.io/?EIO=4&transport=polling&sid=not-mine")).isEqualTo(400);
            String line = node.awaitLog(l -> l.contains("session ids this node does not hold"), Duration.ofSeconds(5));
            assertThat(line).contains("not sticky", "--cookie io", "sid not-mine");
        }
    }

    @Test
    void socketIoListensWhereThePathSaysAndTheDemoPageFollows() throws Exception {
        try (WskNode node = WskNode.serve("--path", "/rt")) {
            SocketIoClient client = SocketIoClient.connect(node.url(), java.util.Map.of("path", "/rt/"));
            try {
                client.awaitConnect();
            } finally {
                client.close();
            }
            assertThat(node.status("/socket.io/?EIO=4&transport=polling")).as("the default path").isEqualTo(404);
            assertThat(node.get("/")).contains("io({ path: \"/rt/\" })");
        }
    }
}
