package io.wsk.bench.compare;

import java.util.List;
import java.util.Locale;

/**
 * One rate of the relay ladder and how the server pair coped: sustained means every message
 * arrived (≥ 99.9 %, counting those that arrive up to 2 s after the window) and the p99 latency,
 * counted from each message's scheduled send time, stayed within 100 ms.
 *
 * @param result                {@code null} when the run gave no result
 * @param cpuMicrosPerMessage   CPU the two nodes and Redis spent per message in the window, NaN if unknown
 */
record RelayStep(int rate, ResultFields result, double cpuMicrosPerMessage) {

    static final double DELIVERED = 0.999;
    static final double P99_MICROS = 100_000;

    boolean sustained() {
        return result != null && result.number("ratio") >= DELIVERED && result.number("p99_us") <= P99_MICROS;
    }

    /** E.g. {@code 8,000 ok (p99 3.10 ms)} or {@code 16,000 NO (delivered 93.1 %, p99 1.20 s)}. */
    String describe() {
        String rateText = String.format(Locale.US, "%,d", rate);
        if (result == null) {
            return rateText + " failed";
        }
        String p99 = "p99 " + Unit.LATENCY_MICROS.format(result.number("p99_us"));
        return sustained() ? rateText + " ok (" + p99 + ")"
                : String.format(Locale.US, "%s NO (delivered %.1f %%, %s)", rateText, 100 * result.number("ratio"), p99);
    }

    /**
     * The highest rate of the ladder up to which every rate was sustained at least once (a rate
     * may have two attempts, see {@link RelayComparison}); a lower bound when that is the top of
     * the ladder; zero when the first rate was not.
     */
    static Value maxSustained(List<RelayStep> climbed, List<Integer> ladder) {
        int best = 0;
        for (int rate : ladder) {
            boolean held = climbed.stream().anyMatch(step -> step.rate() == rate && step.sustained());
            if (!held) {
                break;
            }
            best = rate;
        }
        boolean topReached = !ladder.isEmpty() && best == ladder.get(ladder.size() - 1);
        return new Value(best, topReached);
    }

    /**
     * The CPU per message at {@code max} (the highest rate sustained, from {@link #maxSustained}):
     * of the sustained attempt, the last if there were two; NaN when none was or it is unknown.
     */
    static double cpuAt(List<RelayStep> climbed, Value max) {
        double cpu = Double.NaN;
        for (RelayStep step : climbed) {
            if (step.rate() == (int) max.amount() && step.sustained()) {
                cpu = step.cpuMicrosPerMessage();
            }
        }
        return cpu;
    }
}
