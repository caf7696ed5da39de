package io.wsk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The official Socket.IO admin UI in headless Chromium ({@code interop/admin/ui.mjs}, driven by
 * playwright-core), for tests of wsk's admin UI: log in, read the servers and sockets pages, open
 * a socket, click its disconnect button. Screenshots go to a directory of the test's.
 */
public final class AdminUiBrowser implements AutoCloseable {

    public static final String SCRIPT = "admin/ui.mjs";
    public static final String CHROMIUM_INSTALL_HINT = "install Debian's Chromium: apt-get install -y chromium";
    /** A command's longest wait: the script's own waits are 15 s. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final NodeProcess process;

    private AdminUiBrowser(NodeProcess process) {
        this.process = process;
    }

    /** Starts Chromium, with no page yet; screenshots go to {@code shots}. */
    public static AdminUiBrowser start(Path shots) {
        Path chromium = Executables.require("chromium", CHROMIUM_INSTALL_HINT);
        NodeProcess process = NodeProcess.start(SCRIPT, List.of(chromium.toString(), shots.toAbsolutePath().toString()),
                Duration.ofMinutes(3));
        try {
            JsonNode ready = CommandChannel.parse(process.awaitLine(line -> true, Duration.ofSeconds(60)));
            if (!"ready".equals(ready.path("event").asText())) {
                throw new AssertionError("Chromium did not start: " + ready + "\n" + process.report());
            }
            return new AdminUiBrowser(process);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    /** bcryptjs's hash of {@code password}, as the reference's docs make one. */
    public String hash(String password) {
        return call(command("hash").put("password", password), null).path("hash").asText();
    }

    /** Opens the UI's page, e.g. {@code http://127.0.0.1:PORT/admin/}. */
    public void open(String pageUrl) {
        call(command("open").put("url", pageUrl), null);
    }

    /** What the login form did: {@code connected}, or the {@code error} it shows. */
    public JsonNode login(String serverUrl, String username, String password, String shot) {
        return call(command("login").put("server", serverUrl).put("username", username).put("password", password), shot);
    }

    /** The dashboard's count of healthy servers, once it is at least {@code expected}. */
    public int healthyServers(int expected, String shot) {
        return call(command("dashboard").put("expect", expected), shot).path("healthy").asInt();
    }

    /** The server ids listed, once at least {@code expected} are. */
    public List<String> servers(int expected, String shot) {
        return strings(call(command("servers").put("expect", expected), shot).path("ids"));
    }

    /** The socket ids of {@code /} listed, once all of {@code expected} are. */
    public List<String> sockets(List<String> expected, String shot) {
        ObjectNode command = command("sockets");
        expected.forEach(command.putArray("expect")::add);
        return strings(call(command, shot).path("ids"));
    }

    /** The rooms the socket's details page shows, once all of {@code expected} are. */
    public List<String> rooms(String socketId, List<String> expected, String shot) {
        ObjectNode command = command("socket").put("id", socketId);
        expected.forEach(command.putArray("expect")::add);
        return strings(call(command, shot).path("rooms"));
    }

    /** Clicks the disconnect button of the socket's row. */
    public void disconnect(String socketId, String shot) {
        call(command("disconnect").put("id", socketId), shot);
    }

    /** Waits until the socket is no longer listed. */
    public void awaitGone(String socketId, String shot) {
        call(command("gone").put("id", socketId), shot);
    }

    /** Reloads the page; it must connect again with the session it saved, without a login. */
    public void reload(String shot) {
        call(command("reload"), shot);
    }

    private static ObjectNode command(String name) {
        return CommandChannel.JSON.createObjectNode().put("cmd", name);
    }

    private JsonNode call(ObjectNode command, String shot) {
        if (shot != null) {
            command.put("shot", shot);
        }
        process.send(command.toString());
        JsonNode answer = CommandChannel.parse(process.awaitLine(line -> true, COMMAND_TIMEOUT));
        if ("error".equals(answer.path("event").asText())) {
            throw new AssertionError("admin UI: " + command.path("cmd").asText() + " failed: "
                    + answer.path("message").asText() + "\n" + process.report());
        }
        return answer;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(node -> list.add(node.asText()));
        return list;
    }

    @Override
    public void close() {
        process.closeStdin();
        process.close();
    }
}
