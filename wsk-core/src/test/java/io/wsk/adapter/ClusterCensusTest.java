package io.wsk.adapter;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterCensusTest {

    @Test
    void theFirstCountIsTheServersAndTheOthersTellWhoStillListens() {
        ClusterCensus census = ClusterCensus.fromCounts(List.of("b", "c", "d"), List.of(3L, 1L, 0L, 2L));

        assertThat(census.servers()).isEqualTo(3);
        assertThat(census.listening()).containsExactly("b", "d");
        assertThat(census.gone()).containsExactly("c");
    }

    @Test
    void noSubscriberStillCountsThisNode() {
        assertThat(ClusterCensus.fromCounts(List.of(), List.of(0L)).servers()).isEqualTo(1);
    }

    @Test
    void withoutCountsEveryoneAskedAboutIsTakenToListen() {
        ClusterCensus census = ClusterCensus.assumingAllListen(2, Set.of("b"));

        assertThat(census.listening()).containsExactly("b");
        assertThat(census.gone()).isEmpty();
    }
}
