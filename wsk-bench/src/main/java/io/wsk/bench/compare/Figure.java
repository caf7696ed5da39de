package io.wsk.bench.compare;

import java.util.Locale;
import java.util.Optional;

/**
 * One row of the comparison: a metric of one scenario for wsk and for Node, measured in the same
 * run, and, for the figures the issue sets goals for, the wsk/Node ratio it must reach.
 *
 * @param wsk    {@code null} when the run gave no figure
 * @param node   {@code null} when the run gave no figure
 * @param target {@code null} for figures shown for context only
 */
record Figure(String scenario, String metric, Unit unit, Value wsk, Value node, Target target) {

    /** Whether a figure with a target reached it. */
    enum Verdict {
        MET("yes"), NOT_MET("NO"), UNKNOWN("?"), NO_TARGET("");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    Value of(ServerKind kind) {
        return kind == ServerKind.WSK ? wsk : node;
    }

    /** wsk/Node, when both figures exist and Node's is not zero. */
    Optional<Double> ratio() {
        if (wsk == null || node == null || node.amount() == 0) {
            return Optional.empty();
        }
        return Optional.of(wsk.amount() / node.amount());
    }

    String ratioText() {
        return ratio().map(r -> (wsk.atLeast() && !node.atLeast() ? "≥ " : node.atLeast() && !wsk.atLeast() ? "≤ " : "")
                + String.format(Locale.US, r < 10 ? "%.2f×" : "%.1f×", r)).orElse("—");
    }

    /**
     * Met or not. A lower bound on wsk's figure (or an upper bound on the ratio, when Node's figure
     * is a lower bound) decides only in one direction; otherwise the verdict is unknown.
     */
    Verdict verdict() {
        if (target == null) {
            return Verdict.NO_TARGET;
        }
        Optional<Double> ratio = ratio();
        if (ratio.isEmpty() || (wsk.atLeast() && node.atLeast())) {
            return Verdict.UNKNOWN;
        }
        boolean met = target.met(ratio.get());
        if (wsk.atLeast()) {
            // The real ratio is at least this one: it can prove a "≥" target met or a "≤" target missed.
            return met == target.atLeast() ? (met ? Verdict.MET : Verdict.NOT_MET) : Verdict.UNKNOWN;
        }
        if (node.atLeast()) {
            // The real ratio is at most this one: the other way round.
            return met != target.atLeast() ? (met ? Verdict.MET : Verdict.NOT_MET) : Verdict.UNKNOWN;
        }
        return met ? Verdict.MET : Verdict.NOT_MET;
    }
}
