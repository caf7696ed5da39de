package io.wsk.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A scenario that finds the most operations per second one server sustains with a fixed window of
 * work under way: {@code fanout} (broadcast deliveries) and {@code echo} (acked round trips). Each
 * server gets a warm-up run, then a measured run; the server's CPU per operation comes from the
 * measured window's MARK lines.
 */
final class ThroughputComparison implements ScenarioComparison {

    private final String name;
    /** The generator's scenario ({@code wsk-bench <command>}). */
    private final String command;
    private final String rateKey;
    private final String countKey;
    private final String operation;
    private final Target target;
    private final Function<RunSizes, List<String>> shapeArgs;
    private final Function<RunSizes, String> shapeText;

    private ThroughputComparison(String name, String command, String rateKey, String countKey, String operation,
                                 Target target, Function<RunSizes, List<String>> shapeArgs,
                                 Function<RunSizes, String> shapeText) {
        this.name = name;
        this.command = command;
        this.rateKey = rateKey;
        this.countKey = countKey;
        this.operation = operation;
        this.target = target;
        this.shapeArgs = shapeArgs;
        this.shapeText = shapeText;
    }

    /** Broadcasts to one room, {@code --in-flight} of them under way at once. */
    static ThroughputComparison fanout() {
        return new ThroughputComparison("fanout", "fanout", "deliveries_per_s", "deliveries", "delivery", Target.atLeast(8),
                sizes -> List.of("--receivers", Integer.toString(sizes.fanoutReceivers()),
                        "--in-flight", Integer.toString(sizes.fanoutInFlight()),
                        "--payload", Integer.toString(sizes.payload())),
                sizes -> String.format(Locale.US, "%,d receivers, %d in flight", sizes.fanoutReceivers(),
                        sizes.fanoutInFlight()));
    }

    /** Emit with ack; each client sends the next once the ack is back (ping-pong). */
    static ThroughputComparison echo() {
        return new ThroughputComparison("echo", "echo", "acks_per_s", "acks", "ack", Target.atLeast(4),
                sizes -> List.of("--clients", Integer.toString(sizes.echoClients()),
                        "--payload", Integer.toString(sizes.payload())),
                sizes -> String.format(Locale.US, "%,d clients, 1 in flight each", sizes.echoClients()));
    }

    /**
     * Emit with ack, each client keeping a window of acks under way, as a client that does not
     * wait for one ack before its next emit does. The echo target names no window, so both
     * shapes are measured against it.
     */
    static ThroughputComparison echoWindow() {
        return new ThroughputComparison("echo-window", "echo", "acks_per_s", "acks", "ack", Target.atLeast(4),
                sizes -> List.of("--clients", Integer.toString(sizes.echoClients()),
                        "--in-flight", Integer.toString(sizes.echoWindow()),
                        "--payload", Integer.toString(sizes.payload())),
                sizes -> String.format(Locale.US, "%,d clients, %d in flight each", sizes.echoClients(),
                        sizes.echoWindow()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(ComparisonSetup setup, Findings findings) throws Exception {
        RunSizes sizes = setup.sizes();
        String rate = operation.equals("delivery") ? "deliveries/s" : operation + "s/s";
        String headline = rate + ", " + shapeText.apply(sizes);
        SideBySide figures = new SideBySide(name)
                .metric(headline, Unit.PER_SECOND, target)
                .metric("server CPU per " + operation, Unit.CPU_MICROS)
                .metric("latency p50", Unit.LATENCY_MICROS)
                .metric("latency p99", Unit.LATENCY_MICROS)
                .metric("latency p99.9", Unit.LATENCY_MICROS)
                .metric("server CPU", Unit.PERCENT_OF_CORE)
                .metric("generator CPU", Unit.PERCENT_OF_CORE);
        for (ServerKind kind : setup.kinds()) {
            try (ServerProcess server = setup.servers().start(kind, null)) {
                if (sizes.warmRunSeconds() > 0) {
                    setup.say(name + " " + kind.label() + ": warm-up run, not measured");
                    try (ScenarioRun warm = start(setup, kind, server, sizes.warmRunSeconds(), "warm-up")) {
                        if (!warm.awaitExit(timeout(sizes, sizes.warmRunSeconds())) || warm.result().isEmpty()) {
                            findings.note(name + " " + kind.label() + ": the warm-up run failed (" + warm.failure() + ")");
                        }
                    }
                }
                setup.say(name + " " + kind.label() + ": measured run");
                try (ScenarioRun run = start(setup, kind, server, sizes.measureSeconds(), "measured")) {
                    run.awaitExit(timeout(sizes, sizes.measureSeconds()));
                    Optional<ResultFields> result = run.result();
                    if (result.isEmpty()) {
                        findings.note(name + " " + kind.label() + ": no result (" + run.failure() + ")");
                        continue;
                    }
                    record(setup, findings, figures, headline, kind, server, run, result.get());
                }
            }
        }
        figures.figures().forEach(findings::add);
    }

    private void record(ComparisonSetup setup, Findings findings, SideBySide figures, String headline,
                        ServerKind kind, ServerProcess server, ScenarioRun run, ResultFields result) {
        figures.put(kind, headline, result.number(rateKey));
        figures.put(kind, "latency p50", result.number("p50_us"));
        figures.put(kind, "latency p99", result.number("p99_us"));
        figures.put(kind, "latency p99.9", result.number("p999_us"));
        if (result.flag("stalled")) {
            findings.note(name + " " + kind.label() + ": stalled (a broadcast never reached every receiver for 10 s)");
        }
        Optional<UsageSample> start = run.mark("start");
        Optional<UsageSample> end = run.mark("end");
        if (start.isEmpty() || end.isEmpty()) {
            findings.note(name + " " + kind.label() + ": no MARK lines, so no CPU figures");
            return;
        }
        double wall = end.get().secondsSince(start.get());
        double serverCpu = end.get().cpuSecondsSince(start.get(), List.of(server.pid()));
        double generatorCpu = end.get().cpuSecondsSince(start.get(), List.of(run.generatorPid()));
        double operations = result.number(countKey);
        if (operations > 0) {
            figures.put(kind, "server CPU per " + operation, serverCpu * 1e6 / operations);
        }
        figures.put(kind, "server CPU", 100 * serverCpu / wall);
        figures.put(kind, "generator CPU", 100 * generatorCpu / wall);
        GeneratorLimit.check(setup.mode(), name + " " + kind.label(), generatorCpu / wall, findings);
    }

    private ScenarioRun start(ComparisonSetup setup, ServerKind kind, ServerProcess server, int seconds, String what) {
        RunSizes sizes = setup.sizes();
        List<String> args = new ArrayList<>(List.of(command, "--url", server.socketIoUrl(),
                "--seconds", Integer.toString(seconds), "--warmup", Integer.toString(sizes.warmupSeconds()),
                "--threads", Integer.toString(setup.mode().generatorThreads())));
        args.addAll(shapeArgs.apply(sizes));
        return setup.generator(name + " " + kind.label() + " " + what, args, List.of(server));
    }

    private static Duration timeout(RunSizes sizes, int seconds) {
        return Duration.ofSeconds(sizes.warmupSeconds() + seconds + 90L);
    }
}
