package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsk.engine.WsTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Socket.IO client that speaks the protocol by hand over one WebSocket: the test writes the
 * exact frames ({@code 40}, {@code 42["message",1]}, ...) and reads exactly what the server sent,
 * in order, like the official suite's client. Only the chores are done for it: reading the
 * Engine.IO open packet, and (when asked) the CONNECT exchange.
 */
final class SioClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(2);

    private final WsTestClient ws;

    private SioClient(WsTestClient ws) {
        this.ws = ws;
    }

    /** A WebSocket to {@code uri} whose Engine.IO open packet has been read; no namespace joined yet. */
    static SioClient open(URI uri) {
        WsTestClient ws = WsTestClient.connect(uri);
        String first = ws.nextText();
        assertThat(first).as("Engine.IO open packet").startsWith("0{");
        return new SioClient(ws);
    }

    WsTestClient ws() {
        return ws;
    }

    // ---- sending ----

    /** Sends one text frame, as is: {@code send("40")} is an Engine.IO message carrying a CONNECT. */
    void send(String frame) {
        ws.sendText(frame);
    }

    void sendBinary(byte[] bytes) {
        ws.sendBinary(bytes);
    }

    // ---- connecting ----

    /** Joins {@code /} and returns the socket id; the reply must be {@code 40{"sid":...}} and nothing else. */
    String connect() {
        send("40");
        return sidOf(next(), "");
    }

    /** Joins {@code nsp} (e.g. {@code /chat}) with an optional auth JSON and returns the socket id. */
    String connect(String nsp, String auth) {
        String prefix = nsp.equals("/") ? "" : nsp + ",";
        send("40" + prefix + (auth == null ? "" : auth));
        return sidOf(next(), prefix);
    }

    /** The sid of a CONNECT reply {@code 40<prefix>{"sid":"..."}}, checking it has no other key. */
    static String sidOf(String reply, String nspPrefix) {
        JsonNode body = connectReply(reply, nspPrefix);
        assertThat(fieldNames(body)).as("keys of the CONNECT reply %s", reply).containsExactly("sid");
        return body.get("sid").textValue();
    }

    /** The JSON object of a CONNECT reply {@code 40<prefix>{...}}, with a textual {@code sid}. */
    static JsonNode connectReply(String reply, String nspPrefix) {
        assertThat(reply).as("CONNECT reply").startsWith("40" + nspPrefix + "{");
        JsonNode body = json(reply.substring(2 + nspPrefix.length()));
        assertThat(body.path("sid").isTextual()).as("sid in %s", reply).isTrue();
        return body;
    }

    // ---- receiving ----

    /** The next frame, which must be text and come within {@link #WAIT}. */
    String next() {
        return ws.nextText(WAIT);
    }

    /** The next frame other than a heartbeat ping {@code 2}, as the suite's {@code waitForPackets} reads. */
    WsTestClient.Event nextSkippingPings() {
        while (true) {
            WsTestClient.Event event = ws.next(WAIT);
            if (!(event instanceof WsTestClient.Text text) || !text.text().equals("2")) {
                return event;
            }
        }
    }

    /** The next text frame other than a ping. */
    String nextTextSkippingPings() {
        WsTestClient.Event event = nextSkippingPings();
        assertThat(event).as("next frame").isInstanceOf(WsTestClient.Text.class);
        return ((WsTestClient.Text) event).text();
    }

    /** The next frame, which must be binary. */
    byte[] nextBinary() {
        return ws.nextBinary();
    }

    /** Fails if the server sends anything (or closes) within {@code wait}. */
    void assertSilentFor(Duration wait) throws InterruptedException {
        WsTestClient.Event event = ws.poll(wait);
        assertThat(event).as("frame within %d ms", wait.toMillis()).isNull();
    }

    /** Waits for the server to end the connection; returns the text frames received before. */
    List<String> awaitClose(Duration wait) {
        return ws.awaitClose(wait);
    }

    /** Drops the TCP connection without a close packet or frame. */
    @Override
    public void close() {
        ws.close();
    }

    // ---- JSON ----

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
