package io.wsk.bench.abuse;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server's log file (its stdout and stderr): its size now, and what was written after a given
 * offset: lines, stack-trace lines ({@code \tat ...}), and lines containing given phrases (case
 * matters, so {@code " WARN "} counts log levels, not words). A
 * server that logs a stack trace per abusive connection fills a disk; these count it.
 */
final class ServerLog {

    /** Reading stops after this much, so a runaway log cannot stall the harness. */
    private static final long MAX_SCANNED = 512L << 20;

    private final Path file;

    ServerLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** What was written from byte {@code offset} on; {@code phrases} are counted per line. */
    Growth since(long offset, List<String> phrases) {
        long lines = 0;
        long stackLines = 0;
        Map<String, Long> counts = new LinkedHashMap<>();
        phrases.forEach(p -> counts.put(p, 0L));
        List<String> samples = new ArrayList<>();
        Set<String> sampled = new HashSet<>();
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.max(0, offset));
            BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new BufferedInputStream(in), StandardCharsets.UTF_8));
            long scanned = 0;
            for (String line; (line = reader.readLine()) != null && scanned < MAX_SCANNED; ) {
                scanned += line.length() + 1;
                lines++;
                if (line.startsWith("\tat ")) {
                    stackLines++;
                } else if (samples.size() < 3 && !line.isBlank() && !line.startsWith("\t")
                        && sampled.add(withoutTimeStamp(line))) {
                    samples.add(Text.clip(line, 200));
                }
                for (String phrase : phrases) {
                    if (line.contains(phrase)) {
                        counts.merge(phrase, 1L, Long::sum);
                    }
                }
            }
        } catch (IOException e) {
            // a log that is not there has not grown
        }
        return new Growth(size() - offset, lines, stackLines, counts, samples);
    }

    /**
     * The line after its first word (wsk's lines start with the time), digits blanked: repeats of
     * one message from other threads and client ports compare equal.
     */
    private static String withoutTimeStamp(String line) {
        int space = line.indexOf(' ');
        return Text.clip(space < 0 ? line : line.substring(space + 1), 200).replaceAll("[0-9]+", "#");
    }

    /** What a log grew by. */
    record Growth(long bytes, long lines, long stackTraceLines, Map<String, Long> phraseLines, List<String> samples) {

        void report(Figures figures, String prefix) {
            figures.put(prefix + " bytes written", bytes);
            figures.put(prefix + " lines written", lines);
            figures.put(prefix + " stack-trace lines (starting with \\tat)", stackTraceLines);
            phraseLines.forEach((phrase, count) -> figures.put(prefix + " lines containing \"" + phrase + "\"", count));
            for (int i = 0; i < samples.size(); i++) {
                figures.put(prefix + " sample line " + (i + 1), samples.get(i));
            }
        }
    }
}
