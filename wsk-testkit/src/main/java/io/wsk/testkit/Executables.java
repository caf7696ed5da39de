package io.wsk.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the programs that fixtures run. A missing one fails the test, with how to install it. */
public final class Executables {

    private Executables() {
    }

    /**
     * The executable {@code name} on the {@code PATH}, else in {@code /usr/sbin} or {@code /sbin}
     * (where Debian puts haproxy and nginx, often not on a non-root user's {@code PATH}).
     *
     * @throws IllegalStateException if there is none; the message says {@code installHint}
     */
    public static Path require(String name, String installHint) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("'" + name + "' was not found on the PATH; " + installHint);
    }
}
