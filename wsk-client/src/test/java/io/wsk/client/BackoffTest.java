package io.wsk.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Backoff} gives what the JS client's backo2 gives for the same random numbers. */
class BackoffTest {

    /** backo2's duration(), transcribed, with the random number given. */
    private static long js(long ms0, long max, double jitter, int attempts, double rand) {
        double ms = ms0 * Math.pow(2, attempts);
        double deviation = Math.floor(rand * jitter * ms);
        ms = (((int) Math.floor(rand * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
        return (long) Math.min(ms, max);
    }

    @Test
    void matchesTheJsClientsDelays() {
        double[] randoms = {0.05, 0.15, 0.99, 0.5, 0.0, 0.31, 0.72};
        int[] i = {0};
        Backoff backoff = new Backoff(1000, 5000, 0.5, () -> randoms[i[0]++ % randoms.length]);
        List<Long> delays = new ArrayList<>();
        for (int n = 0; n < randoms.length; n++) {
            delays.add(backoff.duration());
        }
        // 0.05: digit 0, even: 1000 - 25; 0.15: odd: 2000 + 150; 0.99: odd: 4000 + 1980 capped; ...
        assertThat(delays).containsExactly(975L, 2150L, 5000L, 5000L, 5000L, 5000L, 5000L);
        for (int n = 0; n < 3; n++) {
            assertThat(delays.get(n)).isEqualTo(js(1000, 5000, 0.5, n, randoms[n]));
        }
        assertThat(backoff.attempts()).isEqualTo(7);
        backoff.reset();
        assertThat(backoff.attempts()).isZero();
    }

    @Test
    void withoutJitterDoublesUpToTheCap() {
        Backoff backoff = new Backoff(100, 1000, 0);
        List<Long> delays = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            delays.add(backoff.duration());
        }
        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void boundsHoldTheJitteredDelays() {
        for (int trial = 0; trial < 200; trial++) {
            Backoff backoff = new Backoff(1000, 5000, 0.5);
            for (int n = 0; n < 5; n++) {
                long[] bounds = Backoff.bounds(1000, 5000, 0.5, n);
                assertThat(backoff.duration()).isBetween(bounds[0], bounds[1]);
            }
        }
        assertThat(Backoff.bounds(1000, 5000, 0.5, 0)).containsExactly(500, 1500);
        assertThat(Backoff.bounds(1000, 5000, 0.5, 2)).containsExactly(2000, 5000);
    }
}
