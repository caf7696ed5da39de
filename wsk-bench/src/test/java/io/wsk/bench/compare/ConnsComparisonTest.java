package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnsComparisonTest {

    @Test
    void oneGeneratorProcessUpToItsShareOfTheOpenFilesLimit() {
        assertThat(ConnsComparison.shares(15_000)).containsExactly(15_000);
        assertThat(ConnsComparison.shares(18_000)).containsExactly(18_000);
    }

    @Test
    void aboveItEvenSharesOfAtMostFifteenThousand() {
        assertThat(ConnsComparison.shares(18_001)).containsExactly(9001, 9000);
        assertThat(ConnsComparison.shares(40_000)).containsExactly(13_334, 13_333, 13_333);
        assertThat(ConnsComparison.shares(45_000)).containsExactly(15_000, 15_000, 15_000);
    }
}
