package io.wsk.redis;

import io.wsk.testkit.OutputLines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A wsk node in a JVM of its own ({@link ProcessNodeMain}, on this test's class path), so that it can
 * hang for real: {@link #stop} sends SIGSTOP, and the node stays connected and subscribed (Redis
 * still counts it) while it reads and answers nothing, until {@link #resume} (SIGCONT). The node
 * runs the bench handlers of {@link WskNode} and answers the server-side event {@code who} with
 * its name. Processes left when the test JVM exits are killed.
 */
final class ProcessNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // SIGKILL also ends a stopped process, which would never see its stdin end.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "process-node-reaper"));
    }

    private final String name;
    private final Process process;
    private final OutputLines stdout;
    private final OutputLines stderr;
    private final String uid;
    private final int port;

    private ProcessNode(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdout = OutputLines.read(process.getInputStream(), name + "-stdout", line -> { });
        this.stderr = OutputLines.read(process.getErrorStream(), name + "-stderr", line -> { });
        String ready = stdout.await(line -> line.startsWith("ready "), START_TIMEOUT).orElse(null);
        if (ready == null) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not start within " + START_TIMEOUT.toSeconds() + " s\n" + report());
        }
        String[] parts = ready.split(" ");
        this.uid = parts[1];
        this.port = Integer.parseInt(parts[2]);
    }

    /**
     * Starts node {@code name} on {@code redisUrl}, with channels prefixed by {@code key}:
     * {@code adapter} is {@code classic} or a {@link SubscriptionMode}.
     */
    static ProcessNode start(String redisUrl, String key, String adapter, String name) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ProcessNodeMain.class.getName(), redisUrl, key, adapter,
                name);
        try {
            Process process = new ProcessBuilder(command).start();
            LIVE.add(process);
            return new ProcessNode(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    String name() {
        return name;
    }

    /** The uid of its adapter of {@code /}. */
    String uid() {
        return uid;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGSTOP: the process hangs, its connections open. Returns once every thread of it has stopped. */
    void stop() {
        signal("STOP");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!allThreadsStopped()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " (pid " + process.pid() + ") not stopped 5 s after SIGSTOP");
            }
            Thread.onSpinWait();
        }
    }

    /** Whether the state of each thread in {@code /proc/<pid>/task/<tid>/stat} is T (stopped). */
    private boolean allThreadsStopped() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            return tasks.allMatch(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // pid (comm) state ...: the command may hold spaces and parentheses, the state follows the last ')'
                    return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
                } catch (IOException e) {
                    return true; // the thread has just ended
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGCONT: it carries on, with everything that arrived meanwhile. */
    void resume() {
        signal("CONT");
    }

    /** SIGKILL (a stopped process too), and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " still running after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LIVE.remove(process);
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its output, for failure messages. */
    String report() {
        return "--- " + name + " (pid " + process.pid() + ") stdout:\n" + String.join("\n", stdout.all())
                + "\n--- stderr:\n" + String.join("\n", stderr.all());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        LIVE.remove(process);
    }

    @Override
    public String toString() {
        return "ProcessNode[" + name + ", uid " + uid + ", pid " + process.pid() + "]";
    }
}
