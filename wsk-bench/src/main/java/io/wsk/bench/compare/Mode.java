package io.wsk.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the processes of a comparison run. Node runs JavaScript on one thread, so the per-core
 * comparison gives each server one core and the generator the other; the whole-box comparison
 * lets wsk use every core, as it would in production, and shows what that buys.
 */
enum Mode {

    PINNED("pinned", "0", "1", 1, "each server on core 0, the generator on core 1",
            "each server (and, for relay, both nodes and Redis) on core 0 with `taskset -c 0`; "
                    + "the load generator on core 1 with `taskset -c 1` and one I/O thread"),
    WHOLE("whole", null, null, 2, "nothing pinned, every process shares every core",
            "nothing pinned: servers, Redis and the load generator (two I/O threads) share every core");

    private final String label;
    private final String serverCores;
    private final String generatorCores;
    private final int generatorThreads;
    private final String summary;
    private final String description;

    Mode(String label, String serverCores, String generatorCores, int generatorThreads, String summary,
         String description) {
        this.label = label;
        this.summary = summary;
        this.serverCores = serverCores;
        this.generatorCores = generatorCores;
        this.generatorThreads = generatorThreads;
        this.description = description;
    }

    String label() {
        return label;
    }

    /** A few words, for the chart. */
    String summary() {
        return summary;
    }

    /** Markdown, for the report. */
    String description() {
        return description;
    }

    /** I/O threads the generator gets: as many as the cores it may use. */
    int generatorThreads() {
        return generatorThreads;
    }

    /** Cores the generator may use, for judging whether it was the limit. */
    int generatorCores() {
        return generatorCores == null ? Runtime.getRuntime().availableProcessors() : 1;
    }

    boolean pinned() {
        return serverCores != null;
    }

    /** {@code command}, run on the servers' cores. */
    List<String> onServerCores(List<String> command) {
        return pin(serverCores, command);
    }

    /** {@code command}, run on the generator's cores. */
    List<String> onGeneratorCores(List<String> command) {
        return pin(generatorCores, command);
    }

    // taskset execs the command, so the pid the harness holds is the server's or the JVM's own.
    private static List<String> pin(String cores, List<String> command) {
        if (cores == null) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cores));
        pinned.addAll(command);
        return pinned;
    }

    static Mode parse(String label) {
        for (Mode mode : values()) {
            if (mode.label.equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("no mode " + label + " (pinned, whole or both)");
    }
}
