package io.wsk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real {@code tinyproxy} (Debian's package): an HTTP proxy on a free loopback port, with its
 * own configuration file in a temporary directory. No {@code ConnectPort} line, so CONNECT is
 * allowed to every port (tinyproxy.conf(5)); optionally {@code BasicAuth}. It logs each request
 * ("Request (file descriptor N): CONNECT host:port HTTP/1.1") to a file, which
 * {@link #connectRequests()} reads so a test can tell its traffic went through the proxy.
 */
public final class TinyproxyProcess implements AutoCloseable {

    public static final String INSTALL_HINT = "install tinyproxy: apt-get install -y tinyproxy";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ChildProcess process;
    private final Path dir;
    private final int port;

    private TinyproxyProcess(ChildProcess process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static TinyproxyProcess start() {
        return start(null, null);
    }

    /** With {@code BasicAuth user password} when {@code user} is not null. */
    public static TinyproxyProcess start(String user, String password) {
        Path tinyproxy = Executables.require("tinyproxy", INSTALL_HINT);
        int port = FreePorts.next();
        try {
            Path dir = Files.createTempDirectory("wsk-tinyproxy");
            StringBuilder config = new StringBuilder()
                    .append("Port ").append(port).append('\n')
                    .append("Listen ").append(FreePorts.HOST).append('\n')
                    .append("Timeout 60\n")
                    .append("MaxClients 200\n")
                    .append("Allow 127.0.0.1\n")
                    .append("LogLevel Connect\n")
                    .append("LogFile \"").append(dir.resolve("tinyproxy.log")).append("\"\n");
            if (user != null) {
                config.append("BasicAuth ").append(user).append(' ').append(password).append('\n');
            }
            Path file = dir.resolve("tinyproxy.conf");
            Files.writeString(file, config);
            // -d: in the foreground, so it is this process's child and stops with it.
            ChildProcess process = ChildProcess.start("tinyproxy", List.of(tinyproxy.toString(), "-d", "-c", file.toString()), Map.of());
            TinyproxyProcess proxy = new TinyproxyProcess(process, dir, port);
            process.awaitListening(port, START_TIMEOUT);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Every log line so far. */
    public List<String> logLines() {
        try {
            Path log = dir.resolve("tinyproxy.log");
            return Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CONNECT requests it received so far, each as {@code host:port}, authorised or not. */
    public List<String> connectRequests() {
        return logLines().stream()
                .filter(line -> line.contains("Request (file descriptor") && line.contains(": CONNECT "))
                .map(line -> line.substring(line.indexOf(": CONNECT ") + ": CONNECT ".length()).split(" ")[0])
                .toList();
    }

    public String report() {
        return process.report() + "\ntinyproxy log:\n" + String.join("\n", logLines());
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
