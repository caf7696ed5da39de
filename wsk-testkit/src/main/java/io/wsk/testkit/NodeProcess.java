package io.wsk.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Node script from {@code interop/} running as a real peer: {@code node interop/<script> args...}.
 *
 * <p>Scripts print one JSON object per stdout line for what they see, and read commands from stdin
 * lines; stderr is kept for failure messages. A script is killed when its lifetime runs out and
 * on {@link #close()}, so a stuck peer cannot hang the build.
 */
public final class NodeProcess implements AutoCloseable {

    /** How long a script may run unless told otherwise. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(NodeProcess.class);
    /** Scripts not closed yet, killed if the JVM exits first. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "node-process-reaper"));
    }

    private final String script;
    private final Process process;
    private final OutputLines stdout;
    private final OutputLines stderr;
    private final Writer stdin;
    private volatile boolean expired;

    private NodeProcess(String script, Process process, Duration lifetime) {
        this.script = script;
        this.process = process;
        String name = script + "#" + process.pid();
        this.stdout = OutputLines.read(process.getInputStream(), name + "-stdout",
                line -> log.debug("{} > {}", name, abbreviate(line)));
        this.stderr = OutputLines.read(process.getErrorStream(), name + "-stderr",
                line -> log.debug("{} ! {}", name, line));
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        CompletableFuture.delayedExecutor(lifetime.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (process.isAlive()) {
                expired = true;
                process.destroyForcibly();
            }
        });
    }

    /** Starts {@code interop/<script>} with {@code args}, for at most {@link #DEFAULT_LIFETIME}. */
    public static NodeProcess start(String script, String... args) {
        return start(script, List.of(args), DEFAULT_LIFETIME);
    }

    /**
     * Starts {@code interop/<script>} (e.g. {@code engine/client.mjs}) with {@code args}, installing
     * the interop packages first if needed; the process is killed after {@code lifetime}.
     */
    public static NodeProcess start(String script, List<String> args, Duration lifetime) {
        Path node = Executables.require("node", Interop.NODE_INSTALL_HINT);
        Path dir = Interop.directory();
        Path file = dir.resolve(script);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such script: " + file);
        }
        List<String> command = new ArrayList<>();
        command.add(node.toString());
        command.add(file.toString());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
            LIVE.add(process);
            log.debug("started {} (pid {}) with {}", script, process.pid(), args);
            return new NodeProcess(script, process, lifetime);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    /** Writes {@code line} and a newline to the script's stdin. */
    public void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to " + describe() + "\n" + report(), e);
        }
    }

    /** Closes the script's stdin: scripts take that as "the test is done with you". */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            log.debug("closing stdin of {}: {}", describe(), e.toString());
        }
    }

    /**
     * Takes the next stdout line (not taken before, see {@link OutputLines}) that matches
     * {@code predicate}, waiting up to {@code timeout}.
     *
     * @throws AssertionError if none comes in time, or the script exits first; the message has the
     *                        script's whole output
     */
    public String awaitLine(Predicate<String> predicate, Duration timeout) {
        return stdout.await(predicate, timeout).orElseThrow(() -> new AssertionError(
                (stdout.ended() ? describe() + " closed its output" : "waited " + timeout.toMillis() + " ms")
                        + " without the expected line\n" + report()));
    }

    /** Every stdout line so far. */
    public List<String> lines() {
        return stdout.all();
    }

    /** Every stderr line so far. */
    public List<String> errorLines() {
        return stderr.all();
    }

    /**
     * Waits up to {@code timeout} for the script to exit; its exit code.
     *
     * @throws AssertionError if it is still running then
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(describe() + " still running after " + timeout.toMillis() + " ms\n" + report());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + describe(), e);
        }
        // Let the readers catch the last lines, so callers see all of them.
        stdout.awaitEnd(Duration.ofSeconds(5));
        stderr.awaitEnd(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** The exit code, if the script has exited. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Ends the script the polite way: stdin closed (scripts take that as "the test is done with
     * you": they close what they opened and exit), then killed if still running after {@code grace}.
     */
    public void end(Duration grace) {
        closeStdin();
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Kills the script (and waits for it to go) if it is still running. */
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
        closeStdin();
        LIVE.remove(process);
    }

    private String describe() {
        return script + " (pid " + process.pid() + (expired ? ", killed when its lifetime ran out" : "") + ")";
    }

    /** The script's state and whole output, for failure messages. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(describe()).append(": ");
        OptionalInt code = exitCode();
        out.append(code.isPresent() ? "exited with " + code.getAsInt() : "running").append('\n');
        out.append("--- stdout:\n");
        stdout.all().forEach(line -> out.append(abbreviate(line)).append('\n'));
        out.append("--- stderr:\n");
        stderr.all().forEach(line -> out.append(line).append('\n'));
        return out.append("---").toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 500 ? line : line.substring(0, 500) + "... (" + line.length() + " chars)";
    }
}
