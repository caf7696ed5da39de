package io.wsk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Many official {@code socket.io-client} sockets in one Node process ({@code interop/socketio/crowd.mjs}),
 * each on its own connection: a crowd for what one client per process would make too heavy (the
 * disconnects of a drain, counted and timed). Every event carries the socket's index and the time
 * since the crowd started, on one clock.
 */
public final class SocketIoCrowd implements AutoCloseable {

    public static final String SCRIPT = "socketio/crowd.mjs";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of the crowd: socket {@code index} saw {@code event} at {@code millis} (reason or message in {@code detail}). */
    public record Event(int index, String event, long millis, String detail) {
    }

    private final NodeProcess process;
    private final int size;

    private SocketIoCrowd(NodeProcess process, int size) {
        this.process = process;
        this.size = size;
    }

    /** {@code size} sockets to {@code url}, with io()'s {@code options} (serialised as JSON). */
    public static SocketIoCrowd connect(String url, int size, Map<String, ?> options) {
        try {
            return new SocketIoCrowd(NodeProcess.start(SCRIPT, url, Integer.toString(size), JSON.writeValueAsString(options)), size);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public int size() {
        return size;
    }

    /** Every event so far. */
    public List<Event> events() {
        return process.lines().stream().map(SocketIoCrowd::parse).toList();
    }

    /** The first event of socket {@code index} matching {@code kind}, if it came. */
    public Optional<Event> first(int index, String kind) {
        return events().stream().filter(e -> e.index() == index && e.event().equals(kind)).findFirst();
    }

    /** Waits until {@code condition} holds for the events so far; fails with the crowd's output if it does not in time. */
    public void await(Predicate<List<Event>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(events())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("crowd: " + what + " not within " + timeout.toMillis() + " ms\n" + process.report());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits until every socket has connected at least once. */
    public void awaitAllConnected(Duration timeout) {
        await(events -> events.stream().filter(e -> e.event().equals("connect")).map(Event::index).distinct().count() == size,
                timeout, "every socket connected");
    }

    public String report() {
        return process.report();
    }

    private static Event parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            String detail = node.has("reason") ? node.path("reason").asText() : node.path("message").asText(node.path("id").asText());
            return new Event(node.path("i").asInt(), node.path("event").asText(), node.path("t").asLong(), detail);
        } catch (JsonProcessingException e) {
            throw new AssertionError("crowd: not JSON: " + line, e);
        }
    }

    /** Ends the script: stdin closed, so its sockets disconnect and it exits; killed if it has not within a second. */
    @Override
    public void close() {
        process.end(Duration.ofSeconds(1));
    }
}
