package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.testkit.Executables;
import io.wsk.testkit.Interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A server the client tests talk to, in a process of its own: the official Node socket.io
 * ({@code interop/client/server.mjs}) or wsk ({@link WskPeerMain}), same handlers, same JSON
 * lines. A test can SIGKILL it ({@link #kill()}) and start the same kind again on the same port
 * ({@link #restart()}). The process is killed at the latest on {@link #close()} or after
 * {@link #LIFETIME}.
 */
final class PeerProcess implements AutoCloseable {

    static final Duration LIFETIME = Duration.ofMinutes(3);
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which server. */
    enum Kind {
        WSK, NODE;

        @Override
        public String toString() {
            return this == WSK ? "wsk" : "node socket.io";
        }
    }

    private final Kind kind;
    private final Map<String, Object> options;
    private final AtomicLong ids = new AtomicLong();
    private final List<String> history = new ArrayList<>();
    private Process process;
    private Writer stdin;
    private LinkedBlockingQueue<JsonNode> events;
    private int port;

    private PeerProcess(Kind kind, Map<String, Object> options) {
        this.kind = kind;
        this.options = options;
    }

    /**
     * Starts a server; {@code options}: {@code recovery} (true: connection state recovery),
     * {@code pingInterval}, {@code pingTimeout} (ms).
     */
    static PeerProcess start(Kind kind, Map<String, Object> options) {
        PeerProcess peer = new PeerProcess(kind, options);
        peer.launch(0);
        return peer;
    }

    static PeerProcess start(Kind kind) {
        return start(kind, Map.of());
    }

    Kind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    String url() {
        return (options.containsKey("tlsCert") ? "https" : "http") + "://127.0.0.1:" + port;
    }

    private void launch(int wantedPort) {
        List<String> command = new ArrayList<>();
        if (kind == Kind.WSK) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            command.addAll(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dio.netty.leakDetection.level=disabled",
                    "-cp", System.getProperty("java.class.path"), WskPeerMain.class.getName(),
                    Integer.toString(wantedPort), toJson(options)));
        } else {
            Path node = Executables.require("node", Interop.NODE_INSTALL_HINT);
            Path dir = Interop.directory();
            command.addAll(List.of(node.toString(), dir.resolve("client/server.mjs").toString(),
                    Integer.toString(wantedPort), toJson(nodeOptions())));
        }
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
        Process started = process;
        CompletableFutureTimer.after(LIFETIME, started::destroyForcibly);
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        LinkedBlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        events = queue;
        Thread reader = new Thread(() -> read(started, queue), "peer-stdout-" + started.pid());
        reader.setDaemon(true);
        reader.start();
        JsonNode listening = await(e -> e.path("event").asText().equals("listening"), START_TIMEOUT);
        port = listening.path("port").asInt();
    }

    private Map<String, Object> nodeOptions() {
        Map<String, Object> node = new java.util.LinkedHashMap<>();
        if (Boolean.TRUE.equals(options.get("recovery"))) {
            node.put("connectionStateRecovery", Map.of());
        }
        if (options.containsKey("pingInterval")) {
            node.put("pingInterval", options.get("pingInterval"));
        }
        if (options.containsKey("pingTimeout")) {
            node.put("pingTimeout", options.get("pingTimeout"));
        }
        return node;
    }

    private void read(Process p, LinkedBlockingQueue<JsonNode> queue) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (history) {
                    history.add(line);
                }
                try {
                    queue.add(JSON.readTree(line));
                } catch (IOException e) {
                    queue.add(JSON.createObjectNode().put("event", "unparsable").put("line", line));
                }
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    /** The next event {@code predicate} accepts (earlier ones are skipped), within {@code timeout}. */
    JsonNode await(Predicate<JsonNode> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError(kind + " peer: no matching event within " + timeout.toMillis()
                            + " ms; its output:\n" + String.join("\n", history()));
                }
                if (predicate.test(event)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode awaitEvent(String name) {
        return await(e -> e.path("event").asText().equals(name), Duration.ofSeconds(10));
    }

    List<String> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** {@code io.of(nsp).emit(event, args...)} in the server; returns once it ran. */
    void emit(String nsp, String event, Object... args) {
        String id = "c" + ids.incrementAndGet();
        ObjectNode command = JSON.createObjectNode().put("cmd", "emit").put("id", id).put("nsp", nsp).put("event", event);
        ArrayNode array = command.putArray("args");
        for (Object arg : args) {
            array.add(JSON.valueToTree(arg));
        }
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await(e -> e.path("event").asText().equals("result") && e.path("id").asText().equals(id), Duration.ofSeconds(10));
    }

    /** SIGKILL: a crash; returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("peer still alive 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The same server again, on the same port. */
    void restart() {
        launch(port);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                stdin.close();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (IOException | InterruptedException e) {
                kill();
            }
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One timer for all processes' lifetimes: no thread per process. */
    private static final class CompletableFutureTimer {
        static void after(Duration delay, Runnable task) {
            java.util.concurrent.CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(task);
        }
    }

    @Override
    public String toString() {
        return kind.toString();
    }
}
