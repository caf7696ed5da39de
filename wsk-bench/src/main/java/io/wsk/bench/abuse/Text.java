package io.wsk.bench.abuse;

import java.util.Locale;

/** Small text helpers for packets and figures. */
final class Text {

    private Text() {
    }

    /** {@code s} cut to 80 characters, for error messages that quote a packet. */
    static String clip(String s) {
        return clip(s, 80);
    }

    /** {@code s} cut to {@code max} characters. */
    static String clip(String s, int max) {
        if (s == null) {
            return "end of stream";
        }
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }

    /** Bytes with a MiB figure beside them: the raw number stays machine-readable. */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "%d (%.1f MiB)", bytes, bytes / (1024.0 * 1024));
    }

    /** Seconds with one decimal. */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /** The number after {@code "key":} in a JSON text, or -1: enough for the harness's own sequence numbers. */
    static long numberAfter(String json, String key) {
        String needle = "\"" + key + "\":";
        int at = json.indexOf(needle);
        if (at < 0) {
            return -1;
        }
        int i = at + needle.length();
        long value = 0;
        int digits = 0;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            value = value * 10 + (json.charAt(i++) - '0');
            digits++;
        }
        return digits == 0 ? -1 : value;
    }
}
