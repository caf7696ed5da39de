package io.wsk.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real {@code haproxy} running a configuration file of the repository (the shipped
 * {@code deploy/haproxy.cfg}) unchanged: the file takes its listening address from
 * {@code HAPROXY_BIND} and its servers from {@code WSK1}, {@code WSK2}, ... (HAProxy expands
 * environment variables), so the test sets those to loopback ports instead of editing a copy.
 *
 * <p>HAProxy runs in the foreground ({@code -db}); the configuration logs to stdout, one line per
 * request, which {@link #logLines()} returns for assertions (statuses, which server served what).
 * HAProxy drops log lines rather than block on a full pipe, so that log may miss lines; server
 * state changes are also on stderr, reliably: {@link #awaitMessage}.
 */
public final class HaproxyProcess implements AutoCloseable {

    public static final String INSTALL_HINT = "install HAProxy (2.6 or newer): apt-get install -y haproxy";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ChildProcess process;
    private final int port;

    private HaproxyProcess(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts haproxy with {@code config}, listening on a free loopback port, with {@code servers} as WSK1..WSKn. */
    public static HaproxyProcess start(Path config, List<String> servers) {
        Path haproxy = Executables.require("haproxy", INSTALL_HINT);
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no such configuration: " + config);
        }
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("HAPROXY_BIND", FreePorts.HOST + ":" + port);
        for (int i = 0; i < servers.size(); i++) {
            env.put("WSK" + (i + 1), servers.get(i));
        }
        ChildProcess process = ChildProcess.start("haproxy", List.of(haproxy.toString(), "-db", "-f", config.toString()), env);
        HaproxyProcess proxy = new HaproxyProcess(process, port);
        process.awaitListening(port, START_TIMEOUT);
        return proxy;
    }


    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + FreePorts.HOST + ":" + port;
    }

    /** Every line HAProxy wrote to stdout so far (its request log and server state changes). */
    public List<String> logLines() {
        return process.stdout().all();
    }

    /** Takes the next log line matching {@code predicate}; fails with the log if none comes in time. */
    public String awaitLog(Predicate<String> predicate, Duration timeout) {
        return process.stdout().await(predicate, timeout)
                .orElseThrow(() -> new AssertionError("no such haproxy log line within " + timeout.toMillis() + " ms\n" + report()));
    }

    /**
     * Takes the next line of HAProxy's own messages (stderr: warnings and alerts such as
     * "Server wsk/wsk1 is DOWN, ...") matching {@code predicate}. These, unlike the log on stdout,
     * are never dropped when the reader falls behind.
     */
    public String awaitMessage(Predicate<String> predicate, Duration timeout) {
        return process.stderr().await(predicate, timeout)
                .orElseThrow(() -> new AssertionError("no such haproxy message within " + timeout.toMillis() + " ms\n" + report()));
    }

    public String report() {
        return process.report();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
