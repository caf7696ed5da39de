package io.wsk.bench.compare;

/**
 * One server's figure. {@code atLeast}: the real figure may be higher, e.g. a relay rate when the
 * server sustained the top rate of the ladder.
 */
record Value(double amount, boolean atLeast) {

    static Value of(double amount) {
        return new Value(amount, false);
    }

    String format(Unit unit) {
        return (atLeast ? "≥ " : "") + unit.format(amount);
    }
}
