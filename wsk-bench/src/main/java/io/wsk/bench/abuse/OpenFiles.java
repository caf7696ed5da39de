package io.wsk.bench.abuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Open-files limits and counts from {@code /proc}: what bounds how many connections a process can hold. */
final class OpenFiles {

    private OpenFiles() {
    }

    /** "soft 20000, hard 20000" for {@code pid} ("self" for this process), from its {@code limits}. */
    static String limit(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return "soft " + f[0] + ", hard " + f[1];
                }
            }
        } catch (IOException | RuntimeException e) {
            // below
        }
        return "unknown";
    }

    /** How many file descriptors {@code pid} has open, or -1. */
    static long count(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
