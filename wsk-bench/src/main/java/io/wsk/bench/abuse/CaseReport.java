package io.wsk.bench.abuse;

import io.wsk.bench.compare.ProcessUsage;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

/**
 * One case's outcome: its figures (as far as it got), the error that stopped it if any, and the
 * load average around it (the machine may be shared: the memory figures stand, the timings less so).
 */
record CaseReport(String name, Figures figures, String error, String loadBefore, String loadAfter, double seconds) {

    /** Runs {@code c} with servers of its own, which are killed when it ends, however it ends. */
    static CaseReport run(AbuseCase c, AbuseSettings settings) {
        String loadBefore = ProcessUsage.loadAverage();
        long start = System.nanoTime();
        settings.console().println("abuse: " + c.name() + ": starting");
        String error = null;
        Figures figures;
        try (CaseRun run = new CaseRun(c.name(), settings)) {
            figures = run.figures();
            try {
                c.run(run);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            } catch (Exception | AssertionError e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                settings.console().print(trace);
                error = e.toString();
            }
        }
        return new CaseReport(c.name(), figures, error, loadBefore, ProcessUsage.loadAverage(),
                (System.nanoTime() - start) / 1e9);
    }

    /** The printed block: {@code == name}, then {@code key: value} lines. */
    String block() {
        StringBuilder b = new StringBuilder("== ").append(name).append('\n');
        b.append("case: ").append(name).append('\n');
        figures.lines().forEach((key, value) -> b.append(key).append(": ").append(value).append('\n'));
        if (error != null) {
            b.append("error: ").append(error).append('\n');
        }
        b.append(String.format(Locale.ROOT, "case wall time: %.1f s%n", seconds));
        b.append("load average before: ").append(loadBefore).append('\n');
        b.append("load average after: ").append(loadAfter).append('\n');
        return b.append('\n').toString();
    }
}
