package io.wsk.bench.compare;

import java.util.Locale;

/** How a figure's number reads. */
enum Unit {

    /** Events per second. */
    PER_SECOND,
    /** A latency, measured in microseconds. */
    LATENCY_MICROS,
    /** Server CPU time per operation, in microseconds. */
    CPU_MICROS,
    BYTES,
    /** Percent of one core. */
    PERCENT_OF_CORE,
    COUNT;

    String format(double value) {
        return switch (this) {
            case PER_SECOND -> String.format(Locale.US, "%,.0f/s", value);
            case LATENCY_MICROS -> value < 1000 ? String.format(Locale.US, "%.0f µs", value)
                    : value < 10_000 ? String.format(Locale.US, "%.2f ms", value / 1000)
                    : value < 1_000_000 ? String.format(Locale.US, "%.1f ms", value / 1000)
                    : String.format(Locale.US, "%.2f s", value / 1_000_000);
            case CPU_MICROS -> String.format(Locale.US, value < 10 ? "%.2f µs" : "%.1f µs", value);
            case BYTES -> Math.abs(value) < 1024 ? String.format(Locale.US, "%.0f B", value)
                    : Math.abs(value) < 1024 * 1024 ? String.format(Locale.US, "%.1f KiB", value / 1024)
                    : String.format(Locale.US, "%.1f MiB", value / (1024 * 1024));
            case PERCENT_OF_CORE -> String.format(Locale.US, "%.0f %%", value);
            case COUNT -> String.format(Locale.US, "%,.0f", value);
        };
    }
}
