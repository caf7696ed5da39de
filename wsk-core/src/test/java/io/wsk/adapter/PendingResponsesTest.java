package io.wsk.adapter;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PendingResponsesTest {

    private final ClusterNodes nodes = new ClusterNodes("/", "self");
    private final CapturedLogs logs = new CapturedLogs(PendingResponses.class);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    private static JsonNode answer(String text) {
        return TextNode.valueOf(text);
    }

    private void leaveOut(String uid) {
        nodes.heard(uid);
        nodes.missed(List.of(uid));
        nodes.missed(List.of(uid));
    }

    @Test
    void completesOnceEveryOtherNodeAnswered() {
        nodes.heard("b");
        PendingResponses pending = new PendingResponses("fetchSockets on /", 2, nodes, 5000);

        pending.add("b", answer("b"));
        assertThat(pending.result()).isNotDone();
        pending.add(null, answer("from Node"));

        assertThat(pending.result()).isCompletedWithValue(List.of(answer("b"), answer("from Node")));
        pending.timeout();
        assertThat(logs.at(Level.WARN)).isEmpty();
    }

    @Test
    void withNoOtherNodeItIsCompleteAtOnce() {
        assertThat(new PendingResponses("fetchSockets on /", 0, nodes, 5000).result()).isCompletedWithValue(List.of());
    }

    @Test
    void theTimeoutKeepsWhatArrivedAndNamesTheSilentNodes() {
        nodes.heard("b");
        nodes.heard("c");
        PendingResponses pending = new PendingResponses("fetchSockets on /", 2, nodes, 5000);
        pending.add("b", answer("b"));

        pending.timeout();

        assertThat(pending.result()).isCompletedWithValue(List.of(answer("b")));
        assertThat(logs.at(Level.WARN)).containsExactly(
                "fetchSockets on /: 1 of 2 other nodes answered in 5000 ms; silent: c; using what arrived");
    }

    @Test
    void aSilentNodeWhoseUidIsNotKnownIsCountedNotNamed() {
        nodes.heard("c");
        PendingResponses pending = new PendingResponses("serverSideEmit on /", 3, nodes, 100);
        pending.add(null, answer("from Node"));

        pending.timeout();

        assertThat(logs.at(Level.WARN)).containsExactly("serverSideEmit on /: 1 of 3 other nodes answered in 100 ms;"
                + " silent: c and 1 node not known by uid; using what arrived");
    }

    @Test
    void aNodeSilentTwiceInARowIsLeftOutAndNoLongerWaitedFor() {
        nodes.heard("b");
        nodes.heard("c");
        for (int i = 0; i < ClusterNodes.MISSES_TO_LEAVE_OUT; i++) {
            PendingResponses pending = new PendingResponses("fetchSockets on /", 2, nodes, 5000);
            pending.add("b", answer("b"));
            pending.timeout();
        }
        assertThat(nodes.leftOut()).containsExactly("c");

        PendingResponses next = new PendingResponses("fetchSockets on /", 2, nodes, 5000);
        assertThat(next.leftOut()).containsExactly("c");
        next.add("b", answer("b"));

        assertThat(next.result()).as("complete without c").isCompletedWithValue(List.of(answer("b")));
    }

    @Test
    void anAnswerFromALeftOutNodeIsKeptButCannotStandInForALiveOne() {
        nodes.heard("b");
        leaveOut("c");
        PendingResponses pending = new PendingResponses("fetchSockets on /", 2, nodes, 5000);

        pending.add("c", answer("c"));
        assertThat(pending.result()).as("still waiting for b").isNotDone();
        pending.add("b", answer("b"));

        assertThat(pending.result()).isCompletedWithValue(List.of(answer("c"), answer("b")));
    }

    @Test
    void theTimeoutOfARequestThatLeftNodesOutSaysSo() {
        nodes.heard("b");
        leaveOut("c");
        PendingResponses pending = new PendingResponses("fetchSockets on /", 2, nodes, 5000);

        pending.timeout();

        assertThat(logs.at(Level.WARN)).containsExactly("fetchSockets on /: 0 of 1 other nodes answered in 5000 ms;"
                + " silent: b; not waited for (left out): c; using what arrived");
    }

    @Test
    void whenEveryOtherNodeIsLeftOutNothingIsWaitedFor() {
        leaveOut("c");

        assertThat(new PendingResponses("fetchSockets on /", 1, nodes, 5000).result()).isCompletedWithValue(List.of());
    }

    @Test
    void aMissIsChargedOnlyAtTheTimeout() {
        nodes.heard("c");
        PendingResponses answered = new PendingResponses("fetchSockets on /", 1, nodes, 5000);
        answered.add("c", answer("c"));
        answered.timeout();
        PendingResponses missed = new PendingResponses("fetchSockets on /", 1, nodes, 5000);
        missed.timeout();

        assertThat(nodes.leftOut()).as("one miss only").isEmpty();
    }
}
