package io.wsk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The official {@code engine.io-client} as a real peer: drives {@code interop/engine/client.mjs},
 * which reports what the client sees as JSON events ({@code open}, {@code upgrade},
 * {@code message}, {@code error}, {@code close}).
 */
public final class EngineIoClient implements AutoCloseable {

    public static final String SCRIPT = "engine/client.mjs";
    /** How long {@code await*} wait unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeProcess process;

    private EngineIoClient(NodeProcess process) {
        this.process = process;
    }

    /**
     * Connects to {@code url} (e.g. {@code http://127.0.0.1:8080}) with engine.io-client's
     * {@code options} (e.g. {@code path}, {@code transports}), serialised as JSON.
     */
    public static EngineIoClient connect(String url, Map<String, ?> options) {
        return new EngineIoClient(NodeProcess.start(SCRIPT, url, toJson(options)));
    }

    /** Connects to {@code url} at {@code path}, trying {@code transports} in order (e.g. polling, then websocket). */
    public static EngineIoClient connect(String url, String path, List<String> transports) {
        return connect(url, Map.of("path", path, "transports", transports));
    }

    /** Sends a text message. */
    public void send(String text) {
        command("send", text);
    }

    /** Sends a binary message. */
    public void send(byte[] data) {
        command("sendBinary", Base64.getEncoder().encodeToString(data));
    }

    /** Closes the connection from the client side ({@code socket.close()}). */
    public void closeFromClient() {
        ObjectNode command = JSON.createObjectNode().put("close", true);
        process.send(command.toString());
    }

    private void command(String name, String value) {
        process.send(JSON.createObjectNode().put(name, value).toString());
    }

    /** Takes the next event named {@code event} ({@code open}, {@code message}, ...). */
    public JsonNode awaitEvent(String event) {
        return awaitEvent(event, DEFAULT_TIMEOUT);
    }

    /** Takes the next event named {@code event}, waiting up to {@code timeout}. */
    public JsonNode awaitEvent(String event, Duration timeout) {
        return parse(process.awaitLine(line -> event.equals(parse(line).path("event").asText()), timeout));
    }

    /** Takes the next message, which must be text; its text. */
    public String awaitText() {
        JsonNode message = awaitEvent("message");
        if (!message.has("text")) {
            throw new AssertionError("expected a text message, got " + message + "\n" + process.report());
        }
        return message.get("text").asText();
    }

    /** Takes the next message, which must be binary; its bytes. */
    public byte[] awaitBinary() {
        JsonNode message = awaitEvent("message");
        if (!message.has("binary")) {
            throw new AssertionError("expected a binary message, got " + message + "\n" + process.report());
        }
        return Base64.getDecoder().decode(message.get("binary").asText());
    }

    /** Every event so far, taken or not. */
    public List<JsonNode> events() {
        return process.lines().stream().map(EngineIoClient::parse).toList();
    }

    /** The script under this client, for its exit code and output. */
    public NodeProcess process() {
        return process;
    }

    /** Kills the client if it is still running. */
    @Override
    public void close() {
        process.close();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("event", "unparsable").put("line", line);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        }
    }
}
