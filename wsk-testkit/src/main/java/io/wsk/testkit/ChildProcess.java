package io.wsk.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A program a fixture runs (wsk, haproxy, nginx): its stdout and stderr read as lines, signals,
 * exit, and a report for failure messages. Processes still running when the JVM exits are killed,
 * so a failed test leaves no server behind.
 */
final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "child-process-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final OutputLines stdout;
    private final OutputLines stderr;

    private ChildProcess(String name, List<String> command, Process process) {
        this.name = name + "#" + process.pid();
        this.command = command;
        this.process = process;
        String tag = this.name;
        this.stdout = OutputLines.read(process.getInputStream(), tag + "-stdout", line -> log.debug("{} > {}", tag, line));
        this.stderr = OutputLines.read(process.getErrorStream(), tag + "-stderr", line -> log.debug("{} ! {}", tag, line));
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            LIVE.add(process);
            log.debug("started {} (pid {}): {}", name, process.pid(), command);
            return new ChildProcess(name, List.copyOf(command), process);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    OutputLines stdout() {
        return stdout;
    }

    OutputLines stderr() {
        return stderr;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) with kill(1). */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("kill -" + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM. */
    void terminate() {
        // Through the handle: Process.destroy() also closes our ends of the child's pipes, so
        // whatever it writes while shutting down (a drain's log) would be lost to EPIPE.
        process.toHandle().destroy();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
        LIVE.remove(process);
    }

    /**
     * Waits up to {@code timeout} for the process to exit; its exit code, once its output has been
     * read to the end.
     *
     * @throws AssertionError if it is still running then
     */
    int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout.toMillis() + " ms\n" + report());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        stdout.awaitEnd(Duration.ofSeconds(5));
        stderr.awaitEnd(Duration.ofSeconds(5));
        LIVE.remove(process);
        return process.exitValue();
    }

    /** Stops the process if it runs: SIGTERM, then SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
    }

    /**
     * Waits until something accepts connections on {@code port}; stops the process and fails with
     * its output when it exits or the timeout passes first.
     */
    void awaitListening(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!FreePorts.listening(port)) {
            if (!isAlive() || System.nanoTime() > deadline) {
                stop(Duration.ofSeconds(1));
                throw new IllegalStateException(name + " did not start listening on port " + port + "\n" + report());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    String report() {
        StringBuilder out = new StringBuilder("--- ").append(name).append(' ').append(command).append(": ");
        OptionalInt code = exitCode();
        out.append(code.isPresent() ? "exited with " + code.getAsInt() : "running").append('\n');
        out.append("--- stdout:\n");
        stdout.all().forEach(line -> out.append(line).append('\n'));
        out.append("--- stderr:\n");
        stderr.all().forEach(line -> out.append(line).append('\n'));
        return out.append("---").toString();
    }
}
