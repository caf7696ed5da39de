package io.wsk.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A fixed set of reasons, plus "other": what clients send never adds a label. */
class ReasonCountsTest {

    @Test
    void countsKnownReasonsAndPutsEverythingElseUnderOther() {
        ReasonCounts counts = new ReasonCounts(List.of("ping timeout", "transport close"));

        counts.add("ping timeout");
        counts.add("ping timeout");
        counts.add("transport close");
        for (int i = 0; i < 1_000; i++) {
            counts.add("made up " + i);
        }
        counts.add(null);

        assertThat(counts.reasons()).containsExactly("ping timeout", "transport close", ReasonCounts.OTHER);
        assertThat(counts.count("ping timeout")).isEqualTo(2);
        assertThat(counts.count("transport close")).isEqualTo(1);
        assertThat(counts.count(ReasonCounts.OTHER)).isEqualTo(1_001);
        assertThat(counts.count("made up 1")).isZero();
    }
}
