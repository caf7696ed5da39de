package io.wsk.bench.compare;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The programs the harness runs (node, npm, redis-server, taskset), found on the PATH. */
final class Programs {

    private Programs() {
    }

    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** @throws IllegalStateException naming the program and how to install it */
    static Path require(String name, String installHint) {
        return find(name).orElseThrow(() -> new IllegalStateException(
                "'" + name + "' was not found on the PATH; " + installHint));
    }
}
