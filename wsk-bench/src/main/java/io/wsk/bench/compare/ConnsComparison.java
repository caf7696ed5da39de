package io.wsk.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code conns}: how much memory each idle Socket.IO connection (WebSocket, namespace {@code /})
 * costs a server, and how fast it accepts them. Per server, two phases on one process:
 * <ol>
 *   <li>memory: a small warm-up ({@link RunSizes#connsMemoryWarmup()} connections opened and
 *       closed, so the common code is compiled), the server's RSS once it has settled, then N
 *       connections opened and held and the RSS again once they have settled. The difference over
 *       N is the RSS per idle connection. The warm-up stays small because a server keeps what a
 *       burst grew: after 25,000 warm-up handshakes, Node held 15,000 more in 2.8 KiB each, within
 *       heap its warm-up had already grown, against 8.9 KiB after 10,000;</li>
 *   <li>handshakes: with those closed, one generator process opens and closes
 *       {@link RunSizes#connsWarmup()} connections (warming the server and itself), then opens N
 *       again: handshakes/s and server CPU per handshake over those N.</li>
 * </ol>
 * Above {@value #ONE_PROCESS_MAX} connections the generator is split over processes, each holding
 * at most {@value #PER_PROCESS}, to stay under the per-process open-files limit.
 */
final class ConnsComparison implements ScenarioComparison {

    static final int ONE_PROCESS_MAX = 18_000;
    static final int PER_PROCESS = 15_000;
    /** Source addresses 127.0.0.2.. : each has its own ephemeral ports, and TIME_WAITs of earlier runs hold some. */
    private static final int SOURCES = 16;

    @Override
    public String name() {
        return "conns";
    }

    @Override
    public void run(ComparisonSetup setup, Findings findings) throws Exception {
        RunSizes sizes = setup.sizes();
        int count = sizes.conns();
        warnAboutOpenFiles(count, findings);
        String handshakes = String.format(Locale.US, "handshakes/s, opening %,d", count);
        String perConnection = String.format(Locale.US, "RSS per idle connection, %,d held, after a full GC", count);
        SideBySide figures = new SideBySide(name())
                .metric(handshakes, Unit.PER_SECOND, Target.atLeast(5))
                // Right after the rate it goes with, as in every scenario.
                .metric("server CPU per handshake", Unit.CPU_MICROS)
                .metric(perConnection, Unit.BYTES, Target.atMostOneIn(3))
                .metric("RSS per idle connection, as the burst left it", Unit.BYTES)
                .metric("connections held", Unit.COUNT)
                .metric("server RSS before, after a full GC", Unit.BYTES)
                .metric("server RSS, all held, after a full GC", Unit.BYTES)
                .metric("server RSS, all held, as left", Unit.BYTES)
                .metric("generator CPU", Unit.PERCENT_OF_CORE);
        for (ServerKind kind : setup.kinds()) {
            try (ServerProcess server = setup.servers().start(kind, null)) {
                measureMemory(setup, findings, figures, kind, server, perConnection);
                measureHandshakes(setup, findings, figures, kind, server, handshakes);
            }
        }
        figures.figures().forEach(findings::add);
    }

    /** Opens and closes {@code count} connections from a generator of their own, so the server's code is warm. */
    private void warmUp(ComparisonSetup setup, Findings findings, ServerKind kind, ServerProcess server, int count)
            throws InterruptedException {
        setup.say(String.format(Locale.US, "conns %s: warm-up, %,d connections opened and closed", kind.label(), count));
        try (ScenarioRun warm = setup.generator("conns " + kind.label() + " warm-up",
                args(setup, server, count, setup.sizes().connsInFlight(), 0, 0, 0), List.of(server))) {
            if (!warm.awaitExit(Duration.ofSeconds(120)) || warm.result().isEmpty()) {
                findings.note("conns " + kind.label() + ": the warm-up failed (" + warm.failure() + ")");
            }
        }
    }

    /**
     * RSS per connection two ways: as the burst of handshakes left it (whatever garbage the runtime
     * had not collected yet, and heap it grew for it), and after a full collection on both sides
     * (what the connections keep). The second is the like-for-like figure and carries the target.
     */
    private void measureMemory(ComparisonSetup setup, Findings findings, SideBySide figures, ServerKind kind,
                               ServerProcess server, String perConnection) throws InterruptedException {
        RunSizes sizes = setup.sizes();
        warmUp(setup, findings, kind, server, sizes.connsMemoryWarmup());
        Thread.sleep(sizes.settleSeconds() * 1000L);
        long beforeAsLeft = server.rssBytes();
        String notCollected = FullCollection.run(kind, server);
        long before = server.rssBytes();
        setup.say(String.format(Locale.US, "conns %s: memory, %,d connections opened and held", kind.label(),
                sizes.conns()));
        List<ScenarioRun> runs = open(setup, findings, kind, server, 0, sizes.settleSeconds(), 600, "held");
        try {
            double opened = opened(findings, kind, runs);
            if (opened <= 0) {
                return;
            }
            long heldAsLeft = server.rssBytes();
            if (notCollected == null) {
                notCollected = FullCollection.run(kind, server);
            }
            long held = server.rssBytes();
            figures.put(kind, "connections held", opened);
            figures.put(kind, "server RSS, all held, as left", heldAsLeft);
            if (beforeAsLeft > 0 && heldAsLeft > 0) {
                figures.put(kind, "RSS per idle connection, as the burst left it", (heldAsLeft - beforeAsLeft) / opened);
            }
            if (notCollected != null) {
                findings.note("conns " + kind.label() + ": no after-GC figures, the full collection could not be requested ("
                        + notCollected + ")");
            } else if (before > 0 && held > 0) {
                figures.put(kind, "server RSS before, after a full GC", before);
                figures.put(kind, "server RSS, all held, after a full GC", held);
                figures.put(kind, perConnection, (held - before) / opened);
            }
        } finally {
            runs.forEach(ScenarioRun::close);
        }
    }

    private void measureHandshakes(ComparisonSetup setup, Findings findings, SideBySide figures, ServerKind kind,
                                   ServerProcess server, String handshakes) throws InterruptedException {
        setup.say(String.format(Locale.US, "conns %s: handshakes, %,d connections opened", kind.label(),
                setup.sizes().conns()));
        List<ScenarioRun> runs = open(setup, findings, kind, server, setup.sizes().connsWarmup(), 0, 0, null);
        try {
            recordHandshakes(setup, findings, figures, kind, server, runs, handshakes);
        } finally {
            runs.forEach(ScenarioRun::close);
        }
    }

    /**
     * Starts the generator processes that open {@code conns} connections between them, each after
     * opening and closing {@code warmup} of its own, and waits until each reached
     * {@code MARK <mark>} (held) or, with no mark, exited. Empty on failure.
     */
    private List<ScenarioRun> open(ComparisonSetup setup, Findings findings, ServerKind kind, ServerProcess server,
                                   int warmup, int settleSeconds, int holdSeconds, String mark) {
        RunSizes sizes = setup.sizes();
        int count = sizes.conns();
        List<Integer> shares = shares(count);
        int processes = shares.size();
        // The handshakes under way stay as many in all as with one process.
        int inFlight = Math.max(1, (sizes.connsInFlight() + processes - 1) / processes);
        List<ScenarioRun> runs = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            // A held run lasts until the harness has read the server's memory, then is killed; the
            // hold only bounds a lost run.
            runs.add(setup.generator("conns " + kind.label() + (processes == 1 ? "" : " #" + (i + 1)),
                    args(setup, server, shares.get(i), inFlight, warmup, settleSeconds, holdSeconds), List.of(server)));
        }
        Duration timeout = Duration.ofSeconds(120L + settleSeconds + (count + warmup) / 200);
        try {
            for (ScenarioRun run : runs) {
                boolean reached = mark != null ? run.awaitMark(mark, timeout) : run.awaitExit(timeout);
                if (!reached) {
                    findings.note("conns " + kind.label() + ": a generator never " + (mark != null ? "held" : "finished")
                            + " its connections (" + run.failure() + ")");
                    runs.forEach(ScenarioRun::close);
                    return List.of();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.forEach(ScenarioRun::close);
            return List.of();
        }
        return runs;
    }

    /** Connections the runs opened, or 0 (with a note) when one gave no result. */
    private static double opened(Findings findings, ServerKind kind, List<ScenarioRun> runs) {
        if (runs.isEmpty()) {
            return 0;
        }
        double opened = 0;
        double failed = 0;
        for (ScenarioRun run : runs) {
            Optional<ResultFields> result = run.result();
            if (result.isEmpty()) {
                findings.note("conns " + kind.label() + ": a generator gave no result (" + run.failure() + ")");
                return 0;
            }
            opened += result.get().number("opened");
            failed += result.get().number("failed");
        }
        if (failed > 0) {
            findings.note(String.format(Locale.US, "conns %s: %,.0f connections failed", kind.label(), failed));
        }
        return opened;
    }

    private void recordHandshakes(ComparisonSetup setup, Findings findings, SideBySide figures, ServerKind kind,
                                  ServerProcess server, List<ScenarioRun> runs, String handshakes) {
        double opened = opened(findings, kind, runs);
        if (opened <= 0) {
            return;
        }
        double slowest = 0;
        double generatorCpu = 0;
        UsageSample firstStart = null;
        UsageSample lastEnd = null;
        for (ScenarioRun run : runs) {
            Optional<UsageSample> start = run.mark("start");
            Optional<UsageSample> end = run.mark("end");
            if (start.isEmpty() || end.isEmpty()) {
                findings.note("conns " + kind.label() + ": a generator gave no MARK lines (" + run.failure() + ")");
                return;
            }
            slowest = Math.max(slowest, run.result().orElseThrow().number("seconds"));
            generatorCpu += end.get().cpuSecondsSince(start.get(), List.of(run.generatorPid()));
            firstStart = firstStart == null || start.get().nanoTime() < firstStart.nanoTime() ? start.get() : firstStart;
            lastEnd = lastEnd == null || end.get().nanoTime() > lastEnd.nanoTime() ? end.get() : lastEnd;
        }
        // One process times itself. Several finish their warm-ups at different moments, so their
        // measured windows overlap only in part: all handshakes over the span from the first start
        // to the last end, or the slowest's own time if that is longer.
        double wall = lastEnd.secondsSince(firstStart);
        figures.put(kind, handshakes, opened / (runs.size() == 1 ? slowest : Math.max(slowest, wall)));
        double serverCpu = lastEnd.cpuSecondsSince(firstStart, List.of(server.pid()));
        figures.put(kind, "server CPU per handshake", serverCpu * 1e6 / opened);
        figures.put(kind, "generator CPU", 100 * generatorCpu / wall);
        GeneratorLimit.check(setup.mode(), "conns " + kind.label(), generatorCpu / wall, findings);
    }

    /**
     * How many connections each generator process opens: one process up to {@value #ONE_PROCESS_MAX},
     * else even shares of at most {@value #PER_PROCESS}.
     */
    static List<Integer> shares(int count) {
        int processes = count > ONE_PROCESS_MAX ? (count + PER_PROCESS - 1) / PER_PROCESS : 1;
        List<Integer> shares = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            shares.add(count / processes + (i < count % processes ? 1 : 0));
        }
        return shares;
    }

    private static List<String> args(ComparisonSetup setup, ServerProcess server, int count, int inFlight,
                                     int warmup, int settleSeconds, int holdSeconds) {
        return List.of("conns", "--url", server.socketIoUrl(), "--namespace", "/",
                "--count", Integer.toString(count), "--in-flight", Integer.toString(inFlight),
                "--warmup", Integer.toString(warmup),
                "--settle", Integer.toString(settleSeconds), "--hold", Integer.toString(holdSeconds),
                "--sources", Integer.toString(SOURCES), "--threads", Integer.toString(setup.mode().generatorThreads()));
    }

    /** The server holds every connection in one process: past the open-files limit it must fail. */
    private static void warnAboutOpenFiles(int count, Findings findings) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    if (!soft.equals("unlimited") && count + 100 > Long.parseLong(soft)) {
                        findings.note(String.format(Locale.US, "conns: %,d connections is above the servers' open-files "
                                + "limit (%s): raise ulimit -n", count, soft));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to warn about
        }
    }
}
