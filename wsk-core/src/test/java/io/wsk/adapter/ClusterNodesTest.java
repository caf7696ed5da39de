package io.wsk.adapter;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterNodesTest {

    private long now = 1_000_000_000L;
    private final ClusterNodes nodes = new ClusterNodes("/", "self", () -> now, ClusterNodes.MAX_NODES);
    private final CapturedLogs logs = new CapturedLogs(ClusterNodes.class);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    private void advance(Duration duration) {
        now += duration.toNanos();
    }

    @Test
    void learnsFromHeardOnlyAndNeverItself() {
        nodes.heardAgain("a");
        nodes.heard("b");
        nodes.heard("self");
        nodes.heard("");
        nodes.heard(null);
        nodes.heardAgain(null);

        assertThat(nodes.known()).containsExactly("b");
    }

    @Test
    void aNodeIsLeftOutAfterTwoMissedRequestsInARow() {
        nodes.heard("b");
        nodes.heard("c");

        nodes.missed(List.of("c"));
        assertThat(nodes.leftOut()).as("one miss may be a pause").isEmpty();
        nodes.missed(List.of("c"));

        assertThat(nodes.leftOut()).containsExactly("c");
        assertThat(nodes.expected()).isEqualTo(new ClusterNodes.Expected(Set.of("b"), Set.of("c")));
        assertThat(logs.at(Level.WARN)).singleElement().asString().contains("c", "missed 2 requests in a row", "left out");
    }

    @Test
    void anyMessageBetweenTwoMissesStartsTheCountAgain() {
        nodes.heard("c");
        nodes.missed(List.of("c"));
        nodes.heardAgain("c");
        nodes.missed(List.of("c"));

        assertThat(nodes.leftOut()).isEmpty();
        nodes.missed(List.of("c"));
        assertThat(nodes.leftOut()).containsExactly("c");
    }

    @Test
    void aLeftOutNodeCountsAgainAsSoonAsItIsHeard() {
        nodes.heard("c");
        nodes.missed(List.of("c"));
        nodes.missed(List.of("c"));
        assertThat(nodes.leftOut()).containsExactly("c");

        nodes.heardAgain("c");

        assertThat(nodes.leftOut()).isEmpty();
        assertThat(nodes.expected().awaited()).containsExactly("c");
        assertThat(logs.at(Level.INFO)).singleElement().asString().contains("c", "heard from again");
        // and it needs two new misses in a row to be left out again
        nodes.missed(List.of("c"));
        assertThat(nodes.leftOut()).isEmpty();
    }

    @Test
    void missesOfUnknownNodesAreIgnored() {
        nodes.missed(List.of("x"));
        nodes.missed(List.of("x"));

        assertThat(nodes.known()).isEmpty();
        assertThat(nodes.leftOut()).isEmpty();
    }

    @Test
    void aNodeIsNotForgottenForBeingSilentLong() {
        nodes.heard("hung");
        advance(Duration.ofDays(1));

        assertThat(nodes.known()).as("a hung node says nothing: forgotten, it could never be left out").containsExactly("hung");
        nodes.missed(List.of("hung"));
        nodes.missed(List.of("hung"));
        assertThat(nodes.leftOut()).containsExactly("hung");
    }

    @Test
    void pastTheLimitLearningANodeForgetsTheOneHeardFromLongestAgo() {
        ClusterNodes few = new ClusterNodes("/", "self", () -> now, 3);
        few.heard("first");
        advance(Duration.ofSeconds(1));
        few.heard("second");
        advance(Duration.ofSeconds(1));
        few.heard("third");
        advance(Duration.ofSeconds(1));
        few.heard("first");
        advance(Duration.ofSeconds(1));

        few.heard("fourth");

        assertThat(few.known()).containsExactly("first", "fourth", "third");
    }

    @Test
    void nodesThatLeftTheClusterAreForgottenEvenLeftOut() {
        nodes.heard("b");
        nodes.heard("c");
        nodes.missed(List.of("c"));
        nodes.missed(List.of("c"));

        nodes.forget(List.of("c", "unknown"));

        assertThat(nodes.known()).containsExactly("b");
        assertThat(nodes.leftOut()).isEmpty();
        assertThat(logs.at(Level.INFO)).singleElement().asString().contains("c", "has left the cluster");
    }
}
