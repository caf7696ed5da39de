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
 * lines; or {@code ./wsk serve --app bench} as shipped ({@link Kind#SERVE}: the launcher's JVM
 * flags and the built jar, no commands on stdin; for measurements). A test can SIGKILL it ({@link #kill()}) and start the same kind again on the same port
 * ({@link #restart()}). The process is killed at the latest on {@link #close()} or after
 * {@link #LIFETIME}.
 */
final class PeerProcess implements AutoCloseable {

    /** 3 minutes; longer by hand with {@code -Dpeer.lifetimeMinutes=N} (long measurements). */
    static final Duration LIFETIME = Duration.ofMinutes(Long.getLong("peer.lifetimeMinutes", 3));
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The log line of {@code ./wsk serve} once it listens. */
    private static final java.util.regex.Pattern SERVING = java.util.regex.Pattern.compile("wsk serving app .* at https?://[^:]+:(\\d+)/");

    /** Which server. */
    enum Kind {
        WSK, NODE, SERVE;

        @Override
        public String toString() {
            return switch (this) {
                case WSK -> "wsk";
                case NODE -> "node socket.io";
                case SERVE -> "wsk serve";
            };
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
        } else if (kind == Kind.SERVE) {
            command.addAll(serveCommand(wantedPort));
        } else {
            Path node = Executables.require("node", Interop.NODE_INSTALL_HINT);
            Path dir = Interop.directory();
            command.addAll(List.of(node.toString(), dir.resolve("client/server.mjs").toString(),
                    Integer.toString(wantedPort), toJson(nodeOptions())));
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (kind == Kind.SERVE) {
                builder.environment().put("WSK_SKIP_BUILD", "1"); // built by serveCommand's check
                builder.redirectErrorStream(true); // its log, where it says it listens
            } else {
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            process = builder.start();
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

    private List<String> serveCommand(int wantedPort) {
        Path root = Interop.repoRoot();
        if (!java.nio.file.Files.isRegularFile(root.resolve("wsk-app/target/wsk.jar"))) {
            throw new IllegalStateException("no wsk-app/target/wsk.jar: build it first (./wsk --help)");
        }
        List<String> serve = new ArrayList<>(List.of(root.resolve("wsk").toString(), "serve", "--app", "bench",
                "--host", "127.0.0.1", "--port", Integer.toString(wantedPort), "--no-metrics"));
        if (Boolean.TRUE.equals(options.get("recovery"))) {
            serve.add("--recovery=true");
        }
        if (options.containsKey("pingInterval")) {
            serve.addAll(List.of("--ping-interval", options.get("pingInterval").toString()));
        }
        if (options.containsKey("pingTimeout")) {
            serve.addAll(List.of("--ping-timeout", options.get("pingTimeout").toString()));
        }
        return serve;
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
                java.util.regex.Matcher serving = SERVING.matcher(line);
                if (kind == Kind.SERVE && serving.find()) {
                    queue.add(JSON.createObjectNode().put("event", "listening").put("port", Integer.parseInt(serving.group(1))));
                    continue;
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

    /** {@code io.of(nsp).emit(event, args...)} in the server; returns once it ran. Not for {@link Kind#SERVE}. */
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
        if (process != null && process.isAlive() && kind == Kind.SERVE) {
            kill(); // it drains for seconds on SIGTERM; nothing here needs that
        } else if (process != null && process.isAlive()) {
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
