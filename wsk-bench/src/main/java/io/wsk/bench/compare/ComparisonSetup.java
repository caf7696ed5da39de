package io.wsk.bench.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What every scenario of one mode runs with: where things run, how big, and how to start servers and generators. */
record ComparisonSetup(Project project, Mode mode, RunSizes sizes, ServerLauncher servers, String java, PrintStream out,
                       long startNanos) {

    ComparisonSetup(Project project, Mode mode, RunSizes sizes, ServerLauncher servers, String java, PrintStream out) {
        this(project, mode, sizes, servers, java, out, System.nanoTime());
    }

    /**
     * Starts {@code wsk-bench <args>} in a JVM of its own on the generator's cores; the CPU time of
     * {@code watched} is read at its MARK lines.
     */
    ScenarioRun generator(String label, List<String> args, List<ServerProcess> watched) {
        List<String> command = new ArrayList<>(List.of(java, "-jar", project.benchJar().toString()));
        command.addAll(args);
        return ScenarioRun.start(mode.label() + " " + label, mode.onGeneratorCores(command), watched, out);
    }

    /** Prints what the harness is doing now, with the minutes and seconds since the mode began. */
    void say(String what) {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.printf("compare: [%s %d:%02d] %s%n", mode.label(), seconds / 60, seconds % 60, what);
    }
}
