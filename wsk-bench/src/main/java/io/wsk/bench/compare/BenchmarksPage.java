package io.wsk.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code docs/BENCHMARKS.md} and its chart {@code benchmarks.svg}, next to it: the run's tables
 * inside the page's fixed text (a template in the resources, {@code {{name}}} placeholders), so the
 * page always says how the figures on it were made.
 */
final class BenchmarksPage {

    static final String CHART = "benchmarks.svg";
    private static final String TEMPLATE = "benchmarks-page.md";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private BenchmarksPage() {
    }

    /** Writes the page to {@code page} and the chart next to it. */
    static void write(Path page, String command, ZonedDateTime date, Machine machine, RunSizes sizes,
                      List<ModeResult> results) {
        try {
            Path dir = page.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CHART), BarChart.svg(
                    "wsk vs " + opponents(machine, results) + ", same run" + (sizes.quickRun() ? " — QUICK RUN" : ""),
                    results));
            Files.writeString(page, render(command, date, machine, sizes, results));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + page, e);
        }
    }

    static String render(String command, ZonedDateTime date, Machine machine, RunSizes sizes, List<ModeResult> results) {
        Map<String, String> values = new HashMap<>();
        values.put("command", command);
        values.put("quickWarning", sizes.quickRun() ? "\n**This was a `--quick` run: tiny sizes and one- or two-second windows, to "
                + "show that the harness works. Its figures are not benchmarks.**\n" : "");
        values.put("date", date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)));
        values.put("took", minutes(results.stream().map(ModeResult::took).reduce(Duration.ZERO, Duration::plus)));
        values.put("machine", machine.lines().stream().map(line -> "- " + line).collect(Collectors.joining("\n")));
        values.put("results", results.stream().map(BenchmarksPage::section).collect(Collectors.joining("\n")));
        values.put("socketIo", machine.socketIo());
        values.put("nettySocketIo", machine.nettySocketIo());
        values.put("opponents", opponents(machine, results));
        values.put("pinned", Mode.PINNED.description());
        values.put("whole", Mode.WHOLE.description());
        values.put("warmRun", Integer.toString(sizes.warmRunSeconds()));
        values.put("warmup", Integer.toString(sizes.warmupSeconds()));
        values.put("measure", Integer.toString(sizes.measureSeconds()));
        values.put("settle", Integer.toString(sizes.settleSeconds()));
        values.put("fanoutReceivers", String.format(Locale.US, "%,d", sizes.fanoutReceivers()));
        values.put("fanoutInFlight", Integer.toString(sizes.fanoutInFlight()));
        values.put("payload", Integer.toString(sizes.payload()));
        values.put("echoClients", String.format(Locale.US, "%,d", sizes.echoClients()));
        values.put("echoWindow", Integer.toString(sizes.echoWindow()));
        values.put("conns", String.format(Locale.US, "%,d", sizes.conns()));
        values.put("connsInFlight", Integer.toString(sizes.connsInFlight()));
        values.put("connsMemoryWarmup", String.format(Locale.US, "%,d", sizes.connsMemoryWarmup()));
        values.put("connsWarmup", String.format(Locale.US, "%,d", sizes.connsWarmup()));
        values.put("relayRates", sizes.relayRates().stream().map(r -> String.format(Locale.US, "%,d", r))
                .collect(Collectors.joining(", ")));
        values.put("relayWarmup", Integer.toString(sizes.relayServerWarmupSeconds()));
        values.put("relayStepWarmup", Integer.toString(sizes.relayStepWarmupSeconds()));
        values.put("relayStep", Integer.toString(sizes.relayStepSeconds()));
        values.put("relayHalf", Integer.toString(sizes.relayHalfRateSeconds()));
        return fill(template(), values);
    }

    /** The references the run measured, e.g. "Node (socket.io 4.8.4) and netty-socketio 2.0.14". */
    static String opponents(Machine machine, List<ModeResult> results) {
        List<String> names = ServerKind.references().stream()
                .filter(kind -> results.stream().anyMatch(r -> r.references().contains(kind)))
                .map(kind -> kind == ServerKind.NODE ? "Node (socket.io " + machine.socketIo() + ")"
                        : "netty-socketio " + machine.nettySocketIo())
                .toList();
        return names.isEmpty() ? "nothing" : String.join(" and ", names);
    }

    private static String section(ModeResult result) {
        StringBuilder out = new StringBuilder();
        out.append("## Mode: ").append(result.mode().label()).append("\n\n");
        out.append(capitalised(result.mode().description())).append(".\n");
        out.append("Load average (1, 5, 15 min) before: ").append(result.loadBefore()).append("; after: ")
                .append(result.loadAfter()).append(". Took ").append(minutes(result.took())).append(".\n\n");
        out.append(ComparisonTable.markdown(result));
        if (!result.notes().isEmpty()) {
            out.append("\nNotes:\n\n");
            result.notes().forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("the page template uses {{" + m.group(1) + "}}, which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static String template() {
        try (InputStream in = BenchmarksPage.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TEMPLATE + " is missing from wsk-bench");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String minutes(Duration took) {
        long seconds = took.toSeconds();
        return seconds < 120 ? seconds + " s" : String.format(Locale.US, "%d min %02d s", seconds / 60, seconds % 60);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
