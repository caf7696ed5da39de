package io.wsk.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the servers of one mode, each on a free loopback port and on the mode's server cores:
 * wsk through {@code ./wsk serve --app bench} (the launcher's own JVM flags), the Node reference
 * server {@code interop/bench/server.mjs} (the same handlers), netty-socketio through
 * {@code ./wsk bench-nsio} (the same handlers, and the same JVM flags as wsk: one exec line in the
 * launcher starts both), and a redis-server of the harness's own for the relay.
 */
final class ServerLauncher {

    static final String REDIS_INSTALL_HINT = "install Redis (7.0 or newer): apt-get install -y redis-server";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Project project;
    private final Mode mode;
    private final Path logs;
    private final String java;
    private int started;

    ServerLauncher(Project project, Mode mode, Path logs, String java) {
        this.project = project;
        this.mode = mode;
        this.logs = logs;
        this.java = java;
    }

    /** A {@code kind} server with the bench handlers; with {@code redisUrl}, on the classic Redis adapter. */
    ServerProcess start(ServerKind kind, String redisUrl) {
        return start(kind, redisUrl, "redis");
    }

    /**
     * A {@code kind} server with the bench handlers; with {@code redisUrl}, on {@code adapter}:
     * {@code redis} (pub/sub) or {@code redis-streams}, the same kind of adapter on both servers.
     */
    ServerProcess start(ServerKind kind, String redisUrl, String adapter) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        if (kind == ServerKind.WSK) {
            // No event rate limit: each load-generating client does the work of many users, and
            // the Node server has no such limit either.
            command.addAll(List.of(project.launcher().toString(), "serve", "--app", "bench",
                    "--host", ServerProcess.HOST, "--port", Integer.toString(port), "--max-event-rate", "0"));
            if (redisUrl != null) {
                command.addAll(List.of("--adapter", adapter, "--redis-url", redisUrl));
            }
        } else if (kind == ServerKind.NETTY_SOCKETIO) {
            if (redisUrl != null) {
                throw new IllegalArgumentException("netty-socketio has no Redis adapter that speaks socket.io's protocol");
            }
            command.addAll(List.of(project.launcher().toString(), "bench-nsio", Integer.toString(port), ServerProcess.HOST));
        } else {
            command.addAll(List.of(Programs.require("node", Project.NODE_INSTALL_HINT).toString(), "--expose-gc",
                    project.nodeServer().toString(), Integer.toString(port)));
            if (redisUrl != null) {
                command.add(redisUrl);
                if (adapter.equals("redis-streams")) {
                    command.add("streams");
                }
            }
        }
        // WSK_SKIP_BUILD: the harness checked the jars; JAVA: the servers run on the harness's own JDK.
        ServerProcess server = ServerProcess.start(kind.label(), mode.onServerCores(command),
                Map.of("WSK_SKIP_BUILD", "1", "JAVA", java), log(kind.label().toLowerCase() + "-" + port), port);
        if (kind == ServerKind.WSK) {
            server.awaitOk("/ready", START_TIMEOUT);
        } else {
            server.awaitListening(START_TIMEOUT); // Node connects to Redis before it listens
        }
        return server;
    }

    /** A redis-server without persistence, in a directory of its own. */
    ServerProcess redis() {
        Path redis = Programs.require("redis-server", REDIS_INSTALL_HINT);
        int port = freePort();
        Path dir = logs.resolve("redis-" + port);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerProcess server = ServerProcess.start("redis", mode.onServerCores(List.of(redis.toString(),
                        "--port", Integer.toString(port), "--bind", ServerProcess.HOST, "--save", "", "--appendonly", "no",
                        "--dir", dir.toString())),
                Map.of(), log("redis-" + port), port);
        server.awaitListening(START_TIMEOUT);
        return server;
    }

    private Path log(String name) {
        return logs.resolve(mode.label() + "-" + (++started) + "-" + name + ".log");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ServerProcess.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free port", e);
        }
    }
}
