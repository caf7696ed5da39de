package io.wsk.bench.abuse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceCheckerTest {

    @Test
    void countsLostDuplicatedAndOutOfOrder() {
        SequenceChecker checker = new SequenceChecker();
        long t = 0;
        for (long seq : new long[]{0, 1, 3, 2, 3, 5}) {
            checker.record(seq, t += 1_000_000);
        }
        assertThat(checker.received()).isEqualTo(6);
        assertThat(checker.distinct()).isEqualTo(5);
        assertThat(checker.duplicates()).isEqualTo(1);  // the second 3
        assertThat(checker.outOfOrder()).isEqualTo(1);  // 2 after 3 (the second 3 is not below the highest)
        assertThat(checker.lost(7)).isEqualTo(2);       // 4 and 6
    }

    @Test
    void theLongestGapIsBetweenTwoArrivals() {
        SequenceChecker checker = new SequenceChecker();
        checker.record(0, 10);
        checker.record(1, 20);
        checker.record(2, 500);
        checker.record(3, 510);
        assertThat(checker.longestGap()).containsExactly(20, 500);
    }
}
