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
 * {@code conns}: how fast a server accepts Socket.IO connections (WebSocket, namespace {@code /})
 * and how much memory each idle one costs it. Per server: a warm-up of connections opened and
 * closed, the server's RSS read after it settles, then N connections opened (handshakes/s, server
 * CPU per handshake) and held, and the RSS read again once they have settled. Above
 * {@value #ONE_PROCESS_MAX} connections the generator is split over processes, each holding at
 * most {@value #PER_PROCESS}, to stay under the per-process open-files limit.
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
        String perConnection = String.format(Locale.US, "RSS per idle connection, %,d held", count);
        SideBySide figures = new SideBySide(name())
                .metric(handshakes, Unit.PER_SECOND, Target.atLeast(5))
                .metric(perConnection, Unit.BYTES, Target.atMostOneIn(3))
                .metric("connections held", Unit.COUNT)
                .metric("server RSS before", Unit.BYTES)
                .metric("server RSS, all held", Unit.BYTES)
                .metric("server CPU per handshake", Unit.CPU_MICROS)
                .metric("generator CPU", Unit.PERCENT_OF_CORE);
        for (ServerKind kind : ServerKind.values()) {
            try (ServerProcess server = setup.servers().start(kind, null)) {
                warmUp(setup, findings, kind, server);
                Thread.sleep(sizes.settleSeconds() * 1000L);
                long before = server.rssBytes();
                figures.put(kind, "server RSS before", before);
                measure(setup, findings, figures, kind, server, before, handshakes, perConnection);
            }
        }
        figures.figures().forEach(findings::add);
    }

    /** Opens and closes connections a few times, so the server's code is warm and its memory pools grown once. */
    private void warmUp(ComparisonSetup setup, Findings findings, ServerKind kind, ServerProcess server)
            throws InterruptedException {
        RunSizes sizes = setup.sizes();
        setup.say(String.format(Locale.US, "conns %s: warm-up, %d × %,d connections opened and closed", kind.label(),
                sizes.connsWarmupRounds(), sizes.connsWarmupCount()));
        for (int round = 1; round <= sizes.connsWarmupRounds(); round++) {
            try (ScenarioRun warm = setup.generator("conns " + kind.label() + " warm-up " + round,
                    args(setup, server, sizes.connsWarmupCount(), sizes.connsInFlight(), 0, 0), List.of(server))) {
                if (!warm.awaitExit(Duration.ofSeconds(120)) || warm.result().isEmpty()) {
                    findings.note("conns " + kind.label() + ": warm-up round " + round + " failed (" + warm.failure() + ")");
                }
            }
        }
    }

    private void measure(ComparisonSetup setup, Findings findings, SideBySide figures, ServerKind kind,
                         ServerProcess server, long rssBefore, String handshakes, String perConnection)
            throws InterruptedException {
        RunSizes sizes = setup.sizes();
        int count = sizes.conns();
        List<Integer> shares = shares(count);
        int processes = shares.size();
        // The handshakes under way stay as many in all as with one process.
        int inFlight = Math.max(1, (sizes.connsInFlight() + processes - 1) / processes);
        setup.say(String.format(Locale.US, "conns %s: opening and holding %,d connections (%d generator process%s)",
                kind.label(), count, processes, processes == 1 ? "" : "es"));
        List<ScenarioRun> runs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                // Held until the harness has read the server's memory, then killed; the hold only bounds a lost run.
                runs.add(setup.generator("conns " + kind.label() + (processes == 1 ? "" : " #" + (i + 1)),
                        args(setup, server, shares.get(i), inFlight, sizes.settleSeconds(), 600), List.of(server)));
            }
            Duration timeout = Duration.ofSeconds(120L + sizes.settleSeconds() + count / 200);
            for (ScenarioRun run : runs) {
                if (!run.awaitMark("held", timeout)) {
                    findings.note("conns " + kind.label() + ": a generator never held its connections (" + run.failure() + ")");
                    return;
                }
            }
            long held = server.rssBytes();
            record(setup, findings, figures, kind, server, runs, rssBefore, held, handshakes, perConnection);
        } finally {
            runs.forEach(ScenarioRun::close);
        }
    }

    private void record(ComparisonSetup setup, Findings findings, SideBySide figures, ServerKind kind,
                        ServerProcess server, List<ScenarioRun> runs, long rssBefore, long rssHeld,
                        String handshakes, String perConnection) {
        double opened = 0;
        double failed = 0;
        double slowest = 0;
        double generatorCpu = 0;
        UsageSample firstStart = null;
        UsageSample lastEnd = null;
        for (ScenarioRun run : runs) {
            Optional<ResultFields> result = run.result();
            Optional<UsageSample> start = run.mark("start");
            Optional<UsageSample> end = run.mark("end");
            if (result.isEmpty() || start.isEmpty() || end.isEmpty()) {
                findings.note("conns " + kind.label() + ": a generator gave no result (" + run.failure() + ")");
                return;
            }
            opened += result.get().number("opened");
            failed += result.get().number("failed");
            slowest = Math.max(slowest, result.get().number("seconds"));
            generatorCpu += end.get().cpuSecondsSince(start.get(), List.of(run.generatorPid()));
            firstStart = firstStart == null || start.get().nanoTime() < firstStart.nanoTime() ? start.get() : firstStart;
            lastEnd = lastEnd == null || end.get().nanoTime() > lastEnd.nanoTime() ? end.get() : lastEnd;
        }
        if (failed > 0) {
            findings.note(String.format(Locale.US, "conns %s: %,.0f connections failed", kind.label(), failed));
        }
        // The processes start together, so the rate is all handshakes over the time the slowest took.
        figures.put(kind, handshakes, opened / slowest);
        figures.put(kind, "connections held", opened);
        figures.put(kind, "server RSS, all held", rssHeld);
        if (opened > 0 && rssBefore > 0 && rssHeld > 0) {
            figures.put(kind, perConnection, (rssHeld - rssBefore) / opened);
        }
        double wall = lastEnd.secondsSince(firstStart);
        double serverCpu = lastEnd.cpuSecondsSince(firstStart, List.of(server.pid()));
        if (opened > 0) {
            figures.put(kind, "server CPU per handshake", serverCpu * 1e6 / opened);
        }
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
                                     int settleSeconds, int holdSeconds) {
        return List.of("conns", "--url", server.socketIoUrl(), "--namespace", "/",
                "--count", Integer.toString(count), "--in-flight", Integer.toString(inFlight),
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
