package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.client.Args;
import io.wsk.client.ClientOptions;
import io.wsk.client.ClientSocket;
import io.wsk.client.ConnectError;
import io.wsk.client.Manager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code wsk client URL}: wsk's Java client on the command line. What the socket sees goes to
 * stdout as one JSON object per line; each stdin line, a JSON array {@code ["event", args...]},
 * is emitted with an ack asked for. Ends when stdin ends (after the acks still awaited, up to
 * the ack timeout) or when the server refuses the namespace (exit code 1).
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"Connect to a Socket.IO server and print what arrives, one JSON object per line:",
                "  {\"type\":\"connect\",\"id\":\"...\",\"recovered\":false}",
                "  {\"type\":\"event\",\"event\":\"b\",\"args\":[...]}      (binary arguments as base64 strings)",
                "  {\"type\":\"disconnect\",\"reason\":\"...\"}",
                "  {\"type\":\"connect_error\",\"message\":\"...\",\"data\":...}",
                "  {\"type\":\"ack\",\"args\":[...]}   for each stdin line [\"event\", args...], emitted with an ack",
                "  {\"type\":\"error\",\"message\":\"...\"} for a bad stdin line or an ack that failed",
                "Reconnects like the JS client; ends when stdin ends."})
final class ClientCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", description = "Server URL, e.g. http://localhost:3000 (https:// for TLS; a path names the namespace).")
    String url;

    @Option(names = "--transports", defaultValue = "polling,websocket",
            description = "websocket, polling, or polling,websocket (polling first, then the upgrade; default ${DEFAULT-VALUE}).")
    String transports;

    @Option(names = "--namespace", description = "Namespace to join (default: the URL's path, else /).")
    String namespace;

    @Option(names = "--auth", description = "Auth payload, a JSON object, e.g. '{\"token\":\"abc\"}'.")
    String auth;

    @Option(names = "--path", defaultValue = "/socket.io/", description = "Server path (default ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--reconnection-delay", defaultValue = "1000",
            description = "First reconnection delay in ms, doubling up to 5000, with 50% jitter (default ${DEFAULT-VALUE}).")
    long reconnectionDelay;

    @Option(names = "--ack-timeout", defaultValue = "10000", description = "ms to wait for each ack (default ${DEFAULT-VALUE}).")
    long ackTimeout;

    private final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

    @Override
    public Integer call() throws Exception {
        ClientOptions.Builder options = ClientOptions.builder()
                .transports(transports.split(","))
                .path(path)
                .reconnectionDelay(Duration.ofMillis(reconnectionDelay))
                .reconnectionDelayMax(Duration.ofMillis(Math.max(5000, reconnectionDelay)))
                .ackTimeout(Duration.ofMillis(ackTimeout));
        if (auth != null) {
            JsonNode parsed = JSON.readTree(auth);
            if (parsed == null || !parsed.isObject()) {
                System.err.println("wsk client: --auth must be a JSON object, got " + auth);
                return 2;
            }
            options.auth(parsed);
        }
        URI uri = URI.create(url);
        String nsp = namespace != null ? namespace
                : uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        CompletableFuture<Integer> refused = new CompletableFuture<>();
        try (Manager manager = new Manager(uri, options.build(), JSON)) {
            ClientSocket socket = manager.socket(nsp);
            socket.onConnect(() -> print(JSON.createObjectNode().put("type", "connect").put("id", socket.id())
                    .put("recovered", socket.recovered())));
            socket.onDisconnect(reason -> print(JSON.createObjectNode().put("type", "disconnect").put("reason", reason)));
            socket.onConnectError(error -> onConnectError(error, refused));
            socket.onAny((event, args) -> {
                ObjectNode line = JSON.createObjectNode().put("type", "event").put("event", event);
                line.set("args", args.asArray());
                print(line);
            });
            socket.connect();
            return readCommands(socket, refused);
        }
    }

    private void onConnectError(ConnectError error, CompletableFuture<Integer> refused) {
        ObjectNode line = JSON.createObjectNode().put("type", "connect_error").put("message", error.getMessage());
        if (error.data() != null) {
            line.set("data", error.data());
        }
        print(line);
        if (error.fromServer()) {
            refused.complete(1); // the server said no: the JS client does not retry that either
        }
    }

    /** Emits each stdin line until stdin ends or the server refuses; the exit code. */
    private int readCommands(ClientSocket socket, CompletableFuture<Integer> refused) throws Exception {
        ConcurrentHashMap<CompletableFuture<Args>, Boolean> pending = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null && !refused.isDone(); line = in.readLine()) {
                    emit(socket, line, pending);
                }
            } catch (java.io.IOException e) {
                print(JSON.createObjectNode().put("type", "error").put("message", "reading stdin: " + e.getMessage()));
            }
            refused.complete(0);
        }, "wsk-client-stdin");
        reader.setDaemon(true);
        reader.start();
        int code = refused.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackTimeout);
        for (CompletableFuture<Args> ack : pending.keySet()) {
            long left = deadline - System.nanoTime();
            try {
                ack.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // reported by its own handler
            }
        }
        return code;
    }

    private void emit(ClientSocket socket, String line, ConcurrentHashMap<CompletableFuture<Args>, Boolean> pending) {
        if (line.isBlank()) {
            return;
        }
        JsonNode command;
        try {
            command = JSON.readTree(line);
        } catch (Exception e) {
            command = null;
        }
        if (command == null || !command.isArray() || command.isEmpty() || !command.get(0).isTextual()) {
            print(JSON.createObjectNode().put("type", "error").put("message", "not a JSON array [\"event\", args...]: " + line));
            return;
        }
        Object[] args = new Object[command.size() - 1];
        for (int i = 1; i < command.size(); i++) {
            args[i - 1] = command.get(i);
        }
        CompletableFuture<Args> ack;
        try {
            ack = socket.emitWithAck(command.get(0).textValue(), args);
        } catch (IllegalArgumentException e) {
            print(JSON.createObjectNode().put("type", "error").put("message", e.getMessage()));
            return;
        }
        pending.put(ack, Boolean.TRUE);
        ack.whenComplete((reply, error) -> {
            if (error == null) {
                ObjectNode out = JSON.createObjectNode().put("type", "ack");
                out.set("args", reply.asArray());
                print(out);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                print(JSON.createObjectNode().put("type", "error").put("message", cause.getMessage()));
            }
            pending.remove(ack);
        });
    }

    private synchronized void print(JsonNode line) {
        out.println(line);
    }
}
