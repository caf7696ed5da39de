package io.wsk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A short command a test runs to its end (a linter, a build, a container tool): its exit code and
 * its stdout and stderr merged, with a time limit. The output goes through a file, not a pipe, so a
 * chatty command never blocks on a full pipe while the test waits for it.
 */
public final class Commands {

    /** How a command ended. */
    public record Result(int exit, String output) {

        /** This result if the command exited 0; otherwise a failure with the command and its output's tail. */
        public Result requireSuccess(List<String> command) {
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exit + ":\n" + tail(output));
            }
            return this;
        }
    }

    private static final int TAIL_CHARS = 4000;

    private Commands() {
    }

    /**
     * Runs {@code command} in {@code dir} (the current directory when null) with {@code env} added to
     * this process's environment; fails if it is still running after {@code timeout}, killing it.
     */
    public static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("wsk-command", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " took over " + timeout.toSeconds() + " s:\n"
                        + tail(Files.readString(output, StandardCharsets.UTF_8)));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static String tail(String text) {
        return text.length() <= TAIL_CHARS ? text : "..." + text.substring(text.length() - TAIL_CHARS);
    }
}
