package io.wsk.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The box and the software a comparison ran on, for the report. */
record Machine(String cpu, int cores, String memory, String kernel, String java, String node, String socketIo,
               String redisAdapter, String nettySocketIo, String netty, String redisServer) {

    static Machine describe(Project project, String java) {
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), totalMemory(),
                firstLine(Path.of("/proc/sys/kernel/osrelease")),
                firstOutputLine(List.of(java, "-version")),
                firstOutputLine(List.of("node", "--version")),
                project.lockedVersion("socket.io"),
                project.lockedVersion("@socket.io/redis-adapter"),
                Project.shadedVersion(project.nettySocketIoJar(), "com.corundumstudio.socketio", "netty-socketio"),
                Project.shadedVersion(project.nettySocketIoJar(), "io.netty", "netty-common"),
                firstOutputLine(List.of("redis-server", "--version")));
    }

    /** Markdown list items. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("CPU: " + cpu + ", " + cores + " cores; memory " + memory);
        lines.add("kernel (`uname -r`): " + kernel);
        lines.add("wsk on " + java);
        lines.add("Node " + node + " with socket.io " + socketIo + " and @socket.io/redis-adapter " + redisAdapter
                + " (pinned by `interop/package-lock.json`)");
        lines.add("netty-socketio " + nettySocketIo + " on Netty " + netty + " (wsk's own Netty, by the root pom's BOM), "
                + "on the same JVM and JVM flags as wsk");
        lines.add("Redis: " + redisServer);
        return lines;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // below
        }
        return "unknown CPU";
    }

    private static String totalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
                    return String.format(Locale.US, "%.1f GiB", kb / (1024.0 * 1024));
                }
            }
        } catch (IOException | RuntimeException e) {
            // below
        }
        return "unknown";
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).get(0).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstOutputLine(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return output.isEmpty() ? "unknown" : output.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
