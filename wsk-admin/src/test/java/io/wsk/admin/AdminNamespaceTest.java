package io.wsk.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.http.HttpServer;
import io.wsk.server.SocketIoServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin namespace as the official UI uses it, with the official client: login, sessions,
 * config, the socket list, socket and room events, stats, and the UI's commands; the page itself.
 */
class AdminNamespaceTest {

    private static final String PASSWORD = "pw";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<SocketIoClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        SocketIoClient.closeAll(clients);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A server with the admin UI instrumented and its page mounted; the app's "join" handler. */
    private String serve(AdminOptions options) throws Exception {
        SocketIoServer io = SocketIoServer.create();
        io.on("join", (socket, args, ack) -> {
            socket.join(args.string(0));
            ack.send();
        });
        AdminUi ui = AdminUi.instrument(io, options);
        AdminUiFiles files = new AdminUiFiles("/admin/");
        HttpServer http = io.mount(HttpServer.builder().host("127.0.0.1").port(0))
                .routePrefix("/admin/", files).route("/admin", files).start();
        open.add(() -> {
            ui.close();
            io.close();
            http.close();
        });
        return "http://127.0.0.1:" + http.port();
    }

    private static AdminOptions options(AdminAuth auth) {
        return new AdminOptions("/admin", auth, false, "node-1", Duration.ofMillis(300), 1000, false);
    }

    private SocketIoClient admin(String url, Map<String, ?> auth) {
        SocketIoClient client = SocketIoClient.connect(url + "/admin", Map.of("auth", auth, "transports", List.of("websocket")));
        clients.add(client);
        return client;
    }

    private SocketIoClient app(String url) {
        SocketIoClient client = SocketIoClient.connect(url, Map.of("transports", List.of("websocket")));
        clients.add(client);
        return client;
    }

    @Test
    void aWrongPasswordIsRefusedWithTheMessageTheUiKnows() throws Exception {
        String url = serve(options(AdminAuth.basic("admin", PASSWORD)));
        assertThat(admin(url, Map.of("username", "admin", "password", "nope")).awaitConnectError().message())
                .isEqualTo("invalid credentials");
        assertThat(admin(url, Map.of("sessionId", "made.up.id")).awaitConnectError().message())
                .isEqualTo("invalid credentials");
        assertThat(admin(url, Map.of()).awaitConnectError().message()).isEqualTo("invalid credentials");
    }

    @Test
    void aLoginEarnsASessionThatNodesWithTheSameCredentialsAccept() throws Exception {
        String url = serve(options(AdminAuth.basic("admin", PASSWORD)));
        SocketIoClient first = admin(url, Map.of("username", "admin", "password", PASSWORD));
        first.awaitConnect();
        String session = first.awaitReceived("session").string(0);
        JsonNode features = first.awaitReceived("config").args().get(0).path("supportedFeatures");
        assertThat(features.toString()).isEqualTo(
                "[\"EMIT\",\"JOIN\",\"LEAVE\",\"DISCONNECT\",\"MJOIN\",\"MLEAVE\",\"MDISCONNECT\",\"AGGREGATED_EVENTS\",\"ALL_EVENTS\"]");

        String other = serve(options(AdminAuth.basic("admin", PASSWORD)));
        SocketIoClient again = admin(other, Map.of("sessionId", session));
        again.awaitConnect();
        again.awaitReceived("config");
        assertThat(again.allReceived("session")).as("no new session for a valid one").isEmpty();

        String changed = serve(options(AdminAuth.basic("admin", "a new password")));
        assertThat(admin(changed, Map.of("sessionId", session)).awaitConnectError().message()).isEqualTo("invalid credentials");
    }

    @Test
    void theUiSeesSocketsComeJoinLeaveAndGo() throws Exception {
        String url = serve(options(AdminAuth.none()));
        SocketIoClient early = app(url);
        String earlyId = early.awaitConnect().id();
        SocketIoClient ui = admin(url, Map.of());
        ui.awaitConnect();
        JsonNode all = ui.awaitReceived("all_sockets").args().get(0);
        assertThat(all.findValuesAsText("id")).contains(earlyId);
        JsonNode listed = null;
        for (JsonNode socket : all) {
            if (socket.path("id").asText().equals(earlyId)) {
                listed = socket;
            }
        }
        assertThat(listed.path("nsp").asText()).isEqualTo("/");
        assertThat(listed.path("transport").asText()).isEqualTo("websocket");
        assertThat(listed.path("clientId").asText()).hasSize(12);
        assertThat(listed.path("handshake").path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(listed.path("handshake").has("auth")).as("the handshake's auth is not shown").isFalse();
        assertThat(listed.path("rooms").toString()).isEqualTo("[\"" + earlyId + "\"]");

        SocketIoClient late = app(url);
        String lateId = late.awaitConnect().id();
        // The UI's own socket is one of the sockets too (of /admin), announced first.
        SocketIoClient.Received own = ui.awaitReceived("socket_connected");
        assertThat(own.args().get(0).path("nsp").asText()).isEqualTo("/admin");
        SocketIoClient.Received connected = ui.awaitReceived("socket_connected");
        assertThat(connected.args().get(0).path("id").asText()).isEqualTo(lateId);
        assertThat(connected.args().get(1).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

        late.emitWithAck("join", "room-1").await();
        assertThat(ui.awaitReceived("room_joined").args().toString()).startsWith("[\"/\",\"room-1\",\"" + lateId + "\",");
        late.disconnect();
        assertThat(ui.awaitReceived("room_left").args().toString()).startsWith("[\"/\",\"room-1\",\"" + lateId + "\",");
        SocketIoClient.Received gone = ui.awaitReceived("socket_disconnected");
        assertThat(gone.args().toString()).startsWith("[\"/\",\"" + lateId + "\",\"client namespace disconnect\",");
    }

    @Test
    void statsComeOnTheirIntervalWithTheNodesCounts() throws Exception {
        String url = serve(options(AdminAuth.none()));
        SocketIoClient client = app(url);
        client.awaitConnect();
        client.emitWithAck("join", "r").await();
        SocketIoClient ui = admin(url, Map.of());
        ui.awaitConnect();
        JsonNode stats = ui.awaitReceived("server_stats").args().get(0);
        assertThat(stats.path("serverId").asText()).isEqualTo("node-1");
        assertThat(stats.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(stats.path("clientsCount").asInt()).isEqualTo(2);
        assertThat(stats.path("pollingClientsCount").asInt()).isZero();
        assertThat(stats.path("namespaces").toString()).contains("{\"name\":\"/\",\"socketsCount\":1}");
        // Within a few intervals the connections and bytes of the last seconds show up.
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 5 && !types.contains("bytesIn"); i++) {
            ui.awaitReceived("server_stats").args().get(0).path("aggregatedEvents")
                    .forEach(bucket -> types.add(bucket.path("type").asText()));
        }
        assertThat(types).contains("rawConnection", "packetsIn", "bytesIn", "bytesOut");
    }

    @Test
    void theUisCommandsReachTheSockets() throws Exception {
        String url = serve(options(AdminAuth.none()));
        SocketIoClient one = app(url);
        String oneId = one.awaitConnect().id();
        SocketIoClient two = app(url);
        two.awaitConnect();
        SocketIoClient ui = admin(url, Map.of());
        ui.awaitConnect();

        ui.emit("join", "/", "chosen", oneId);
        assertThat(ui.awaitReceived("room_joined").args().get(1).asText()).isEqualTo("chosen");
        ui.emit("emit", "/", "chosen", "hello", 42);
        assertThat(one.awaitReceived("hello").args().toString()).isEqualTo("[42]");
        ui.emit("leave", "/", "chosen", oneId);
        assertThat(ui.awaitReceived("room_left").args().get(1).asText()).isEqualTo("chosen");
        ui.emit("_disconnect", "/", false, oneId);
        assertThat(one.awaitDisconnect()).isEqualTo("io server disconnect");
        ui.emit("emit", "/", null, "to-all");
        two.awaitReceived("to-all");
        assertThat(two.allReceived("hello")).isEmpty();
    }

    @Test
    void readOnlyTheUiMayLookButNotAct() throws Exception {
        String url = serve(options(AdminAuth.none()).withReadonly(true));
        SocketIoClient client = app(url);
        String id = client.awaitConnect().id();
        SocketIoClient ui = admin(url, Map.of());
        ui.awaitConnect();
        assertThat(ui.awaitReceived("config").args().get(0).path("supportedFeatures").toString())
                .isEqualTo("[\"AGGREGATED_EVENTS\",\"ALL_EVENTS\"]");
        ui.emit("_disconnect", "/", true, id);
        ui.emit("emit", "/", null, "after");
        // The emit was not acted on either: the client hears nothing, and stays.
        Thread.sleep(300);
        assertThat(client.allReceived("after")).isEmpty();
        assertThat(client.events()).noneMatch(e -> "disconnect".equals(e.path("event").asText()));
    }

    @Test
    void thePageIsServedWithItsLicense() throws Exception {
        String url = serve(options(AdminAuth.none()));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/admin/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=UTF-8");
        assertThat(page.body()).contains("<title>Socket.IO Admin UI</title>")
                .contains("href=\"mdi/css/materialdesignicons.min.css\"").doesNotContain("cdn.jsdelivr.net");
        HttpResponse<byte[]> font = http.send(HttpRequest.newBuilder(
                URI.create(url + "/admin/mdi/fonts/materialdesignicons-webfont.woff2?v=7.4.47")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(font.statusCode()).isEqualTo(200);
        assertThat(font.headers().firstValue("content-type")).hasValue("font/woff2");
        HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create(url + "/admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("location")).hasValue("/admin/");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/admin/LICENSE")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("The Socket.IO team");
        for (String missing : List.of("/admin/../pom.xml", "/admin/js/nope.js", "/admin/files.txt")) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + missing)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(missing).isEqualTo(404);
        }
    }

    @Test
    void eachSocketOfADynamicNamespaceIsReportedOnceHoweverManyChildrenThereAre() throws Exception {
        SocketIoServer io = SocketIoServer.create();
        io.of(java.util.regex.Pattern.compile("^/team-\\d+$"));
        AdminUi ui = AdminUi.instrument(io, options(AdminAuth.none()));
        HttpServer http = io.mount(HttpServer.builder().host("127.0.0.1").port(0)).start();
        open.add(() -> {
            ui.close();
            io.close();
            http.close();
        });
        String url = "http://127.0.0.1:" + http.port();
        SocketIoClient admin = admin(url, Map.of());
        admin.awaitConnect();
        admin.awaitReceived("socket_connected"); // its own
        List<String> ids = new ArrayList<>();
        for (int team = 1; team <= 3; team++) {
            SocketIoClient member = SocketIoClient.connect(url + "/team-" + team, Map.of("transports", List.of("websocket")));
            clients.add(member);
            ids.add(member.awaitConnect().id());
        }
        for (String id : ids) {
            assertThat(admin.awaitReceived("socket_connected").args().get(0).path("id").asText()).isEqualTo(id);
        }
        Thread.sleep(200);
        assertThat(admin.allReceived("socket_connected")).as("one each, the admin's own included").hasSize(4);
    }
}
