package io.wsk.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;

/** A scenario's {@code RESULT key=value ...} line, parsed. */
record ResultFields(Map<String, String> fields) {

    static final String PREFIX = "RESULT ";

    static ResultFields parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return new ResultFields(Map.copyOf(fields));
    }

    /** @throws IllegalStateException when the field is missing or not a number */
    double number(String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalStateException("RESULT has no " + key + ": " + fields);
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("RESULT field " + key + " is not a number: " + value, e);
        }
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(fields.get(key));
    }
}
