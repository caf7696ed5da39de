package io.wsk.bench.compare;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the harness runs (a wsk node, the Node reference server, redis-server) on a loopback
 * port: its output goes to a log file, its stdin stays open (the Node server exits when it ends),
 * and its CPU time and memory are read from {@code /proc} by pid. Public for {@code abuse}, which
 * runs its servers the same way.
 */
public final class ServerProcess implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final Path log;
    private final int port;

    private ServerProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = log;
        this.port = port;
    }

    public static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path log, int port) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            ChildProcesses.track(process);
            return new ServerProcess(name, process, log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** The Socket.IO WebSocket URL of this server, as the scenarios take it. */
    String socketIoUrl() {
        return "ws://" + HOST + ":" + port + "/socket.io/?EIO=4&transport=websocket";
    }

    double cpuSeconds() {
        return ProcessUsage.cpuSeconds(pid());
    }

    public long rssBytes() {
        return ProcessUsage.rssBytes(pid());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where its output goes. */
    public Path log() {
        return log;
    }

    /** Waits until the port accepts connections. */
    public void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts()) {
            checkStillStarting(deadline, "listening on port " + port);
            pause();
        }
    }

    /** Waits until {@code GET path} answers 200 (wsk's {@code /ready}: listening, and Redis reached). */
    public void awaitOk(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            checkStillStarting(deadline, "answering 200 on " + path);
            pause();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void checkStillStarting(long deadline, String waitingFor) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
            String why = process.isAlive() ? "is not " + waitingFor + " in time" : "exited with " + process.exitValue();
            close();
            throw new IllegalStateException(name + " " + why + "; its log (" + log + "):\n" + logTail());
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the server with SIGKILL: nothing is measured any more, and a graceful stop would cost
     * seconds (a wsk node drains the sessions it still counts over up to 10 s).
     */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // it is going away anyway
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcesses.forget(process);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }
}
