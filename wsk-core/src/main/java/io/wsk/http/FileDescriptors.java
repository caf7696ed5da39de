package io.wsk.http;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open-files limit ({@code ulimit -n}), from which the connection caps get their
 * defaults. Every connection is a file descriptor; a process that runs out of them can accept
 * nothing at all, not even a health check, so the caps keep some in reserve.
 */
public final class FileDescriptors {

    /** Descriptors kept back from the connection caps for everything that is not a connection. */
    static final int MIN_RESERVE = 256;

    private FileDescriptors() {
    }

    /** The limit, or -1 where the platform does not tell (not a Unix JVM). */
    public static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** Descriptors open now, or -1 where the platform does not tell. */
    public static long open() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /**
     * The default cap on client sessions: the limit less a tenth of it (at least
     * {@value #MIN_RESERVE}), which stays for health checks, the second connection of polling
     * clients, the refusals past the cap, Redis, logs and the JVM's own files. No cap where the
     * limit is unknown.
     */
    public static int defaultSessionLimit() {
        long limit = limit();
        if (limit <= 0) {
            return Integer.MAX_VALUE;
        }
        long reserve = Math.max(MIN_RESERVE, limit / 10);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit - reserve));
    }

    /**
     * The default cap on open connections of any kind: the limit less {@value #MIN_RESERVE} / 4
     * descriptors for files and Redis. Past it a new connection is closed as soon as it is
     * accepted, so the process never meets the limit itself (where accepting fails and keeps
     * failing, and nothing can be answered).
     */
    public static int defaultConnectionLimit() {
        long limit = limit();
        if (limit <= 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit - MIN_RESERVE / 4));
    }
}
