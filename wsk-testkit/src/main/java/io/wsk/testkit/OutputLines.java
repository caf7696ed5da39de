package io.wsk.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The lines of a process's output stream, read by a daemon thread as they come.
 *
 * <p>{@link #await} <em>takes</em> lines: each line is returned by at most one call, so waiting three
 * times for "a message" yields three different messages, in order, while lines that matched no
 * call stay there for later calls.
 */
public final class OutputLines {

    private final List<String> lines = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private boolean ended;

    private OutputLines() {
    }

    /**
     * Starts reading {@code stream} (UTF-8) on a daemon thread named {@code name}; each line is
     * also handed to {@code tap} (for logging) as it arrives.
     */
    public static OutputLines read(InputStream stream, String name, Consumer<String> tap) {
        OutputLines output = new OutputLines();
        Thread reader = new Thread(() -> output.readAll(stream, tap), name);
        reader.setDaemon(true);
        reader.start();
        return output;
    }

    private void readAll(InputStream stream, Consumer<String> tap) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                tap.accept(line);
                synchronized (this) {
                    lines.add(line);
                    taken.add(false);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed under us: the stream just ends
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /**
     * Takes the first line not taken before that matches {@code predicate}, waiting up to
     * {@code timeout} for it. Empty if none came in time or the stream ended without one.
     */
    public synchronized Optional<String> await(Predicate<String> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scanned = 0;
        while (true) {
            for (int i = scanned; i < lines.size(); i++) {
                if (!taken.get(i) && predicate.test(lines.get(i))) {
                    taken.set(i, true);
                    return Optional.of(lines.get(i));
                }
            }
            scanned = lines.size();
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return Optional.empty();
            }
            try {
                long millis = Math.max(1, left / 1_000_000);
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for output", e);
            }
        }
    }

    /** Waits up to {@code timeout} for the stream to end; whether it did. */
    public synchronized boolean awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for output", e);
            }
        }
        return true;
    }

    /** Every line so far, taken or not. */
    public synchronized List<String> all() {
        return List.copyOf(lines);
    }

    /** Whether the stream has ended (the process closed it or exited). */
    public synchronized boolean ended() {
        return ended;
    }
}
