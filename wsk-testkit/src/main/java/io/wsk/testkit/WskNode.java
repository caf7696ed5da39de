package io.wsk.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * A {@code wsk} node as operators run it: {@code java -jar wsk-app/target/wsk.jar serve ...} in a
 * process of its own, so tests exercise the real command line, signals and exit codes (SIGKILL for
 * a crash, SIGTERM for a drain), not an in-JVM server.
 *
 * <p>The jar is built by {@code mvn package} of wsk-app; tests that use this fixture run in
 * wsk-app's {@code integration-test} phase, after the shade plugin made it. Without it the fixture
 * fails with how to build it.
 */
public final class WskNode implements AutoCloseable {

    /** How long a node may take until {@code /ready} answers 200. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ChildProcess process;
    private final int port;

    private WskNode(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code <repo>/wsk-app/target/wsk.jar}. */
    public static Path jar() {
        Path jar = Interop.repoRoot().resolve("wsk-app").resolve("target").resolve("wsk.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with"
                    + " mvn -B package -pl wsk-app -am (the integration tests run after package)");
        }
        return jar;
    }

    /**
     * Starts {@code wsk serve <args> --host 127.0.0.1 --port <free port>} and waits until its
     * {@code /ready} answers 200.
     */
    public static WskNode serve(String... args) {
        WskNode node = launchServe(args);
        node.awaitReady(START_TIMEOUT);
        return node;
    }

    /** Like {@link #serve} without waiting for readiness (e.g. for a node whose Redis is not there yet). */
    public static WskNode launchServe(String... args) {
        int port = FreePorts.next();
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        all.addAll(List.of("--host", FreePorts.HOST, "--port", Integer.toString(port)));
        return new WskNode(launch(all), port);
    }

    /** Runs {@code wsk <args>} exactly as given (bad command lines, help); no port is added. */
    public static WskNode run(String... args) {
        return new WskNode(launch(List.of(args)), -1);
    }

    private static ChildProcess launch(List<String> args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(args);
        return ChildProcess.start("wsk", command, Map.of());
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + FreePorts.HOST + ":" + port;
    }

    /** The status {@code /ready} answers, or -1 when nothing answers (not listening, or gone). */
    public int readyStatus() {
        return status("/ready");
    }

    /** The body {@code path} answers with 200; fails on any other answer. */
    public String get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status {@code path} answers, or -1 when the connection is refused or fails. */
    public int status(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until {@code /ready} answers 200.
     *
     * @throws AssertionError if it does not within {@code timeout} or the node exits; with its output
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readyStatus() != 200) {
            if (!process.isAlive()) {
                throw new AssertionError("wsk node exited before it was ready\n" + report());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("wsk node not ready after " + timeout.toMillis() + " ms\n" + report());
            }
            sleep(50);
        }
    }

    /**
     * Takes the next line the node wrote to stderr (its log) that matches {@code predicate}.
     *
     * @throws AssertionError if none comes within {@code timeout}
     */
    public String awaitLog(Predicate<String> predicate, Duration timeout) {
        return process.stderr().await(predicate, timeout)
                .orElseThrow(() -> new AssertionError("no such log line within " + timeout.toMillis() + " ms\n" + report()));
    }

    /** Everything written to stderr so far (the log, and error messages). */
    public List<String> stderrLines() {
        return process.stderr().all();
    }

    public List<String> stdoutLines() {
        return process.stdout().all();
    }

    /** SIGKILL: a crash. Returns once the process is gone. */
    public void kill() {
        process.kill();
    }

    /** SIGSTOP: the node freezes, connections open, answering nothing (a node stuck in a long GC, say). */
    public void pause() {
        process.signal("STOP");
    }

    /** SIGCONT, after {@link #pause}. */
    public void resume() {
        process.signal("CONT");
    }

    /** SIGTERM: the node drains and exits (see {@link #waitForExit}). */
    public void terminate() {
        process.terminate();
    }

    /**
     * Waits up to {@code timeout} for the process to exit; its exit code.
     *
     * @throws AssertionError if it is still running then
     */
    public int waitForExit(Duration timeout) {
        return process.waitForExit(timeout);
    }

    public OptionalInt exitCode() {
        return process.exitCode();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The command, state and whole output, for failure messages. */
    public String report() {
        return process.report();
    }

    /** Stops the node if it still runs (SIGTERM, SIGKILL after 15 s). */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "WskNode[" + (port > 0 ? url() : "no port") + ", pid " + process.pid() + "]";
    }
}
