package io.wsk.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a process has used so far, read from Linux's {@code /proc}: CPU time (user + system, all
 * threads) and resident memory. Reading these from outside costs the measured process nothing
 * and works the same for a JVM, Node and Redis. Public for {@code abuse}.
 */
public final class ProcessUsage {

    private static final double TICKS_PER_SECOND = ticksPerSecond();

    private ProcessUsage() {
    }

    /** CPU seconds {@code pid} has used, or -1 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces and parentheses; the fields after its last ')' do not.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // Fields 14 (utime) and 15 (stime) of proc(5); field 3 (state) is the first after the name.
            long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} in bytes ({@code VmRSS}), or -1 when it is gone. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute load averages. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    // USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every common Linux, but ask.
    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor(5, TimeUnit.SECONDS);
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
