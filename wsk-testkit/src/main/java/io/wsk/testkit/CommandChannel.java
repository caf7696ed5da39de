package io.wsk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Request and answer over a script's stdin and stdout, for the {@code interop/redis/} scripts: each
 * command is a JSON line with an {@code id}, and gets exactly one
 * {@code {"event":"result","id":...}} line back, with {@code error} when it failed. Results are
 * matched by id, so commands may overlap (an emit with acks waiting while others run).
 */
final class CommandChannel {

    static final ObjectMapper JSON = new ObjectMapper();

    private final NodeProcess process;
    private final AtomicLong ids = new AtomicLong();

    CommandChannel(NodeProcess process) {
        this.process = process;
    }

    /** A new command {@code {"cmd": name}}, for the caller to fill in and {@link #send}. */
    ObjectNode command(String name) {
        return JSON.createObjectNode().put("cmd", name);
    }

    /** Sends {@code command} with a fresh id; that id, for {@link #awaitResult}. */
    String send(ObjectNode command) {
        String id = "c" + ids.incrementAndGet();
        command.put("id", id);
        process.send(command.toString());
        return id;
    }

    /** Sends {@code command} and waits for its result, which must not be an error. */
    JsonNode call(ObjectNode command, Duration timeout) {
        return requireSuccess(awaitResult(send(command), timeout), command);
    }

    /** Takes the result of command {@code id}, error or not. */
    JsonNode awaitResult(String id, Duration timeout) {
        return awaitEvent(event -> "result".equals(event.path("event").asText()) && id.equals(event.path("id").asText()),
                timeout);
    }

    /** {@code result}, unless it reports an error: then an AssertionError with the script's output. */
    JsonNode requireSuccess(JsonNode result, JsonNode command) {
        if (result.has("error")) {
            throw new AssertionError(command.path("cmd").asText() + " failed: " + result.get("error").asText()
                    + "\ncommand: " + command + "\n" + process.report());
        }
        return result;
    }

    /** Takes the next event line that {@code predicate} accepts. */
    JsonNode awaitEvent(Predicate<JsonNode> predicate, Duration timeout) {
        return parse(process.awaitLine(line -> predicate.test(parse(line)), timeout));
    }

    /** Takes the next event named {@code event}. */
    JsonNode awaitEvent(String event, Duration timeout) {
        return awaitEvent(parsed -> event.equals(parsed.path("event").asText()), timeout);
    }

    /** Every event so far, taken or not. */
    List<JsonNode> events() {
        return process.lines().stream().map(CommandChannel::parse).toList();
    }

    /** Sets {@code "nsp"}, and {@code "to"} / {@code "except"} when not empty, on {@code command}. */
    static ObjectNode target(ObjectNode command, String nsp, List<String> to, List<String> except) {
        command.put("nsp", nsp);
        if (!to.isEmpty()) {
            to.forEach(command.putArray("to")::add);
        }
        if (!except.isEmpty()) {
            except.forEach(command.putArray("except")::add);
        }
        return command;
    }

    /** Event arguments as the scripts take them (binary as {@code {"$binary": base64}}). */
    static ArrayNode args(Object[] args) {
        ArrayNode array = JSON.createArrayNode();
        for (Object arg : args) {
            array.add(SocketIoClient.toWire(arg));
        }
        return array;
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("event", "unparsable").put("line", line);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        }
    }
}
