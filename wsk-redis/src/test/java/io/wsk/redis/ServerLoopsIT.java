package io.wsk.redis;

import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's Redis bus runs on the node's own event loops: a message from another node is handled
 * by the loop that read it, which hands it to the sockets of that loop with no thread hop, and
 * Lettuce starts no I/O or worker threads of its own. Closing the node ends those loops.
 */
class ServerLoopsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void messagesFromOtherNodesAreHandledOnTheNodesOwnLoops() throws Exception {
        Set<Long> threadsBefore = threads().stream().map(Thread::getId).collect(Collectors.toSet());
        try (RedisServer redis = RedisServer.start();
             WskNode a = WskNode.classic(redis);
             Clients clients = new Clients()) {
            WskNode b = WskNode.classic(redis);
            Thread handler;
            try {
                a.awaitServerCount(2);
                b.awaitServerCount(2);

                CompletableFuture<Thread> handledOn = new CompletableFuture<>();
                b.io().onServerSideEmit("where", (args, reply) -> handledOn.complete(Thread.currentThread()));
                a.io().serverSideEmit("where");
                handler = handledOn.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(b.isLoop(handler)).as("%s is one of b's event loops", handler.getName()).isTrue();

                // and a broadcast of a's bench handler reaches a client of b
                List<SocketIoClient> pair = new ArrayList<>();
                clients.connectAll(pair, a.url(), b.url());
                pair.get(0).emitWithAck("pub", Map.of("n", 7)).await();
                assertThat(pair.get(1).awaitReceived("b").args().get(0).path("n").asInt()).isEqualTo(7);

                List<String> lettuceThreads = threads().stream()
                        .filter(thread -> !threadsBefore.contains(thread.getId()))
                        .map(Thread::getName)
                        // Lettuce's timer (reconnect delays, command timeouts) has a thread of its own.
                        .filter(name -> name.startsWith("lettuce-") && !name.startsWith("lettuce-timer"))
                        .toList();
                assertThat(lettuceThreads).as("threads Lettuce started for two nodes").isEmpty();
            } finally {
                b.close();
            }
            await("b's loop ends with b").atMost(TIMEOUT).until(() -> !handler.isAlive());
            // a is still connected and serving after b closed: b's bus shut down nothing of a's
            assertThat(a.adapter().isConnected()).isTrue();
            a.awaitServerCount(1);
        }
    }

    private static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet();
    }
}
