package io.wsk.bench.abuse;

import io.wsk.bench.compare.ChildProcesses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The harness's side of one {@link ConnectionHolder} process: starts it on the harness's own
 * java and classpath, keeps its latest status line, and stops it (closing its stdin, then
 * SIGKILL) when the case is done.
 */
final class HolderProcess implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private volatile Map<String, String> latest = Map.of();
    private volatile boolean done;

    private HolderProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "holder-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static HolderProcess start(String java, int port, int count) {
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                ConnectionHolder.class.getName(), Integer.toString(port), Integer.toString(count));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ChildProcesses.track(process);
            return new HolderProcess(process);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                Map<String, String> fields = new HashMap<>();
                String[] words = line.split(" ");
                fields.put("kind", words[0]);
                for (int i = 1; i < words.length; i++) {
                    int eq = words[i].indexOf('=');
                    if (eq > 0) {
                        fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                    }
                }
                latest = fields;
                if (words[0].equals("DONE")) {
                    done = true;
                }
            }
        } catch (IOException e) {
            // the holder is gone
        }
    }

    /** Waits until the holder stopped opening connections; false if it died or {@code timeout} passed. */
    boolean awaitDone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return done;
    }

    /** A number from the latest status line, or 0. */
    long number(String key) {
        String value = latest.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    String text(String key) {
        return latest.get(key);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            process.waitFor(3, TimeUnit.SECONDS);
        } catch (IOException e) {
            // killed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcesses.forget(process);
    }
}
