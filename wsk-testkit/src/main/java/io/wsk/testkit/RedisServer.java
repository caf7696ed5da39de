package io.wsk.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server}, started by the test as a child process on a free loopback port, so
 * tests never touch (or depend on) a Redis the machine may run on 6379.
 *
 * <p>It runs without persistence ({@code --save "" --appendonly no}) in a temporary directory of
 * its own. {@link #kill()} and {@link #restart()} (same port, so clients that reconnect find it
 * again) are there for resilience tests; {@link #command} speaks RESP over a plain socket
 * ({@link RespConnection}), so assertions about channels and subscribers do not go through the
 * client under test. A server not closed is killed when the JVM exits.
 */
public final class RedisServer implements AutoCloseable {

    /** What to do when {@code redis-server} is missing. */
    public static final String INSTALL_HINT = "install Redis (7.0 or newer): apt-get install -y redis-server";
    public static final String HOST = "127.0.0.1";
    /** How long a start may take until the server answers PING. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** How long one readiness probe waits for an answer (whatever listens may not be a Redis). */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /** Tries at a free port, for when another process takes the port between our check and redis binding it. */
    private static final int PORT_ATTEMPTS = 5;
    /** Servers not closed yet, killed if the JVM exits first. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "redis-server-reaper"));
    }

    /**
     * TLS for a server: its certificate and key, signed by {@code ca}. A server started with it
     * listens for TLS only ({@code --port 0 --tls-port <port>}), does not ask clients for
     * certificates ({@code --tls-auth-clients no}) and replicates over TLS
     * ({@code --tls-replication yes}); its replicas and sentinels ({@link #replicaOf},
     * {@link #sentinel}) take the same, and so do the nodes of a {@link RedisCluster} (with
     * {@code --tls-cluster yes}).
     */
    public record Tls(TestCa ca, TestCa.Leaf leaf) {

        /** A certificate for 127.0.0.1 from {@code ca}, for every server that is given this. */
        public static Tls from(TestCa ca) {
            return new Tls(ca, ca.leaf("redis"));
        }

        List<String> args(int port) {
            return List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", leaf.cert().toString(), "--tls-key-file", leaf.key().toString(),
                    "--tls-ca-cert-file", ca.cert().toString(), "--tls-auth-clients", "no",
                    "--tls-replication", "yes");
        }
    }

    private final Path executable;
    /** TLS, or {@code null} for plain TCP. */
    private final Tls tls;
    private final javax.net.ssl.SSLSocketFactory socketFactory;
    /** A configuration file given first on the command line ({@code sentinel.conf}), or {@code null}. */
    private Path configFile;
    private final List<String> extraArgs;
    private final String password;
    private final Path dir;
    private int port;
    private final Path logFile;
    private Process process;
    /** Where this run's lines start in {@link #logFile}. */
    private long logStart;

    private RedisServer(Path executable, Tls tls, List<String> extraArgs, Path dir) {
        this.executable = executable;
        this.tls = tls;
        this.socketFactory = tls == null ? null : tls.ca().socketFactory();
        this.extraArgs = List.copyOf(extraArgs);
        this.password = option(extraArgs, "--requirepass");
        this.dir = dir;
        this.logFile = dir.resolve("redis.log");
    }

    /**
     * Starts {@code redis-server} on a free loopback port with {@code extraArgs} added to its
     * command line (e.g. {@code "--requirepass", "secret"}, each option and value its own element),
     * and waits until it answers PING.
     *
     * @throws IllegalStateException if {@code redis-server} is not installed (with how to install
     *                               it) or does not come up; the message has its log
     */
    public static RedisServer start(String... extraArgs) {
        return start(List.of(extraArgs));
    }

    public static RedisServer start(List<String> extraArgs) {
        return start(null, extraArgs);
    }

    /** Like {@link #start(List)}, over TLS when {@code tls} is not {@code null}. */
    public static RedisServer start(Tls tls, String... extraArgs) {
        return start(tls, List.of(extraArgs));
    }

    public static RedisServer start(Tls tls, List<String> extraArgs) {
        Path executable = Executables.require("redis-server", INSTALL_HINT);
        Path dir;
        try {
            dir = Files.createTempDirectory("wsk-redis");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a directory for redis-server", e);
        }
        RedisServer server = new RedisServer(executable, tls, extraArgs, dir);
        try {
            server.startOnFreePort();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** A replica of {@code master} ({@code --replicaof}), on a free port of its own, with the master's TLS. */
    public static RedisServer replicaOf(RedisServer master) {
        return start(master.tls, "--replicaof", HOST, Integer.toString(master.port()));
    }

    /**
     * A sentinel ({@code redis-server sentinel.conf --sentinel}) monitoring {@code master} as
     * {@code masterName} with {@code quorum}, quick to act as tests want: a master silent for
     * 1 s is down, a failover may take 3 s. Sentinels find each other and the replicas through
     * the master. With the master's TLS, it listens for TLS only and talks TLS to the master and
     * replicas ({@code tls-replication yes}).
     */
    public static RedisServer sentinel(String masterName, RedisServer master, int quorum) {
        Path executable = Executables.require("redis-server", INSTALL_HINT);
        Path dir;
        try {
            dir = Files.createTempDirectory("wsk-sentinel");
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, "sentinel monitor " + masterName + " " + HOST + " " + master.port() + " " + quorum + "\n"
                    + "sentinel down-after-milliseconds " + masterName + " 1000\n"
                    + "sentinel failover-timeout " + masterName + " 3000\n"
                    + "sentinel parallel-syncs " + masterName + " 1\n");
            RedisServer sentinel = new RedisServer(executable, master.tls, List.of("--sentinel"), dir);
            sentinel.configFile = conf;
            try {
                sentinel.startOnFreePort();
                return sentinel;
            } catch (RuntimeException | Error e) {
                sentinel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a sentinel's configuration", e);
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            launch();
            if (awaitReady()) {
                return;
            }
            boolean portTaken = log(logStart).contains("Address already in use");
            if (!portTaken || attempt == PORT_ATTEMPTS) {
                throw new IllegalStateException("redis-server did not start on " + HOST + ":" + port + "\n" + report());
            }
            LIVE.remove(process);
            log.debug("port {} was taken before redis-server bound it; trying another", port);
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        if (configFile != null) {
            command.add(configFile.toString()); // a sentinel rewrites it: it must come first, as a file
        }
        command.addAll(tls == null ? List.of("--port", Integer.toString(port)) : tls.args(port));
        command.addAll(List.of("--bind", HOST,
                "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(extraArgs);
        try {
            logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            // A file, not a pipe: a pipe read by a thread loses the last lines of a process that exits.
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
        LIVE.add(process);
        log.debug("started redis-server (pid {}) on {}:{}", process.pid(), HOST, port);
    }

    /**
     * Polls with PING until the server answers, it exits, or {@link #START_TIMEOUT} runs out. The
     * answer must come from our process ({@code INFO server}'s {@code process_id}): if another
     * server took the port, ours fails to bind and we must not talk to that one instead.
     */
    private boolean awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (RespConnection connection = RespConnection.open(HOST, port, PROBE_TIMEOUT, socketFactory)) {
                if (password != null) {
                    connection.callWithin(PROBE_TIMEOUT, "AUTH", password);
                }
                if ("PONG".equals(connection.callWithin(PROBE_TIMEOUT, "PING")) && isOurs(connection)) {
                    return true;
                }
            } catch (UncheckedIOException | RespConnection.ErrorReply notYet) {
                // not listening yet (or still loading): try again
            }
            sleep(Duration.ofMillis(10));
        }
        return false;
    }

    private boolean isOurs(RespConnection connection) {
        String info = (String) RespConnection.asText(connection.callWithin(PROBE_TIMEOUT, "INFO", "server"));
        return info.lines().anyMatch(line -> line.trim().equals("process_id:" + process.pid()));
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /**
     * {@code redis://127.0.0.1:<port>} ({@code rediss://} with TLS), with {@code :<password>@} when
     * started with {@code --requirepass}.
     */
    public String url() {
        return (tls == null ? "redis://" : "rediss://") + (password == null ? "" : ":" + password + "@") + HOST + ":" + port;
    }

    /** Its TLS, if it was started with it. */
    public Optional<Tls> tls() {
        return Optional.ofNullable(tls);
    }

    /** The {@code --requirepass} it was started with, if any. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the running server. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server gracefully (SIGTERM: it closes its clients and exits), killing it if it takes over 5 s. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        awaitExit(STOP_TIMEOUT);
        if (process.isAlive()) {
            log.warn("redis-server on port {} ignored SIGTERM for {} ms; killing it", port, STOP_TIMEOUT.toMillis());
            kill();
        }
        LIVE.remove(process);
    }

    /** Kills the server (SIGKILL): a crash, connections cut without a word. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
        LIVE.remove(process);
    }

    /**
     * Starts the server again on the same port (stopping it gracefully first if it runs), with no
     * data, and waits until it answers PING.
     *
     * @throws IllegalStateException if it does not come up, e.g. because the port was taken meanwhile
     */
    public void restart() {
        if (isRunning()) {
            stop();
        }
        launch();
        if (!awaitReady()) {
            throw new IllegalStateException("redis-server did not restart on " + HOST + ":" + port + "\n" + report());
        }
    }

    /**
     * Runs one command on a fresh connection and returns the reply with bulk strings as text (see
     * {@link RespConnection#asText}): {@code command("PUBSUB", "NUMSUB", "ch")} gives
     * {@code ["ch", 2L]}. Arguments are {@code String}s, {@code byte[]}s or numbers.
     *
     * @throws RespConnection.ErrorReply on an error reply
     */
    public Object command(Object... args) {
        return RespConnection.asText(commandRaw(args));
    }

    /** Like {@link #command}, with bulk strings as the bytes they are. */
    public Object commandRaw(Object... args) {
        try (RespConnection connection = connect()) {
            return connection.call(args);
        }
    }

    /** A new connection to the server, authenticated if it needs a password; the caller closes it. */
    public RespConnection connect() {
        RespConnection connection = RespConnection.open(HOST, port, Duration.ofSeconds(2), socketFactory);
        try {
            authenticate(connection);
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** {@code PUBSUB NUMSUB channel}: how many clients subscribe to {@code channel} (the classic adapter's server count). */
    public long numsub(String channel) {
        return (Long) ((List<?>) command("PUBSUB", "NUMSUB", channel)).get(1);
    }

    /** {@code PUBSUB SHARDNUMSUB channel}: the sharded adapter's server count. */
    public long shardNumsub(String channel) {
        return (Long) ((List<?>) command("PUBSUB", "SHARDNUMSUB", channel)).get(1);
    }

    /** {@code PUBLISH channel message} with raw bytes; how many subscribers got it. */
    public long publish(String channel, byte[] message) {
        return (Long) command("PUBLISH", channel, message);
    }

    /** The server's version, from {@code INFO server} (e.g. {@code 7.0.15}). */
    public String version() {
        String info = (String) command("INFO", "server");
        return info.lines().filter(line -> line.startsWith("redis_version:"))
                .map(line -> line.substring("redis_version:".length()).trim())
                .findFirst().orElseThrow(() -> new IllegalStateException("no redis_version in INFO: " + info));
    }

    /** The server's log, every run of it (restarts included), for failure messages. */
    public String report() {
        StringBuilder out = new StringBuilder("--- redis-server on ").append(HOST).append(':').append(port);
        if (process != null) {
            out.append(" (pid ").append(process.pid()).append(", ")
                    .append(process.isAlive() ? "running" : "exited with " + process.exitValue()).append(')');
        }
        out.append(":\n");
        return out.append(log(0)).append("---").toString();
    }

    /** Stops the server and removes its directory. */
    @Override
    public void close() {
        stop();
        deleteDirectory();
    }

    private void authenticate(RespConnection connection) {
        if (password != null) {
            connection.call("AUTH", password);
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server to exit", e);
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.debug("could not delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.toString());
        }
    }

    private String log(long from) {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            int start = (int) Math.min(from, bytes.length);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")\n";
        }
    }

    private static String option(List<String> args, String name) {
        int index = args.indexOf(name);
        return index >= 0 && index + 1 < args.size() ? args.get(index + 1) : null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free port on " + HOST, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + HOST + ":" + port + "]";
    }
}
