package io.wsk.bench;

import picocli.CommandLine.Option;

/** How a scenario's generator connects: its I/O threads and the source addresses it rotates over. */
final class ClientOptions {

    @Option(names = "--threads", defaultValue = "1", description = "Client I/O threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--sources", defaultValue = "4",
            description = "Source addresses 127.0.0.2.. to rotate over (default ${DEFAULT-VALUE}).")
    int sources;

    SourceAddresses sourceAddresses() {
        return new SourceAddresses(2, sources);
    }
}
