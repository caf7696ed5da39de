package io.wsk.app;

import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing lost when a node dies: three {@code wsk serve --adapter redis-streams --recovery} nodes
 * behind the shipped {@code deploy/haproxy.cfg}, official clients (WebSocket-only and upgrading)
 * in a room, and numbered broadcasts to it at a steady rate. When a node is killed (SIGKILL),
 * drained (SIGTERM), or Redis crashes and comes back (AOF on), every client gets every number
 * once and in order, and those of the lost node come back to another one with their session.
 */
class HaproxyRecoveryIT {

    private static final int RATE = 100;
    private static final int COUNT = 1_000;

    private ClusterFixture cluster;
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close(); // and the HAProxy in front
        }
    }

    private List<SocketIoClient> start(RedisServer redis) {
        List<String> flags = List.of("--recovery", "--recovery-window", "60");
        cluster = new ClusterFixture("redis-streams", redis, List.of(flags, flags, flags));
        haproxy = cluster.behindHaproxy(ClusterFixture.SHIPPED_HAPROXY);
        List<SocketIoClient> receivers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            if (i % 3 == 2) {
                receivers.add(cluster.connect(haproxy.url(), false)); // polling, then WebSocket
            } else {
                SocketIoClient client = SocketIoClient.connect(haproxy.url(), Map.of("transports", List.of("websocket")));
                cluster.clients.add(client);
                receivers.add(client);
            }
        }
        for (SocketIoClient receiver : receivers) {
            receiver.awaitConnect();
            receiver.emitWithAck("join", "numbers").await();
        }
        return receivers;
    }

    /** A client of node 2, never stopped, asks for {@code count} numbered broadcasts, {@code RATE} a second. */
    private Thread publish(int count) {
        SocketIoClient publisher = SocketIoClient.connect(cluster.nodes.get(2).url(), Map.of("transports", List.of("websocket")));
        cluster.clients.add(publisher);
        publisher.awaitConnect();
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                while (System.nanoTime() < start + i * 1_000_000_000L / RATE) {
                    ClusterFixture.sleep(1);
                }
                publisher.emit("pub", Map.of("room", "numbers", "seq", i));
            }
        }, "publisher");
        thread.start();
        return thread;
    }

    /** What one client got of the numbered stream. */
    private record Tally(int received, int lost, int duplicated, int reordered) {
        static Tally of(SocketIoClient client, int count) {
            List<Integer> seqs = client.allReceived("b").stream().map(b -> b.args().get(0).path("seq").asInt()).toList();
            boolean[] seen = new boolean[count];
            int duplicated = 0;
            int reordered = 0;
            int highest = -1;
            for (int seq : seqs) {
                if (seq >= 0 && seq < count && seen[seq]) {
                    duplicated++;
                } else if (seq >= 0 && seq < count) {
                    seen[seq] = true;
                }
                if (seq < highest) {
                    reordered++;
                }
                highest = Math.max(highest, seq);
            }
            int lost = 0;
            for (boolean got : seen) {
                lost += got ? 0 : 1;
            }
            return new Tally(seqs.size(), lost, duplicated, reordered);
        }
    }

    /**
     * Waits for the stream to end and for every client to have its last number; checks every
     * client's tally and that the moved ones came back recovered; prints the figures.
     */
    private void assertNothingLost(String what, List<SocketIoClient> receivers, List<SocketIoClient> moved,
                                   Thread publisher, long t0) throws InterruptedException {
        long recoveredBy = t0;
        for (SocketIoClient client : moved) {
            SocketIoClient.Connect again = client.awaitConnect(Duration.ofSeconds(20));
            assertThat(again.recovered()).as("a moved client's session came back").isTrue();
            recoveredBy = Math.max(recoveredBy, System.nanoTime());
        }
        publisher.join(60_000);
        for (SocketIoClient client : receivers) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (client.allReceived("b").stream().noneMatch(b -> b.args().get(0).path("seq").asInt() == COUNT - 1)
                    && System.nanoTime() < deadline) {
                ClusterFixture.sleep(50);
            }
        }
        int lost = 0;
        int duplicated = 0;
        int reordered = 0;
        for (SocketIoClient client : receivers) {
            Tally tally = Tally.of(client, COUNT);
            lost += tally.lost();
            duplicated += tally.duplicated();
            reordered += tally.reordered();
        }
        System.out.printf("HAProxy + redis-streams, %s, %d broadcasts at %d/s to %d clients: %d moved, %d recovered,"
                        + " %d lost, %d duplicated, %d out of order; the last moved one recovered %d ms after it%n",
                what, COUNT, RATE, receivers.size(), moved.size(), moved.size(), lost, duplicated, reordered,
                (recoveredBy - t0) / 1_000_000);
        if (lost + duplicated + reordered > 0) {
            for (SocketIoClient client : receivers) {
                Tally tally = Tally.of(client, COUNT);
                System.out.println("TALLY " + tally + (moved.contains(client) ? " moved " : " ")
                        + client.events().stream().filter(e -> !e.path("event").asText().equals("received")).toList());
                if (tally.lost() + tally.duplicated() + tally.reordered() > 0) {
                    System.out.println("  " + client.events().stream().map(e -> e.path("event").asText().equals("received")
                            ? e.path("args").path(0).path("seq").asInt() + "@" + e.path("args").path(1).asText()
                            : e.toString()).toList());
                }
            }
            System.out.println("REPORT " + cluster.report());
        }
        assertThat(lost).as("lost").isZero();
        assertThat(duplicated).as("duplicated").isZero();
        assertThat(reordered).as("out of order").isZero();
    }

    @Test
    void whenANodeIsKilledItsClientsRecoverElsewhereWithNothingLost() throws InterruptedException {
        List<SocketIoClient> receivers = start(RedisServer.start());
        Thread publisher = publish(COUNT);
        ClusterFixture.sleep(3_000);
        WskNode victim = cluster.nodes.get(0);
        long t0 = System.nanoTime();
        victim.kill();
        List<SocketIoClient> moved = cluster.awaitDisconnected(receivers, Duration.ofSeconds(5), Duration.ofMillis(500));
        assertThat(moved).isNotEmpty();
        assertNothingLost("kill -9 of a node", receivers, moved, publisher, t0);
    }

    @Test
    void whenANodeIsDrainedItsClientsRecoverElsewhereWithNothingLost() throws InterruptedException {
        List<SocketIoClient> receivers = start(RedisServer.start());
        Thread publisher = publish(COUNT);
        ClusterFixture.sleep(3_000);
        WskNode drained = cluster.nodes.get(1);
        long t0 = System.nanoTime();
        drained.terminate();
        List<SocketIoClient> moved = cluster.awaitDrained(drained, receivers);
        assertNothingLost("SIGTERM (drain) of a node", receivers, moved, publisher, t0);
    }

    @Test
    void whenRedisCrashesAndComesBackWithItsDataNothingIsLost() throws InterruptedException {
        List<SocketIoClient> receivers = start(RedisServer.start("--appendonly", "yes", "--appendfsync", "always"));
        Thread publisher = publish(COUNT);
        ClusterFixture.sleep(3_000);
        long t0 = System.nanoTime();
        cluster.redis.kill();
        ClusterFixture.sleep(2_000);
        cluster.redis.restart();
        assertNothingLost("Redis killed and restarted (AOF)", receivers, List.of(), publisher, t0);
        assertThat(receivers).noneMatch(ClusterFixture::disconnected);
    }
}
