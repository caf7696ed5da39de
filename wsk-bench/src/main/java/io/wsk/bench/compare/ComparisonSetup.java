package io.wsk.bench.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What every scenario of one mode runs with: where things run, how big, which reference servers wsk
 * is measured against, and how to start servers and generators.
 */
record ComparisonSetup(Project project, Mode mode, RunSizes sizes, List<ServerKind> references, ServerLauncher servers,
                       String java, PrintStream out, long startNanos) {

    ComparisonSetup(Project project, Mode mode, RunSizes sizes, List<ServerKind> references, ServerLauncher servers,
                    String java, PrintStream out) {
        this(project, mode, sizes, List.copyOf(references), servers, java, out, System.nanoTime());
    }

    /** wsk and the references, in the order each scenario runs them. */
    List<ServerKind> kinds() {
        return ServerKind.withWsk(references);
    }

    /**
     * Starts {@code wsk-bench <args>} in a JVM of its own on the generator's cores; the CPU time of
     * {@code watched} is read at its MARK lines.
     */
    ScenarioRun generator(String label, List<String> args, List<ServerProcess> watched) {
        List<String> command = new ArrayList<>(List.of(java));
        if (!args.isEmpty() && args.get(0).equals("conns")) {
            // A handshake run lasts seconds in a fresh JVM: on the generator's one core, C2
            // compiling the handshake path took half the CPU (perf: 46 % in libjvm) and halved the
            // rate it could measure. The quick C1 tier alone: ~10,000 handshakes/s instead of ~5,700.
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-jar", project.benchJar().toString()));
        command.addAll(args);
        return ScenarioRun.start(mode.label() + " " + label, mode.onGeneratorCores(command), watched, out);
    }

    /** Prints what the harness is doing now, with the minutes and seconds since the mode began. */
    void say(String what) {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.printf("compare: [%s %d:%02d] %s%n", mode.label(), seconds / 60, seconds % 60, what);
    }
}
