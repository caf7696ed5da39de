package io.wsk.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One scenario run by the load generator in a JVM of its own ({@code java -jar wsk-bench.jar
 * <scenario> ...}), so the generator never shares a heap or a JIT with the harness or with another
 * run. Its output is shown as it comes; on each {@code MARK <name>} line the CPU time of the
 * watched servers and of the generator itself is read, and the {@code RESULT} line is parsed.
 */
final class ScenarioRun implements AutoCloseable {

    private static final int KEPT_ERROR_LINES = 20;

    private final String label;
    private final Process process;
    private final List<Long> watchedPids = new ArrayList<>();
    private final Map<String, UsageSample> marks = new ConcurrentHashMap<>();
    private final Deque<String> lastErrors = new ArrayDeque<>();
    private final PrintStream out;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private volatile ResultFields result;

    private ScenarioRun(String label, Process process, List<ServerProcess> watched, PrintStream out) {
        this.label = label;
        this.process = process;
        this.out = out;
        watched.forEach(server -> watchedPids.add(server.pid()));
        watchedPids.add(process.pid());
        this.stdoutReader = read(process.getInputStream(), this::stdoutLine, "stdout");
        this.stderrReader = read(process.getErrorStream(), this::stderrLine, "stderr");
    }

    /** Starts {@code command} (a generator JVM); {@code watched} are the servers whose CPU the marks read. */
    static ScenarioRun start(String label, List<String> command, List<ServerProcess> watched, PrintStream out) {
        try {
            Process process = new ProcessBuilder(command).start();
            ChildProcesses.track(process);
            return new ScenarioRun(label, process, watched, out);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    long generatorPid() {
        return process.pid();
    }

    /**
     * Waits for the generator to exit; false (and the generator killed) when it takes longer than
     * {@code timeout}.
     */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            out.println("  " + label + " | still running after " + timeout.toSeconds() + " s: stopped");
            close();
        }
        stdoutReader.join(5000);
        stderrReader.join(5000);
        ChildProcesses.forget(process);
        return exited;
    }

    /** Waits until the generator printed {@code MARK name}; false if it exited or {@code timeout} passed first. */
    boolean awaitMark(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!marks.containsKey(name)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return marks.containsKey(name);
            }
            Thread.sleep(20);
        }
        return true;
    }

    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    Optional<ResultFields> result() {
        return Optional.ofNullable(result);
    }

    Optional<UsageSample> mark(String name) {
        return Optional.ofNullable(marks.get(name));
    }

    /** Why the run gave no result, for a note: exit code and the last lines of its stderr. */
    String failure() {
        synchronized (lastErrors) {
            return label + " exited with " + exitCode() + (lastErrors.isEmpty() ? "" : ": " + String.join(" / ", lastErrors));
        }
    }

    private void stdoutLine(String line) {
        if (line.startsWith("MARK ")) {
            marks.put(line.substring(5).trim(), UsageSample.take(watchedPids));
            return;
        }
        if (line.startsWith(ResultFields.PREFIX)) {
            result = ResultFields.parse(line);
        }
        out.println("  " + label + " | " + line);
    }

    private void stderrLine(String line) {
        synchronized (lastErrors) {
            lastErrors.addLast(line);
            if (lastErrors.size() > KEPT_ERROR_LINES) {
                lastErrors.removeFirst();
            }
        }
        out.println("  " + label + " ! " + line);
    }

    private Thread read(InputStream stream, Consumer<String> onLine, String what) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // the generator is gone
            }
        }, label + "-" + what);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Kills the generator if it still runs (e.g. a {@code conns} run holding its connections). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ChildProcesses.forget(process);
    }
}
