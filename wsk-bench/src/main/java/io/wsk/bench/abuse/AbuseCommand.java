package io.wsk.bench.abuse;

import io.wsk.bench.compare.ProcessUsage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code abuse}: black-box measurements of how a wsk server copes with misbehaving clients (slow
 * readers, floods, unfinished messages, too many connections, resets, a Redis outage). Each case
 * starts its own server(s) with default settings through a launcher, so the same harness
 * measures any build ({@code --launcher /other/checkout/wsk}), and prints one block of
 * {@code key: value} figures. It measures; it does not judge.
 */
@Command(name = "abuse", mixinStandardHelpOptions = true,
        description = {"Measure how a wsk server copes with misbehaving clients, one block of figures per case.",
                "Every case starts its own server(s) on free loopback ports through the launcher, with default settings."})
public final class AbuseCommand implements Callable<Integer> {

    private static final Map<String, AbuseCase> CASES = new LinkedHashMap<>();

    static {
        for (AbuseCase c : List.<AbuseCase>of(new WsSlowReaderCase(), new EchoFloodCase(), new PollingNoGetCase(),
                new PingTimeoutUnreadCase(), new BinaryUnfinishedCase(), new RoomsCase(), new EventFloodCase(),
                new MaxConnectionsCase(), new ResetsCase(), new RedisOrderCase())) {
            CASES.put(c.name(), c);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", split = ",",
            description = "Cases to run, comma-separated (default: all, in this order: ws-slow-reader, echo-flood, "
                    + "polling-no-get, ping-timeout-unread, binary-unfinished, rooms, event-flood, max-connections, "
                    + "resets, redis-order).")
    List<String> cases;

    @Option(names = "--launcher", description = "The wsk launcher to run servers with (default: this repository's ./wsk).")
    Path launcher;

    @Option(names = "--seconds", description = "Length of each case's main phase (publishing, flooding, holding) in place of "
            + "its default; rooms, max-connections and resets have none and ignore it.")
    Integer seconds;

    @Option(names = "--quick", description = "Tiny sizes for a few seconds each: shows the harness works; the figures mean little.")
    boolean quick;

    @Option(names = "--server-arg", description = "An extra argument for every server, e.g. --server-arg=--ping-timeout=5000 (repeatable).")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--rss-limit-mib", defaultValue = "8192",
            description = "Stop a case's load when the server's RSS passes this (0: never); reported (default ${DEFAULT-VALUE}).")
    long rssLimitMib;

    @Option(names = "--logs", description = "Directory for the server logs (default: a new temporary directory).")
    Path logs;

    @Option(names = "--victim-rate", defaultValue = "0",
            description = "event-flood: round trips per second of the victim, an ordinary user; 0: as fast as it can "
                    + "(default ${DEFAULT-VALUE}).")
    int victimRate;

    @Override
    public Integer call() throws Exception {
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        List<CaseReport> reports = runAndReport(console);
        return reports.stream().allMatch(r -> r.error() == null) ? 0 : 1;
    }

    /** Runs the selected cases one after another, printing each case's block as it ends. */
    List<CaseReport> runAndReport(PrintStream console) throws Exception {
        List<AbuseCase> selected = selected();
        Path launcherPath = launcher != null ? launcher.toAbsolutePath().normalize() : Launcher.locate();
        if (!Files.isExecutable(launcherPath)) {
            throw new IllegalStateException(launcherPath + " is not an executable wsk launcher");
        }
        Path logDir = logs != null ? Files.createDirectories(logs) : Files.createTempDirectory("wsk-abuse-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        AbuseSettings settings = new AbuseSettings(launcherPath, List.copyOf(serverArgs), quick, seconds,
                rssLimitMib * 1024 * 1024, logDir, java, console, victimRate);
        String loadBefore = ProcessUsage.loadAverage();
        console.println("abuse: launcher " + launcherPath + ", server logs in " + logDir + ", load average " + loadBefore
                + (quick ? ", quick sizes" : ""));
        List<CaseReport> reports = new ArrayList<>();
        for (AbuseCase c : selected) {
            CaseReport report = CaseReport.run(c, settings);
            console.print(report.block());
            reports.add(report);
        }
        console.println("abuse: load average before " + loadBefore + ", after " + ProcessUsage.loadAverage()
                + " (1, 5, 15 min); server logs in " + logDir);
        return reports;
    }

    private List<AbuseCase> selected() {
        if (cases == null || cases.isEmpty()) {
            return List.copyOf(CASES.values());
        }
        List<AbuseCase> selected = new ArrayList<>();
        for (String name : cases) {
            AbuseCase c = CASES.get(name.trim());
            if (c == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "no case " + name + "; choose from " + String.join(",", CASES.keySet()));
            }
            selected.add(c);
        }
        return selected;
    }
}
