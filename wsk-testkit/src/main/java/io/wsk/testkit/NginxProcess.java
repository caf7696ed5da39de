package io.wsk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real {@code nginx} running a configuration file of the repository (the shipped
 * {@code deploy/nginx.conf}), without root: NGINX expands no environment variables, so the file's
 * one {@code listen 80;} and its one {@code server wsk:3000 <params>;} upstream line are replaced
 * by a loopback port and one line per node (same parameters); everything else is the file as
 * shipped. It runs with a temporary prefix ({@code -p}) for its pid and temp paths, errors to
 * stderr, in the foreground; its access log (stdout) is in {@link #logLines()}.
 */
public final class NginxProcess implements AutoCloseable {

    public static final String INSTALL_HINT = "install NGINX (1.22 or newer): apt-get install -y nginx-light";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen 80;$");
    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*)server wsk:3000( [^;]*)?;$");

    private final ChildProcess process;
    private final int port;
    private final Path prefix;

    private NginxProcess(ChildProcess process, int port, Path prefix) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
    }

    /** Starts nginx with {@code config} on a free loopback port, proxying to {@code servers} (host:port). */
    public static NginxProcess start(Path config, List<String> servers) {
        Path nginx = Executables.require("nginx", INSTALL_HINT);
        int port = FreePorts.next();
        Path prefix;
        Path conf;
        try {
            String text = Files.readString(config);
            text = replaceOnce(text, LISTEN, config, m -> m.group(1) + "listen " + FreePorts.HOST + ":" + port + ";");
            text = replaceOnce(text, SERVER, config, m -> servers.stream()
                    .map(server -> m.group(1) + "server " + server + (m.group(2) == null ? "" : m.group(2)) + ";")
                    .collect(Collectors.joining("\n")));
            prefix = Files.createTempDirectory("wsk-nginx");
            conf = prefix.resolve("nginx.conf");
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + config, e);
        }
        ChildProcess process = ChildProcess.start("nginx", List.of(nginx.toString(), "-p", prefix + "/", "-e", "stderr",
                "-c", conf.toString(), "-g", "daemon off;"), Map.of());
        NginxProcess proxy = new NginxProcess(process, port, prefix);
        process.awaitListening(port, START_TIMEOUT);
        return proxy;
    }

    private static String replaceOnce(String text, Pattern pattern, Path config,
                                      Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(config + " has no line matching " + pattern.pattern()
                    + ": the fixture replaces it with loopback addresses");
        }
        int start = matcher.start();
        int end = matcher.end();
        String replaced = replacement.apply(matcher);
        if (matcher.find()) {
            throw new IllegalStateException(config + " has more than one line matching " + pattern.pattern());
        }
        return text.substring(0, start) + replaced + text.substring(end);
    }


    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + FreePorts.HOST + ":" + port;
    }

    /** The access log so far, one line per request (with {@code upstream=} and the status). */
    public List<String> logLines() {
        return process.stdout().all();
    }

    /** Takes the next access log line matching {@code predicate}; fails with the log if none comes in time. */
    public String awaitLog(Predicate<String> predicate, Duration timeout) {
        return process.stdout().await(predicate, timeout)
                .orElseThrow(() -> new AssertionError("no such nginx log line within " + timeout.toMillis() + " ms\n" + report()));
    }

    public String report() {
        return process.report();
    }

    /** Stops nginx (SIGTERM: fast shutdown) and removes its prefix directory. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
        try (var files = Files.walk(prefix)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
