package io.wsk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Asks Linux to wake the calling thread on time. A thread's timer slack (50 µs by default) lets
 * the kernel fire its timed waits that much later, to batch wake-ups; the open-loop senders wait
 * on such timers between messages, so every message left late. Measured on this project's 2-core
 * VM, a Netty event loop scheduling a task every 500 µs ran it 87 µs late at the median with the
 * default slack and 36 µs late with a slack of 1 ns. The stamp is the scheduled time, so lateness
 * showed up as the server's latency.
 *
 * <p>A thread may set its own slack through {@code /proc/<tid>/timerslack_ns} without privileges.
 */
final class TimerSlack {

    private TimerSlack() {
    }

    /** Sets the calling thread's timer slack to 1 ns; false where Linux's procfs does not offer it. */
    static boolean minimizeForCurrentThread() {
        Path file = currentThreadFile();
        if (file == null) {
            return false;
        }
        try {
            Files.writeString(file, "1");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The calling thread's slack in nanoseconds, or -1 where it cannot be read. */
    static long currentThreadSlackNanos() {
        Path file = currentThreadFile();
        if (file == null) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** {@code /proc/<tid>/timerslack_ns}: /proc/thread-self links to {@code <pid>/task/<tid>}. */
    private static Path currentThreadFile() {
        try {
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Path.of("/proc", link.getFileName().toString(), "timerslack_ns");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
