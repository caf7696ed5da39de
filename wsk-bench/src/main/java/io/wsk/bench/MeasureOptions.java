package io.wsk.bench;

import picocli.CommandLine.Option;

/** How long a message scenario runs and how big its messages are. */
final class MeasureOptions {

    @Option(names = "--seconds", defaultValue = "10", description = "Measured duration (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured warm-up seconds (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--payload", defaultValue = "64", description = "Payload characters per message (default ${DEFAULT-VALUE}).")
    int payload;

    /** The payload string every message carries. */
    String pad() {
        return "x".repeat(payload);
    }
}
