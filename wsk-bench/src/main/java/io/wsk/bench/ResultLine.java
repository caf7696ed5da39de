package io.wsk.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The one machine-readable line each scenario ends with, {@code RESULT scenario=... key=value ...},
 * which {@code compare} parses; and the {@code MARK} lines that tell it when the measured window
 * opens and closes, so it can read the server's CPU time at those moments.
 */
final class ResultLine {

    private final StringBuilder line = new StringBuilder("RESULT");

    ResultLine(String scenario) {
        add("scenario", scenario);
    }

    ResultLine add(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(value);
        line.append(' ').append(key).append('=').append(text);
        return this;
    }

    /** p50, p99, p99.9 and max of a histogram of microseconds. */
    ResultLine latency(Histogram micros) {
        return add("p50_us", micros.getValueAtPercentile(50))
                .add("p99_us", micros.getValueAtPercentile(99))
                .add("p999_us", micros.getValueAtPercentile(99.9))
                .add("max_us", micros.getMaxValue());
    }

    void print() {
        System.out.println(line);
        System.out.flush();
    }

    /** Tells {@code compare} the measured window opens ({@code start}) or closes ({@code end}). */
    static void mark(String what) {
        System.out.println("MARK " + what);
        System.out.flush();
    }
}
