package io.wsk.adapter;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PendingRequestsTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final PendingRequests pending = new PendingRequests(timers);
    private final ClusterNodes nodes = new ClusterNodes("/", "self");
    private final CapturedLogs ackLogs = new CapturedLogs(PendingBroadcastAck.class);
    private final CapturedLogs responseLogs = new CapturedLogs(PendingResponses.class);

    @AfterEach
    void stop() {
        timers.shutdownNow();
        ackLogs.close();
        responseLogs.close();
    }

    @Test
    void aBroadcastWithAcksIsFoundByItsIdUntilItsTimeoutAndThenTimesOut() {
        nodes.heard("b");
        PendingBroadcastAck broadcast = new PendingBroadcastAck("broadcast", count -> { }, reply -> { }, nodes, 200);

        pending.add("r1", broadcast, 200);

        assertThat(pending.broadcast("r1")).isSameAs(broadcast);
        assertThat(pending.broadcast("r2")).isNull();
        assertThat(pending.responses("r1")).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> pending.broadcast("r1") == null);
        // The broadcast's own timeout ran: it named the node that sent no count.
        await().atMost(Duration.ofSeconds(5)).until(() -> !ackLogs.at(Level.WARN).isEmpty());
        assertThat(ackLogs.at(Level.WARN)).singleElement().asString().contains("silent: b");
    }

    @Test
    void aRequestForResponsesIsForgottenOnceEveryNodeAnswered() {
        PendingResponses request = new PendingResponses("fetch", 1, nodes, 60_000);

        pending.add("r1", request, 60_000);
        assertThat(pending.responses("r1")).isSameAs(request);
        request.add("b", IntNode.valueOf(1));

        assertThat(request.result()).isCompletedWithValue(List.of(IntNode.valueOf(1)));
        assertThat(pending.responses("r1")).isNull();
    }

    @Test
    void aRequestForResponsesCompletesWithWhatArrivedAtItsTimeout() {
        PendingResponses request = new PendingResponses("fetch", 2, nodes, 100);

        pending.add("r1", request, 100);
        request.add("b", IntNode.valueOf(1));

        assertThat(request.result()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(List.of(IntNode.valueOf(1)));
        assertThat(pending.responses("r1")).isNull();
    }
}
