package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What one case works with: its sizes, the servers it starts (each on a free loopback port with
 * default settings, its output in a log file of its own, its exact command line in the figures),
 * and the figures it reports. Closing it kills whatever the case left running.
 */
final class CaseRun implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final AbuseSettings settings;
    private final Figures figures = new Figures();
    // Synchronized: redis-order restarts Redis from a timeline thread.
    private final List<ServerProcess> started = Collections.synchronizedList(new ArrayList<>());

    CaseRun(String name, AbuseSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    Figures figures() {
        return figures;
    }

    boolean quick() {
        return settings.quick();
    }

    /** The case's main phase in seconds: {@code --seconds} if given, else the full or the quick default. */
    int seconds(int full, int quick) {
        return settings.seconds() != null ? settings.seconds() : settings.quick() ? quick : full;
    }

    /** A count: the full default, or the quick one with {@code --quick}. */
    int size(int full, int quick) {
        return settings.quick() ? quick : full;
    }

    /** The {@code java} the harness and its servers run on. */
    String java() {
        return settings.java();
    }

    /** {@code event-flood}'s victim: round trips per second, 0 for as fast as it can. */
    int victimRate() {
        return settings.victimRate();
    }

    long rssLimitBytes() {
        return settings.rssLimitBytes();
    }

    /** A sampler of {@code server}'s RSS with the run's memory ceiling. */
    RssSampler rss(ServerProcess server) {
        return new RssSampler(server.pid(), settings.rssLimitBytes());
    }

    /**
     * {@code <launcher> serve --app bench --host 127.0.0.1 --port <free> <extra> <--server-arg ...>},
     * once {@code GET /ready} answers 200; its command line goes into the figures as
     * {@code "<label> command"}.
     */
    ServerProcess startWsk(String label, List<String> extra) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(settings.launcher().toString(), "serve", "--app", "bench",
                "--host", ServerProcess.HOST, "--port", Integer.toString(port)));
        command.addAll(extra);
        command.addAll(settings.serverArgs());
        figures.put(label + " command", display(command));
        // WSK_SKIP_BUILD: the launcher must not rebuild mid-run; JAVA: the servers run on the harness's JDK, whose jcmd attaches to them.
        ServerProcess server = ServerProcess.start(label, command,
                Map.of("WSK_SKIP_BUILD", "1", "JAVA", settings.java()), log(label, port), port);
        started.add(server);
        figures.put(label + " log", server.log().toString());
        server.awaitOk("/ready", START_TIMEOUT);
        return server;
    }

    /** A redis-server on {@code port} without persistence; {@code attempt} tells restarts' logs apart. */
    ServerProcess startRedis(int port, int attempt) {
        Path dir = settings.logs().resolve(name + "-redis-" + port);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", ServerProcess.HOST,
                "--save", "", "--appendonly", "no", "--dir", dir.toString());
        if (attempt == 1) {
            figures.put("redis command", display(command));
        }
        ServerProcess redis = ServerProcess.start("redis", command, Map.of(), log("redis-" + attempt, port), port);
        started.add(redis);
        redis.awaitListening(START_TIMEOUT);
        return redis;
    }

    /** Prints a progress line (not part of the figures). */
    void say(String message) {
        settings.console().println("abuse: " + name + ": " + message);
    }

    private Path log(String label, int port) {
        return settings.logs().resolve(name + "-" + label.replace(' ', '-') + "-" + port + ".log");
    }

    /** A command line as a shell would take it back: empty arguments quoted. */
    private static String display(List<String> command) {
        return String.join(" ", command.stream().map(a -> a.isEmpty() ? "\"\"" : a).toList());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ServerProcess.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free port", e);
        }
    }

    /** Kills every server the case started that still runs. */
    @Override
    public void close() {
        List<ServerProcess> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        all.forEach(ServerProcess::close);
    }
}
