package io.wsk.redis;

import io.wsk.server.ParentNamespace;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-tenant namespaces on the Redis adapter: a child of a dynamic namespace subscribes its
 * channels while it has sockets, and gives them up with the namespace once its last socket has
 * left, so a node that served a million tenants over its life does not hold a million namespaces
 * and their subscriptions.
 */
class DynamicNamespaceCleanupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RedisServer redis;
    private WskNode node;
    private final Clients clients = new Clients();

    @AfterEach
    void stop() throws Exception {
        clients.close();
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void anEmptyTenantNamespaceUnsubscribesItsChannels() throws Exception {
        redis = RedisServer.start();
        node = WskNode.builder(redis.url()).name("a").start();
        ParentNamespace tenants = node.io().of(Pattern.compile("^/tenant-\\d+$"));
        tenants.onConnection(socket -> socket.emit("welcome"));
        String requests = "socket.io-request#/tenant-7#";

        for (int round = 0; round < 3; round++) {
            SocketIoClient client = clients.connect(node.url("/tenant-7"));
            client.awaitReceived("welcome");
            await().atMost(TIMEOUT).until(() -> redis.numsub(requests) == 1);
            assertThat(node.io().namespaces()).containsKey("/tenant-7");

            client.disconnect();
            await("the namespace and its subscriptions gone").atMost(TIMEOUT)
                    .until(() -> !node.io().namespaces().containsKey("/tenant-7") && redis.numsub(requests) == 0);
            assertThat(tenants.children()).isEmpty();
        }
        assertThat(redis.command("PUBSUB", "NUMPAT")).as("only the main namespace's pattern").isEqualTo(1L);
    }
}
