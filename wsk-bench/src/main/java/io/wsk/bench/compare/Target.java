package io.wsk.bench.compare;

/**
 * What the wsk/Node ratio of a figure must be: at least {@code ratio} (throughput) or at most
 * {@code ratio} (memory, latency).
 */
record Target(boolean atLeast, double ratio, String text) {

    /** wsk/Node ≥ {@code ratio}: wsk must do {@code ratio} times as much. */
    static Target atLeast(double ratio) {
        return new Target(true, ratio, "≥ " + trim(ratio) + "×");
    }

    /** wsk/Node ≤ 1/{@code divisor}: wsk must need at most a {@code divisor}th of Node's. */
    static Target atMostOneIn(int divisor) {
        return new Target(false, 1.0 / divisor, "≤ 1/" + divisor);
    }

    boolean met(double actualRatio) {
        return atLeast ? actualRatio >= ratio : actualRatio <= ratio;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
