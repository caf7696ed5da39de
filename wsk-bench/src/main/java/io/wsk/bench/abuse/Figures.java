package io.wsk.bench.abuse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One case's figures in the order they were taken, printed as {@code key: value} lines. The raw
 * numbers are kept beside the text, so a test can check them without parsing.
 */
final class Figures {

    private final Map<String, String> lines = new LinkedHashMap<>();
    private final Map<String, Double> numbers = new LinkedHashMap<>();

    Figures put(String key, Object value) {
        lines.put(key, String.valueOf(value));
        if (value instanceof Number n) {
            numbers.put(key, n.doubleValue());
        }
        return this;
    }

    Figures bytes(String key, long bytes) {
        lines.put(key, Text.bytes(bytes));
        numbers.put(key, (double) bytes);
        return this;
    }

    Figures signedBytes(String key, long bytes) {
        lines.put(key, String.format(Locale.ROOT, "%d (%+.1f MiB)", bytes, bytes / (1024.0 * 1024)));
        numbers.put(key, (double) bytes);
        return this;
    }

    Figures yesNo(String key, boolean yes) {
        return put(key, yes ? "yes" : "no");
    }

    /** The number stored under {@code key}, or {@code null}. */
    Double number(String key) {
        return numbers.get(key);
    }

    String text(String key) {
        return lines.get(key);
    }

    Map<String, String> lines() {
        return lines;
    }
}
