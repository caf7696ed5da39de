package io.wsk.adapter;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PendingBroadcastAckTest {

    private final ClusterNodes nodes = new ClusterNodes("/", "self");
    private final CapturedLogs logs = new CapturedLogs(PendingBroadcastAck.class);
    private final List<Integer> counts = new ArrayList<>();
    private final List<JsonNode> acks = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    private PendingBroadcastAck broadcast() {
        return new PendingBroadcastAck("broadcast with acks on /", counts::add, acks::add, nodes, 1000);
    }

    private void leaveOut(String uid) {
        nodes.heard(uid);
        nodes.missed(List.of(uid));
        nodes.missed(List.of(uid));
    }

    @Test
    void countsAndAcksArePassedOn() {
        nodes.heard("b");
        PendingBroadcastAck pending = broadcast();

        pending.clientCount("b", 2);
        pending.clientCount(null, 1);
        pending.ack(IntNode.valueOf(7));
        pending.timeout();

        assertThat(counts).containsExactly(2, 1);
        assertThat(acks).containsExactly(IntNode.valueOf(7));
        assertThat(logs.at(Level.WARN)).isEmpty();
        assertThat(nodes.leftOut()).isEmpty();
    }

    @Test
    void aLeftOutNodeThatStillListensCountsAsZeroClients() {
        nodes.heard("b");
        leaveOut("c");
        leaveOut("d");
        PendingBroadcastAck pending = broadcast();
        assertThat(pending.leftOut()).containsExactly("c", "d");

        pending.standInFor(Set.of("c", "b"));

        assertThat(counts).as("for c only: b is not left out, d no longer listens").containsExactly(0);
    }

    @Test
    void noStandInForALeftOutNodeThatAnsweredFirst() {
        leaveOut("c");
        PendingBroadcastAck pending = broadcast();
        pending.clientCount("c", 3);

        pending.standInFor(Set.of("c"));

        assertThat(counts).containsExactly(3);
    }

    @Test
    void aLeftOutNodeThatAnswersAfterItsStandInIsPassedOnToo() {
        leaveOut("c");
        PendingBroadcastAck pending = broadcast();
        pending.standInFor(Set.of("c"));

        pending.clientCount("c", 3);

        assertThat(counts).containsExactly(0, 3);
    }

    @Test
    void theTimeoutNamesTheNodesThatSentNoCountAndChargesThemAMiss() {
        nodes.heard("b");
        nodes.heard("c");
        for (int i = 0; i < ClusterNodes.MISSES_TO_LEAVE_OUT; i++) {
            PendingBroadcastAck pending = broadcast();
            pending.clientCount("b", 1);
            pending.timeout();
        }

        assertThat(logs.at(Level.WARN)).hasSize(2)
                .allMatch(line -> line.equals("broadcast with acks on /: no client count in 1000 ms from silent: c"));
        assertThat(nodes.leftOut()).containsExactly("c");
    }

    @Test
    void noStandInAfterTheTimeout() {
        leaveOut("c");
        PendingBroadcastAck pending = broadcast();
        pending.timeout();

        pending.standInFor(Set.of("c"));

        assertThat(counts).isEmpty();
    }
}
