package io.wsk.bench.compare;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the comparison: a metric of one scenario for wsk and for each reference server,
 * measured in the same run, and, for the figures the issue sets goals for, the wsk/Node ratio it
 * must reach (the targets are Node's; the other references' ratios are shown beside them).
 *
 * @param values       each server's figure; a server without one gave none (or was not run)
 * @param notSupported servers that cannot run this scenario at all, shown as such rather than as missing
 * @param target       {@code null} for figures shown for context only
 */
record Figure(String scenario, String metric, Unit unit, Map<ServerKind, Value> values, Set<ServerKind> notSupported,
              Target target) {

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

    Figure {
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
        notSupported = notSupported.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(notSupported));
    }

    /** wsk against Node alone (either may be {@code null}). */
    static Figure of(String scenario, String metric, Unit unit, Value wsk, Value node, Target target) {
        Map<ServerKind, Value> values = new EnumMap<>(ServerKind.class);
        if (wsk != null) {
            values.put(ServerKind.WSK, wsk);
        }
        if (node != null) {
            values.put(ServerKind.NODE, node);
        }
        return new Figure(scenario, metric, unit, values, Set.of(), target);
    }

    /** {@code null} when the server gave no figure. */
    Value of(ServerKind kind) {
        return values.get(kind);
    }

    Value wsk() {
        return of(ServerKind.WSK);
    }

    Value node() {
        return of(ServerKind.NODE);
    }

    boolean supported(ServerKind kind) {
        return !notSupported.contains(kind);
    }

    /** wsk/{@code reference}, when both figures exist and the reference's is not zero. */
    Optional<Double> ratio(ServerKind reference) {
        Value wsk = wsk();
        Value other = of(reference);
        if (wsk == null || other == null || other.amount() == 0) {
            return Optional.empty();
        }
        return Optional.of(wsk.amount() / other.amount());
    }

    /** wsk/Node: what the targets are set on. */
    Optional<Double> ratio() {
        return ratio(ServerKind.NODE);
    }

    String ratioText(ServerKind reference) {
        Value wsk = wsk();
        Value other = of(reference);
        return ratio(reference).map(r -> (wsk.atLeast() && !other.atLeast() ? "≥ " : other.atLeast() && !wsk.atLeast() ? "≤ " : "")
                + String.format(Locale.US, r < 10 ? "%.2f×" : "%.1f×", r)).orElse("—");
    }

    String ratioText() {
        return ratioText(ServerKind.NODE);
    }

    /**
     * Met or not, on wsk/Node. A lower bound on wsk's figure (or an upper bound on the ratio, when
     * Node's figure is a lower bound) decides only in one direction; otherwise the verdict is unknown.
     */
    Verdict verdict() {
        if (target == null) {
            return Verdict.NO_TARGET;
        }
        Optional<Double> ratio = ratio();
        Value wsk = wsk();
        Value node = node();
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
