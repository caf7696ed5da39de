package io.wsk.redis;

import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis with Sentinel, for real: a master, a replica and three sentinels ({@code redis-server
 * --sentinel}), two wsk nodes given the sentinels' addresses
 * ({@code redis-sentinel://...#mymaster}), a steady stream of numbered broadcasts from one node to
 * clients of the other, and the master killed (SIGKILL). The sentinels promote the replica; the
 * nodes follow it: delivery resumes, in order, nothing twice, and what was lost is counted.
 */
class SentinelFailoverIT {

    private static final String MASTER = "mymaster";
    private static final Duration RESUME_BOUND = Duration.ofSeconds(20);

    private final Opened open = new Opened();
    private final Clients clients = new Clients();

    @AfterEach
    void stop() {
        clients.close();
        open.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return open.keep(resource);
    }

    private static String masterPort(RedisServer sentinel) {
        Object reply = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
        return reply instanceof List<?> address && address.size() == 2 ? String.valueOf(address.get(1)) : null;
    }

    @ParameterizedTest
    @EnumSource(AdapterKind.class)
    void deliveryFollowsTheMasterThroughAFailover(AdapterKind kind) throws Exception {
        RedisServer master = keep(RedisServer.start());
        RedisServer replica = keep(RedisServer.replicaOf(master));
        List<RedisServer> sentinels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sentinels.add(keep(RedisServer.sentinel(MASTER, master, 2)));
        }
        // The sentinels must know the replica (from the master) and each other before a failover.
        await("the sentinels see the replica and each other").atMost(Duration.ofSeconds(20)).until(() ->
                sentinels.stream().allMatch(s -> ((List<?>) s.command("SENTINEL", "REPLICAS", MASTER)).size() == 1
                        && ((List<?>) s.command("SENTINEL", "SENTINELS", MASTER)).size() == 2));
        String url = "redis-sentinel://" + String.join(",", sentinels.stream()
                .map(s -> RedisServer.HOST + ":" + s.port()).toList()) + "#" + MASTER;

        WskNode a = keep(kind.node(url, "a").start());
        WskNode b = keep(kind.node(url, "b").start());
        a.awaitServerCount(2);
        b.awaitServerCount(2);
        SocketIoClient receiver = clients.connect(b.url());
        receiver.awaitConnect();
        await("cross-node delivery").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.io().emit("ready");
            return !receiver.allReceived("ready").isEmpty();
        });

        NumberedBroadcasts stream = NumberedBroadcasts.start(a, 10_000, 1_000);
        Thread.sleep(2_000);
        master.kill();
        long killedAt = System.nanoTime();
        // Readiness (/ready, from isConnected) reports the degraded state while no master is there.
        await("both nodes not connected").atMost(Duration.ofSeconds(5))
                .until(() -> !a.adapter().isConnected() && !b.adapter().isConnected());
        await("a replica promoted").atMost(Duration.ofSeconds(20))
                .until(() -> String.valueOf(replica.port()).equals(masterPort(sentinels.get(0))));
        long promotedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        await("both nodes on the new master").atMost(RESUME_BOUND)
                .until(() -> a.adapter().isConnected() && b.adapter().isConnected());
        long reconnectedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(stream.join(30_000)).as("all published").isTrue();
        await("the stream's end across nodes").atMost(RESUME_BOUND)
                .until(() -> NumberedBroadcasts.numbers(receiver).contains(stream.total() - 1));

        NumberedBroadcasts.Tally tally = stream.tally(NumberedBroadcasts.numbers(receiver));
        System.out.printf("sentinel failover (%s): promoted %d ms after the kill, both nodes on it %d ms after; %s; "
                + "%d publishes dropped%n", kind, promotedMillis, reconnectedMillis, tally, a.bus().droppedPublishes());
        assertThat(tally.reordered()).as("out of order").isZero();
        assertThat(tally.duplicated()).as("duplicated").isZero();
        assertThat(a.bus().droppedPublishes()).as("publishes dropped from the queue").isZero();
        assertThat(tally.lost()).as("lost in the failover").isLessThan(stream.total() / 2);
    }

    @Test
    void aMasterTheSentinelsDoNotKnowLeavesTheNodeServingButNotConnected() throws Exception {
        RedisServer master = keep(RedisServer.start());
        RedisServer sentinel = keep(RedisServer.sentinel(MASTER, master, 1));
        RedisBus bus = keep(new RedisBus("redis-sentinel://" + RedisServer.HOST + ":" + sentinel.port() + "#nosuch", 10));
        Thread.sleep(1_000);
        assertThat(bus.isConnected()).as("connected to a master nobody named").isFalse();
        RedisBus right = keep(new RedisBus("redis-sentinel://" + RedisServer.HOST + ":" + sentinel.port() + "#" + MASTER, 10));
        await("the named master").atMost(Duration.ofSeconds(10)).until(right::isConnected);
    }
}
