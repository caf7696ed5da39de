package io.wsk.app;

import io.wsk.testkit.HaproxyProcess;
import io.wsk.testkit.SocketIoCrowd;
import io.wsk.testkit.SocketIoCrowd.Event;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain seen by its clients through the shipped {@code deploy/haproxy.cfg}: the node closes its
 * sessions evenly over the drain window, and HAProxy, marking it down meanwhile, must not cut the
 * rest at once ({@code on-marked-down shutdown-sessions} did: most clients of a draining node
 * dropped together about 1.6 s in, a reconnect storm on the other nodes).
 */
class HaproxyDrainIT {

    private static final int CLIENTS = 40;
    private static final Pattern DRAINING = Pattern.compile("draining (\\d+) sessions");

    private ClusterFixture cluster;
    private HaproxyProcess haproxy;
    private SocketIoCrowd crowd;

    @AfterEach
    void stop() {
        if (crowd != null) {
            crowd.close();
        }
        if (cluster != null) {
            cluster.close(); // and the HAProxy in front
        }
    }

    @Test
    void theDisconnectsOfADrainAreSpreadOverItsWindowAndEveryClientIsBack() {
        cluster = new ClusterFixture(2);
        haproxy = cluster.behindHaproxy(ClusterFixture.SHIPPED_HAPROXY);
        // WebSocket only: round robin spreads the handshakes over both nodes, one session each.
        crowd = SocketIoCrowd.connect(haproxy.url(), CLIENTS, Map.of("transports", List.of("websocket")));
        crowd.awaitAllConnected(Duration.ofSeconds(20));

        WskNode drained = cluster.nodes.get(1);
        drained.terminate();
        Matcher draining = DRAINING.matcher(drained.awaitLog(line -> DRAINING.matcher(line).find(), Duration.ofSeconds(5)));
        assertThat(draining.find()).isTrue();
        int sessions = Integer.parseInt(draining.group(1));
        assertThat(sessions).as("sessions on the drained node").isBetween(CLIENTS / 4, 3 * CLIENTS / 4);
        int exit = drained.waitForExit(Duration.ofSeconds(ClusterFixture.DRAIN_SECONDS + 3));

        crowd.await(events -> disconnects(events).size() == sessions, Duration.ofSeconds(5), sessions + " disconnects");
        // Each client of the drained node reconnects, through HAProxy, to the node left.
        crowd.await(events -> events.stream().filter(e -> e.event().equals("connect")).count() == CLIENTS + sessions,
                Duration.ofSeconds(15), "every drained client connected again");

        List<Event> disconnects = disconnects(crowd.events());
        long first = disconnects.get(0).millis();
        long span = disconnects.get(disconnects.size() - 1).millis() - first;
        int busiest = busiestWindow(disconnects, 300);
        long windowMillis = ClusterFixture.DRAIN_SECONDS * 1000L;
        System.out.printf("HAProxy drain (window %d ms): %d sessions closed over %d ms, at most %d in any 300 ms; exit %d%n",
                windowMillis, sessions, span, busiest, exit);
        assertThat(disconnects).as("disconnect reasons").allMatch(e -> e.detail().equals("transport close"));
        assertThat(span).as("ms from the first disconnect to the last").isBetween(windowMillis * 3 / 4, windowMillis);
        // Evenly: sessions/window per ms, so about 300 * sessions / window in 300 ms; twice that and two at most.
        assertThat(busiest).as("disconnects in the busiest 300 ms").isLessThanOrEqualTo((int) (2 * 300 * sessions / windowMillis) + 2);
        // The JVM's own status for a SIGTERM it handled (128 + 15), once the drain is over.
        assertThat(exit).as("the drained node's exit code").isEqualTo(143);
    }

    /** The first disconnect of each socket that had one, in time order. */
    private static List<Event> disconnects(List<Event> events) {
        return events.stream().filter(e -> e.event().equals("disconnect"))
                .collect(java.util.stream.Collectors.toMap(Event::index, e -> e, (a, b) -> a))
                .values().stream().sorted(java.util.Comparator.comparingLong(Event::millis)).toList();
    }

    /** The most events in any {@code millis}-long interval (events sorted by time). */
    private static int busiestWindow(List<Event> sorted, long millis) {
        int most = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i).millis() - sorted.get(j).millis() >= millis) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }
}
