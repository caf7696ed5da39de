package io.wsk.bench.compare;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code compare}: every scenario against wsk and against the reference servers (the official Node
 * server, and netty-socketio) in the same run, a table of figures and of wsk's ratio to each
 * reference, with the targets on wsk/Node, and {@code docs/BENCHMARKS.md} with a chart.
 * {@code ./wsk bench compare} builds the jars and runs it.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"wsk against Node and netty-socketio, every scenario in one run: ratios and docs/BENCHMARKS.md.",
                "Runs every scenario against wsk and against the reference servers (Node's socket.io, netty-socketio)",
                "in the same run, prints the figures with wsk's ratio to each (the targets are on wsk/Node), and writes",
                "docs/BENCHMARKS.md with a chart (docs/benchmarks.svg). A full run of both modes against Node alone",
                "took about 27 minutes; netty-socketio adds its share of the single-node scenarios."})
public final class CompareCommand implements Callable<Integer> {

    private static final Map<String, ScenarioComparison> SCENARIOS = new LinkedHashMap<>();

    static {
        for (ScenarioComparison scenario : List.of(ThroughputComparison.fanout(), ThroughputComparison.echo(),
                ThroughputComparison.echoWindow(), new ConnsComparison(), RelayComparison.pubSub(),
                RelayComparison.streams())) {
            SCENARIOS.put(scenario.name(), scenario);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--mode", defaultValue = "pinned",
            description = "pinned (each server on core 0, the generator on core 1), whole (nothing pinned) or both (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--scenarios", split = ",", defaultValue = "fanout,echo,echo-window,conns,relay,relay-streams",
            description = "Scenarios to run, comma-separated (default ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--references", split = ",", defaultValue = "node,netty-socketio",
            description = "Reference servers to measure wsk against, comma-separated: node, netty-socketio (default ${DEFAULT-VALUE}).")
    List<String> references;

    @Option(names = "--quick", description = "Tiny sizes and 1-2 s windows: shows that the harness works; the figures mean nothing.")
    boolean quick;

    @Option(names = "--conns", description = "Connections for the conns scenario (default 15000; split over processes above 18000).")
    Integer conns;

    @Option(names = "--relay-rates", split = ",",
            description = "The relay ladder in msg/s, comma-separated (default 2000,4000,8000,12000,16000,24000,32000,40000,48000,56000,64000,72000,80000,96000,112000,128000).")
    List<Integer> relayRates;

    @Option(names = "--out", description = "The page to write; the chart goes next to it as benchmarks.svg (default <root>/docs/BENCHMARKS.md).")
    Path out;

    @Option(names = "--no-write", description = "Print the tables only; write no page.")
    boolean noWrite;

    @Option(names = "--root", description = "The wsk repository (default: the one this jar is in, or the working directory's).")
    Path root;

    @Override
    public Integer call() throws Exception {
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        List<ModeResult> results = runAndReport(console);
        boolean complete = results.stream().allMatch(r -> r.targeted().stream()
                .allMatch(f -> r.servers().stream().allMatch(kind -> !f.supported(kind) || f.of(kind) != null)));
        return complete && !results.isEmpty() ? 0 : 1;
    }

    /** Runs the comparison, prints the tables and, unless {@code --no-write}, writes the page and chart. */
    List<ModeResult> runAndReport(PrintStream console) throws Exception {
        Project project = Project.locate(root);
        List<ServerKind> chosen = selectedReferences();
        project.requireJars(chosen);
        List<ScenarioComparison> selected = selectedScenarios();
        if (chosen.contains(ServerKind.NODE)) {
            Programs.require("node", Project.NODE_INSTALL_HINT);
            if (selected.stream().anyMatch(s -> s instanceof RelayComparison)) {
                Programs.require("redis-server", ServerLauncher.REDIS_INSTALL_HINT);
            }
        }
        List<Mode> modes = modes(console);
        if (chosen.contains(ServerKind.NODE)) {
            project.ensureNodePackages(console);
        }
        RunSizes sizes = sizes();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Machine machine = Machine.describe(project, java);
        ZonedDateTime started = ZonedDateTime.now();
        Path logs = Files.createTempDirectory("wsk-compare-");
        console.println("compare: server logs in " + logs);

        List<ModeResult> results = new ArrayList<>();
        for (Mode m : modes) {
            results.add(runMode(new ComparisonSetup(project, m, sizes, chosen, new ServerLauncher(project, m, logs, java),
                    java, console), selected));
        }

        for (ModeResult result : results) {
            console.println();
            console.println("== " + result.mode().label() + ": " + result.mode().summary() + " (load average before "
                    + result.loadBefore() + ", after " + result.loadAfter() + ")");
            console.print(ComparisonTable.text(result));
        }
        if (!noWrite) {
            Path page = out != null ? out : project.root().resolve("docs/BENCHMARKS.md");
            BenchmarksPage.write(page, commandLine(), started, machine, sizes, results);
            console.println("compare: wrote " + page + " and " + page.toAbsolutePath().resolveSibling(BenchmarksPage.CHART));
        }
        if (results.stream().allMatch(r -> r.notes().stream().noneMatch(n -> n.contains("fail")))) {
            deleteTree(logs);
        } else {
            console.println("compare: something failed; the server logs stay in " + logs);
        }
        return results;
    }

    private ModeResult runMode(ComparisonSetup setup, List<ScenarioComparison> selected) throws InterruptedException {
        Findings findings = new Findings(setup.out());
        String loadBefore = ProcessUsage.loadAverage();
        long start = System.nanoTime();
        for (ScenarioComparison scenario : selected) {
            setup.say("== " + scenario.name());
            try {
                scenario.run(setup, findings);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                findings.note(scenario.name() + " failed: " + e.getMessage());
            }
        }
        return new ModeResult(setup.mode(), setup.references(), findings.figures(), findings.notes(), loadBefore, ProcessUsage.loadAverage(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The references asked for, each once, in table order (Node first). */
    private List<ServerKind> selectedReferences() {
        List<ServerKind> chosen = new ArrayList<>();
        for (String name : references) {
            try {
                chosen.add(ServerKind.reference(name));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (chosen.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--references names no reference server");
        }
        return ServerKind.references().stream().filter(chosen::contains).toList();
    }

    private List<ScenarioComparison> selectedScenarios() {
        List<ScenarioComparison> selected = new ArrayList<>();
        for (String name : scenarios) {
            ScenarioComparison scenario = SCENARIOS.get(name.trim());
            if (scenario == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "no scenario " + name + "; choose from " + String.join(",", SCENARIOS.keySet()));
            }
            selected.add(scenario);
        }
        return selected;
    }

    /** The modes asked for; pinning needs taskset and two cores, else the whole-box mode alone runs. */
    private List<Mode> modes(PrintStream console) {
        List<Mode> modes = mode.equals("both") ? List.of(Mode.PINNED, Mode.WHOLE) : List.of(Mode.parse(mode));
        if (!modes.contains(Mode.PINNED)) {
            return modes;
        }
        String why = Programs.find("taskset").isEmpty() ? "taskset is not installed (apt-get install -y util-linux)"
                : Runtime.getRuntime().availableProcessors() < 2 ? "this machine has fewer than 2 cores" : null;
        if (why == null) {
            return modes;
        }
        console.println("compare: " + why + ", so the servers and the generator cannot each have a core of their "
                + "own: running the whole-box comparison only");
        return List.of(Mode.WHOLE);
    }

    private RunSizes sizes() {
        RunSizes sizes = quick ? RunSizes.quick() : RunSizes.full();
        if (conns != null) {
            sizes = sizes.withConns(conns);
        }
        if (relayRates != null && !relayRates.isEmpty()) {
            sizes = sizes.withRelayRates(relayRates.stream().sorted().toList());
        }
        return sizes;
    }

    /** How this run was started, for the page. */
    private String commandLine() {
        List<String> args = spec == null ? List.of() : spec.commandLine().getParseResult().originalArgs();
        // Started as wsk-bench's subcommand, the original arguments begin with its name.
        int first = args.indexOf("compare") + 1;
        return ("./wsk bench compare " + String.join(" ", args.subList(first, args.size()))).trim();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // only logs
        }
    }
}
