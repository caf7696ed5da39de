package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.testkit.AdminUiBrowser;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official admin UI ({@code @socket.io/admin-ui}'s own page, served by wsk at {@code /admin/})
 * in headless Chromium, logged in to one node of a two-node Redis cluster: it lists both servers,
 * the sockets of both nodes with their rooms, and a disconnect clicked in it ends that socket on
 * the other node; a wrong password brings the login back; a reload gets in with the saved
 * session. Screenshots: {@code wsk-app/target/admin-ui-screenshots/}.
 */
class AdminUiIT {

    private static final Path SHOTS = Path.of("target", "admin-ui-screenshots").toAbsolutePath();
    private static final String PASSWORD = "s3cret, with spaces and a colon: yes";

    private final List<SocketIoClient> clients = new ArrayList<>();
    private final List<WskNode> nodes = new ArrayList<>();
    private RedisServer redis;
    private AdminUiBrowser browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        SocketIoClient.closeAll(clients);
        nodes.forEach(WskNode::close);
        if (redis != null) {
            redis.close();
        }
    }

    private WskNode node(String id, String hash) {
        WskNode node = WskNode.serve("--app", "bench", "--adapter", "redis", "--redis-url", redis.url(),
                "--admin-ui", "--admin-auth", "admin:" + hash, "--admin-server-id", id);
        nodes.add(node);
        return node;
    }

    /** A client of {@code node} in {@code room}. */
    private record Joined(SocketIoClient client, String id) {
    }

    private Joined client(WskNode node, String room) {
        SocketIoClient client = SocketIoClient.connect(node.url(), Map.of("transports", List.of("websocket")));
        clients.add(client);
        String id = client.awaitConnect().id();
        client.emitWithAck("join", room).await();
        return new Joined(client, id);
    }

    @Test
    void theOfficialUiSeesAndActsOnATwoNodeCluster() throws Exception {
        Files.createDirectories(SHOTS);
        redis = RedisServer.start();
        // The nodes check a hash made by bcryptjs, the reference's own library.
        browser = AdminUiBrowser.start(SHOTS);
        String hash = browser.hash(PASSWORD);
        assertThat(hash).startsWith("$2");
        WskNode nodeA = node("node-a", hash);
        WskNode nodeB = node("node-b", hash);
        browser.open(nodeA.url() + "/admin/");
        Joined a1 = client(nodeA, "room-a");
        Joined a2 = client(nodeA, "room-a");
        Joined b1 = client(nodeB, "room-b");
        String a1Id = a1.id();
        String a2Id = a2.id();
        String b1Id = b1.id();

        JsonNode refused = browser.login(nodeA.url(), "admin", "not the password", "1-wrong-password");
        assertThat(refused.path("connected").asBoolean()).as("connected with a wrong password").isFalse();
        assertThat(refused.path("error").asText()).isEqualTo("Invalid credentials");

        JsonNode in = browser.login(nodeA.url(), "admin", PASSWORD, null);
        assertThat(in.path("connected").asBoolean()).as("logged in").isTrue();
        // Chromium here reaches no CDN: the icons come from the node.
        assertThat(in.path("icons").asText()).as("the icon font").isEqualTo("loaded");

        assertThat(browser.healthyServers(2, "2-dashboard")).isEqualTo(2);
        assertThat(browser.servers(2, "3-servers")).containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(browser.sockets(List.of(a1Id, a2Id, b1Id), "4-sockets")).contains(a1Id, a2Id, b1Id);
        assertThat(browser.rooms(b1Id, List.of("room-b"), "5-socket-on-node-b")).containsExactlyInAnyOrder(b1Id, "room-b");
        assertThat(browser.rooms(a1Id, List.of("room-a"), null)).containsExactlyInAnyOrder(a1Id, "room-a");

        // The UI is connected to node A; the socket is on node B.
        browser.disconnect(b1Id, null);
        assertThat(b1.client().awaitDisconnect()).isEqualTo("io server disconnect");
        browser.awaitGone(b1Id, "6-after-disconnect");
        assertThat(a1.client().events()).noneMatch(e -> "disconnect".equals(e.path("event").asText()));
        assertThat(a2.client().events()).noneMatch(e -> "disconnect".equals(e.path("event").asText()));

        browser.reload("7-reloaded-with-session");
        assertThat(browser.servers(2, null)).containsExactlyInAnyOrder("node-a", "node-b");
    }
}
