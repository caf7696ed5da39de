package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wsk client URL} as a process against a {@code wsk serve --app bench} node: JSON lines out
 * for connect, events and acks, stdin lines emitted with acks, a refused namespace, exit codes.
 */
class ClientCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static WskNode node;

    @BeforeAll
    static void startNode() {
        node = WskNode.serve("--app", "bench", "--recovery");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** One {@code wsk client} process, its stdout lines parsed into a queue. */
    private static final class ClientProcess implements AutoCloseable {
        final Process process;
        final Writer stdin;
        final LinkedBlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        ClientProcess(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", WskNode.jar().toString(), "client"));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        seen.add(line);
                        lines.add(JSON.readTree(line));
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "client-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        JsonNode await(Predicate<JsonNode> predicate) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                JsonNode line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no such line within " + TIMEOUT.toMillis() + " ms; got " + seen);
                }
                if (predicate.test(line)) {
                    return line;
                }
            }
        }

        JsonNode awaitType(String type) throws InterruptedException {
            return await(l -> l.path("type").asText().equals(type));
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("exited; output " + seen).isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void printsConnectEventsAndAcksAndEmitsStdinLines() throws Exception {
        try (ClientProcess client = new ClientProcess(node.url(), "--transports", "websocket")) {
            JsonNode connect = client.awaitType("connect");
            assertThat(connect.path("id").asText()).hasSize(20);
            assertThat(connect.path("recovered").asBoolean()).isFalse();

            client.send("[\"echo\",\"hi\",{\"a\":[1,2]}]");
            assertThat(client.awaitType("ack").path("args").toString()).isEqualTo("[\"hi\",{\"a\":[1,2]}]");

            client.send("[\"pub\",{\"x\":1}]");
            JsonNode event = client.awaitType("event");
            assertThat(event.path("event").asText()).isEqualTo("b");
            assertThat(event.path("args").get(0).toString()).isEqualTo("{\"x\":1}");
            assertThat(client.awaitType("ack").path("args").toString()).isEqualTo("[]");

            client.send("not json");
            assertThat(client.awaitType("error").path("message").asText()).contains("not a JSON array");

            client.stdin.close(); // ends the client
            assertThat(client.awaitExit()).isZero();
        }
    }

    @Test
    void pollingThenUpgradeWorksToo() throws Exception {
        try (ClientProcess client = new ClientProcess(node.url(), "--transports", "polling,websocket")) {
            client.awaitType("connect");
            client.send("[\"echo\",1]");
            assertThat(client.awaitType("ack").path("args").toString()).isEqualTo("[1]");
            client.stdin.close();
            assertThat(client.awaitExit()).isZero();
        }
    }

    @Test
    void aRefusedNamespaceIsAConnectErrorAndExitCodeOne() throws Exception {
        try (ClientProcess client = new ClientProcess(node.url(), "--namespace", "/nope", "--auth", "{\"token\":\"t\"}")) {
            JsonNode error = client.awaitType("connect_error");
            assertThat(error.path("message").asText()).isEqualTo("Invalid namespace");
            assertThat(client.awaitExit()).isEqualTo(1);
        }
    }

    @Test
    void helpNamesTheOptionsAndTheOutput() {
        WskNode help = WskNode.run("client", "--help");
        try {
            assertThat(help.waitForExit(java.time.Duration.ofSeconds(20))).isZero();
            assertThat(String.join("\n", help.stdoutLines())).contains("--transports", "--namespace", "--auth",
                    "--reconnection-delay", "\"type\":\"connect\"");
        } finally {
            help.close();
        }
    }

    @Test
    void aBadAuthIsRefusedAtOnce() throws Exception {
        try (ClientProcess client = new ClientProcess(node.url(), "--auth", "[1]")) {
            assertThat(client.awaitExit()).isEqualTo(2);
        }
    }
}
