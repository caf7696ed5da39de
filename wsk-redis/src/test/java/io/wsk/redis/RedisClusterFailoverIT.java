package io.wsk.redis;

import io.wsk.testkit.RedisCluster;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster losing the master of the slot the traffic is on, for real: two wsk nodes on a
 * {@link RedisCluster}, 5,000 numbered broadcasts at 1,000/s from one node to a client of the
 * other, and 2 s in, the master owning the channel's slot (the stream's, for Streams) killed
 * (SIGKILL). Its replica is promoted after the node timeout (1 s); delivery resumes, in order,
 * nothing twice, and what was lost is counted and printed with the time to promotion and to
 * resumed delivery. And the slot moved to another master in the middle of the traffic
 * ({@code CLUSTER SETSLOT}, as a reshard does): nothing lost, nothing out of order.
 */
class RedisClusterFailoverIT {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int TOTAL = 5_000;
    private static final int PER_SECOND = 1_000;

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

    /** The key the traffic of {@code kind} is on: the namespace's channel, or the stream. */
    private static String trafficKey(AdapterKind kind) {
        return kind == AdapterKind.STREAMS ? RedisStreamsAdapterOptions.defaults().streamName() : "socket.io#/#";
    }

    private record Setup(RedisCluster cluster, WskNode a, WskNode b, SocketIoClient receiver) {
    }

    private Setup setUp(AdapterKind kind) throws Exception {
        RedisCluster cluster = keep(RedisCluster.start());
        WskNode a = keep(kind.node(cluster.url(), "a").start());
        WskNode b = keep(kind.node(cluster.url(), "b").start());
        a.awaitServerCount(2);
        b.awaitServerCount(2);
        SocketIoClient receiver = clients.connect(b.url());
        receiver.awaitConnect();
        await("cross-node delivery").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.io().emit("ready");
            return !receiver.allReceived("ready").isEmpty();
        });
        // The subscriber counts the backlog waits for after a failover are sampled every 2 s.
        Thread.sleep(RedisBus.SAMPLE_SUBSCRIBERS_EVERY.toMillis() + 500);
        return new Setup(cluster, a, b, receiver);
    }

    @ParameterizedTest
    @EnumSource(AdapterKind.class)
    void deliveryResumesOnThePromotedReplica(AdapterKind kind) throws Exception {
        Setup s = setUp(kind);
        int slot = s.cluster().slot(trafficKey(kind));
        NumberedBroadcasts stream = NumberedBroadcasts.start(s.a(), TOTAL, PER_SECOND);
        Thread.sleep(2_000);
        RedisServer killed = s.cluster().killMasterOf(slot);
        long killedAt = System.nanoTime();
        int atKill = stream.current();
        // Readiness (/ready, from isConnected) shows the lost master until its replica took over.
        await("both nodes not connected").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !s.a().adapter().isConnected() && !s.b().adapter().isConnected());
        await("a replica promoted").atMost(BOUND).pollInterval(Duration.ofMillis(50))
                .until(() -> s.cluster().masterOf(slot) != killed);
        long promotedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        await("delivery resumed").atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    return NumberedBroadcasts.numbers(s.receiver()).stream().anyMatch(n -> n > atKill + 50);
                });
        long resumedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(stream.join(30_000)).as("all published").isTrue();
        await("the stream's end across nodes").atMost(BOUND)
                .until(() -> NumberedBroadcasts.numbers(s.receiver()).contains(TOTAL - 1));

        NumberedBroadcasts.Tally tally = stream.tally(NumberedBroadcasts.numbers(s.receiver()));
        System.out.printf("cluster failover (%s): promoted %d ms after the kill, delivery resumed %d ms after; %s; "
                + "%d publishes dropped%n", kind, promotedMillis, resumedMillis, tally, s.a().bus().droppedPublishes());
        assertThat(tally.reordered()).as("out of order").isZero();
        assertThat(tally.duplicated()).as("duplicated").isZero();
        assertThat(s.a().bus().droppedPublishes()).as("publishes dropped from the queue").isZero();
        assertThat(tally.lost()).as("lost in the failover").isLessThan(TOTAL / 10);
        await("both nodes connected again").atMost(BOUND).until(() -> s.a().bus().isConnected() && s.b().bus().isConnected());
    }

    @ParameterizedTest
    @EnumSource(value = AdapterKind.class, names = {"SHARDED", "STREAMS"})
    void aSlotMovedDuringTrafficLosesNothing(AdapterKind kind) throws Exception {
        Setup s = setUp(kind);
        int slot = s.cluster().slot(trafficKey(kind));
        RedisServer from = s.cluster().masterOf(slot);
        RedisServer to = s.cluster().masters().stream().filter(m -> m != from).findFirst().orElseThrow();
        NumberedBroadcasts stream = NumberedBroadcasts.start(s.a(), TOTAL, PER_SECOND);
        Thread.sleep(2_000);
        long movedAt = System.nanoTime();
        s.cluster().moveSlot(slot, to);
        long moveMillis = (System.nanoTime() - movedAt) / 1_000_000;
        assertThat(stream.join(30_000)).as("all published").isTrue();
        await("the stream's end across nodes").atMost(BOUND)
                .until(() -> NumberedBroadcasts.numbers(s.receiver()).contains(TOTAL - 1));

        NumberedBroadcasts.Tally tally = stream.tally(NumberedBroadcasts.numbers(s.receiver()));
        System.out.printf("cluster slot move (%s): slot %d moved in %d ms; %s%n", kind, slot, moveMillis, tally);
        assertThat(s.cluster().masterOf(slot)).isSameAs(to);
        assertThat(tally.reordered()).as("out of order").isZero();
        assertThat(tally.duplicated()).as("duplicated").isZero();
        assertThat(tally.lost()).as("lost").isZero();
    }
}
