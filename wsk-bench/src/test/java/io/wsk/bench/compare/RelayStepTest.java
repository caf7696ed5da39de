package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RelayStepTest {

    private static RelayStep step(int rate, double ratio, long p99) {
        return new RelayStep(rate, ResultFields.parse("RESULT scenario=relay rate=" + rate + " ratio=" + ratio
                + " p99_us=" + p99), Double.NaN);
    }

    @Test
    void sustainedNeedsEveryMessageAndALowTail() {
        assertThat(step(2000, 1.0, 5000).sustained()).isTrue();
        assertThat(step(2000, 0.998, 5000).sustained()).isFalse();
        assertThat(step(2000, 1.0, 100_001).sustained()).isFalse();
        assertThat(new RelayStep(2000, null, Double.NaN).sustained()).isFalse();
    }

    @Test
    void theMaximumIsTheLastRateBeforeTheFirstMiss() {
        List<Integer> ladder = List.of(2000, 4000, 8000);
        assertThat(RelayStep.maxSustained(List.of(step(2000, 1, 10), step(4000, 1, 10), step(8000, 0.5, 10)), ladder))
                .isEqualTo(Value.of(4000));
        assertThat(RelayStep.maxSustained(List.of(step(2000, 0.5, 10)), ladder)).isEqualTo(Value.of(0));
    }

    @Test
    void aRateMissedOnceAndHeldOnItsSecondAttemptCounts() {
        List<Integer> ladder = List.of(2000, 4000, 8000, 16000);
        assertThat(RelayStep.maxSustained(List.of(step(2000, 1, 10), step(4000, 1, 200_000), step(4000, 1, 10),
                step(8000, 1, 10), step(16000, 0.5, 10), step(16000, 0.9, 10)), ladder)).isEqualTo(Value.of(8000));
        assertThat(RelayStep.maxSustained(List.of(step(2000, 1, 10), step(4000, 1, 200_000), step(4000, 0.5, 10)), ladder))
                .as("missed twice").isEqualTo(Value.of(2000));
    }

    @Test
    void theTopOfTheLadderIsOnlyALowerBound() {
        List<Integer> ladder = List.of(2000, 4000);
        assertThat(RelayStep.maxSustained(List.of(step(2000, 1, 10), step(4000, 1, 10)), ladder))
                .isEqualTo(new Value(4000, true));
    }
}
