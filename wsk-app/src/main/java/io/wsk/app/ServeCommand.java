package io.wsk.app;

import io.wsk.admin.AdminUi;
import io.wsk.http.EventLoops;
import io.wsk.http.HttpServer;
import io.wsk.http.TlsFiles;
import io.wsk.server.RecoveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Duration;

/** {@code wsk serve}: runs a server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start a server (default: port 3000, in-memory adapter, the demo app).")
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--port", defaultValue = "${env:PORT:-3000}",
            description = "TCP port (env PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--app", defaultValue = "demo", converter = AppKind.Converter.class,
            completionCandidates = AppKind.Names.class, description = "What to serve: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    AppKind app;

    @Option(names = "--adapter", defaultValue = "${env:WSK_ADAPTER:-memory}",
            description = "Cluster adapter: memory, redis, redis-sharded or redis-streams (env WSK_ADAPTER; default ${DEFAULT-VALUE}).")
    String adapter;

    @Option(names = "--redis-url",
            description = "Redis for the redis adapters, e.g. redis://user:password@host:6379/0, rediss:// for TLS, "
                    + "redis-sentinel://host:26379,host:26379#mymaster for Sentinel, "
                    + "redis-cluster://host:7000,host:7001 (rediss-cluster:// for TLS) for a Redis Cluster "
                    + "(env REDIS_URL, else REDIS_HOST and REDIS_PORT; default redis://127.0.0.1:6379).")
    String redisUrl;

    @Option(names = "--recovery", defaultValue = "${env:WSK_RECOVERY:-false}",
            description = "Connection state recovery: a client back within the window gets its id, rooms, data and "
                    + "missed events; with --adapter memory or redis-streams (env WSK_RECOVERY=true).")
    boolean recovery;

    @Option(names = "--recovery-window", defaultValue = "${env:WSK_RECOVERY_WINDOW:-120}",
            description = "Seconds a disconnected session is kept for recovery (env WSK_RECOVERY_WINDOW; default ${DEFAULT-VALUE}).")
    int recoveryWindowSeconds;

    @Option(names = "--redis-queue", defaultValue = "10000",
            description = "Publishes kept while Redis is unreachable; the oldest are dropped past this (default ${DEFAULT-VALUE}).")
    int redisQueue;

    @Option(names = "--path", defaultValue = "${env:WSK_PATH:-/socket.io/}",
            description = "Where Socket.IO listens, as the clients' 'path' option (env WSK_PATH; default ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--backlog", defaultValue = "4096", description = "Listen backlog (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Netty I/O threads; 0 = one per core (default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--ping-interval", defaultValue = "${env:WSK_PING_INTERVAL:-25000}",
            description = "Ping interval in ms (env WSK_PING_INTERVAL; default ${DEFAULT-VALUE}).")
    long pingInterval;

    @Option(names = "--ping-timeout", defaultValue = "${env:WSK_PING_TIMEOUT:-20000}",
            description = "Ping timeout in ms (env WSK_PING_TIMEOUT; default ${DEFAULT-VALUE}).")
    long pingTimeout;

    @Option(names = "--max-payload", defaultValue = "${env:WSK_MAX_PAYLOAD:-1000000}",
            description = "Largest accepted message or POST body in bytes (env WSK_MAX_PAYLOAD; default ${DEFAULT-VALUE}).")
    int maxPayload;

    @Option(names = "--cors-origin", split = ",", defaultValue = "${env:WSK_CORS_ORIGIN}",
            description = "Origins allowed by CORS for polling, comma-separated; '*' for any (env WSK_CORS_ORIGIN; default: CORS off).")
    List<String> corsOrigins = List.of();

    @Option(names = "--cors-credentials", defaultValue = "${env:WSK_CORS_CREDENTIALS:-false}",
            description = "Allow credentials (cookies) in CORS requests (env WSK_CORS_CREDENTIALS=true).")
    boolean corsCredentials;

    @Option(names = "--allowed-origin", split = ",", defaultValue = "${env:WSK_ALLOWED_ORIGINS}",
            description = "Origins allowed to open WebSockets, comma-separated (env WSK_ALLOWED_ORIGINS; default: any).")
    List<String> allowedOrigins = List.of();

    @Option(names = "--drain-seconds", defaultValue = "${env:WSK_DRAIN_SECONDS:-10}",
            description = "On SIGTERM, close live connections over this many seconds before exiting "
                    + "(env WSK_DRAIN_SECONDS; default ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--cookie", defaultValue = "${env:WSK_COOKIE}",
            description = "Set this cookie (e.g. io) with the session id on the polling handshake (env WSK_COOKIE).")
    String cookie;

    @Option(names = "--metrics", negatable = true, defaultValue = "${env:WSK_METRICS:-true}", fallbackValue = "true",
            description = "Serve Prometheus metrics at /metrics (default on; --no-metrics or env WSK_METRICS=false: off).")
    boolean metrics;

    @Option(names = "--metrics-port", defaultValue = "${env:WSK_METRICS_PORT:--1}",
            description = "Serve /metrics, /health and /ready on this port instead of the main one, e.g. to keep them "
                    + "off the public port (env WSK_METRICS_PORT; default: the main port).")
    int metricsPort;

    @Mixin
    LimitFlags limitFlags = new LimitFlags();

    @Mixin
    AdminFlags adminFlags = new AdminFlags();

    @Mixin
    TlsFlags tlsFlags = new TlsFlags();

    @Override
    public Integer call() throws Exception {
        // The loops first: the Redis bus runs on them too, so that a message between nodes is
        // handed to its sockets by the thread that read it. Closed last, after the server and the bus.
        EventLoops loops = EventLoops.create(ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors());
        String problem = adminFlags.problem() != null ? adminFlags.problem() : tlsFlags.problem();
        TlsFiles tls = null;
        if (problem == null) {
            try {
                tls = tlsFlags.load();
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            loops.close();
            System.err.println("wsk: " + problem);
            return 2;
        }
        AdapterChoice adapterChoice;
        try {
            adapterChoice = AdapterChoice.parse(adapter, redisUrl, System.getenv(), redisQueue, loops, recovery);
        } catch (IllegalArgumentException e) {
            loops.close();
            System.err.println("wsk: " + e.getMessage());
            return 2;
        }
        ServeSettings settings = settings(adapterChoice);
        HttpServer.Builder http = HttpServer.builder().host(host).port(port).backlog(backlog).eventLoops(loops).tls(tls);
        ServerApp serverApp;
        try {
            serverApp = app.create(settings);
        } catch (IllegalArgumentException e) {
            // A setting out of range (a negative limit, say): say which, as for a bad flag.
            adapterChoice.close();
            loops.close();
            System.err.println("wsk: " + e.getMessage());
            return 2;
        }
        serverApp.mount(http);
        List<AdminUi> adminUis = adminFlags.apply(serverApp.servers(), http, port);
        AppMetrics appMetrics = metrics ? new AppMetrics(serverApp.servers(), loops, adapterChoice.bus()) : null;
        AtomicReference<ServerPhase> phase = new AtomicReference<>(ServerPhase.STARTING);
        // What operators and probes ask: on the main port, or on a port of its own.
        HttpServer.Builder ops = metricsPort >= 0 ? HttpServer.builder().host(host).port(metricsPort).eventLoops(loops) : http;
        ops.route("/health", new HealthEndpoint());
        ops.route("/ready", new ReadinessEndpoint(phase::get, serverApp::clusterConnected));
        if (appMetrics != null) {
            ops.route("/metrics", appMetrics.endpoint());
        }
        HttpServer server;
        HttpServer opsServer = null;
        try {
            server = http.start();
        } catch (Exception e) {
            return cannotListen(e, port, "--port or PORT", adapterChoice, loops);
        }
        if (ops != http) {
            try {
                opsServer = ops.start();
            } catch (Exception e) {
                server.close();
                return cannotListen(e, metricsPort, "--metrics-port or WSK_METRICS_PORT", adapterChoice, loops);
            }
        }
        phase.set(ServerPhase.SERVING);
        log.info("wsk serving app '{}' at {}/ (adapter {})", app.wireName(), server.url(), adapter);
        if (opsServer != null) {
            log.info("metrics, health and readiness on port {}", opsServer.port());
        }
        HttpServer opsToClose = opsServer;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            phase.set(ServerPhase.DRAINING);
            log.info("shutting down: draining for up to {} s", drainSeconds);
            try {
                Drain.run(server, serverApp.engines(), Duration.ofSeconds(drainSeconds));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            adminUis.forEach(AdminUi::close);
            serverApp.stop();
            server.close();
            if (opsToClose != null) {
                opsToClose.close();
            }
            if (appMetrics != null) {
                appMetrics.close();
            }
            adapterChoice.close();
            loops.close();
            log.info("stopped");
            stopped.countDown();
        }, "wsk-shutdown"));
        stopped.await();
        return 0;
    }

    /** A listener that could not start: 1 with a hint when the port is taken, else the failure itself. */
    private int cannotListen(Exception e, int triedPort, String flag, AdapterChoice adapterChoice, EventLoops loops)
            throws Exception {
        if (!isAddressInUse(e)) {
            throw e;
        }
        System.err.println("wsk: cannot listen on " + host + ":" + triedPort + ": " + e.getMessage()
                + " (is another server using the port? choose another with " + flag + ")");
        adapterChoice.close();
        loops.close();
        return 1;
    }

    /**
     * Whether binding failed because the address is taken: NIO reports a BindException, the
     * native epoll transport its own IOException with the OS message.
     */
    private static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code --path} as the engine wants it: from the root, ending with '/'; only URL path characters. */
    private String socketIoPath() {
        String p = path.endsWith("/") ? path : path + "/";
        if (!p.matches("/([A-Za-z0-9._~!$&'()*+,;=:@-]+/)+")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--path must be a path from the root such as /socket.io/ or /rt/ (not / itself), got " + path);
        }
        return p;
    }

    private ServeSettings settings(AdapterChoice adapterChoice) {
        if (recovery && recoveryWindowSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--recovery-window must be at least 1 second, got " + recoveryWindowSeconds);
        }
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--port must be between 0 and 65535, got " + port);
        }
        if (metricsPort < -1 || metricsPort > 65535 || (metricsPort == port && port != 0)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--metrics-port must be between 0 and 65535 and not the main port, got " + metricsPort);
        }
        return new ServeSettings(socketIoPath(), pingInterval, pingTimeout, maxPayload, corsOrigins, corsCredentials,
                allowedOrigins, cookie, adapterChoice.factory(), limitFlags.limits(),
                recovery ? new RecoveryOptions(Duration.ofSeconds(recoveryWindowSeconds), true) : null);
    }
}
