package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rooms and the broadcasts that target them ({@code to}, {@code in}, {@code except},
 * {@code socket.broadcast}), and the operations on many sockets at once ({@code fetchSockets},
 * {@code socketsJoin}, {@code socketsLeave}, {@code disconnectSockets}).
 *
 * <p>To show that a client got nothing, the test sends a sentinel event to every client after the
 * broadcast: frames to one client keep their order, so the sentinel must be the next frame.
 */
class SocketIoRoomsTest extends SioTestSupport {

    /** A client and the server's socket for it. */
    private record Peer(SioClient client, Socket socket) {
        String id() {
            return socket.id();
        }
    }

    private Peer peer() {
        SioClient client = open();
        String sid = client.connect();
        Socket socket = server.io().sockets().sockets().get(sid);
        assertThat(socket).as("server socket " + sid).isNotNull();
        return new Peer(client, socket);
    }

    /** Each peer's next frame is {@code event} (with one string argument) or, when not expected, the sentinel. */
    private void assertReceived(String event, String arg, Map<Peer, Boolean> expected) {
        server.io().emit("sentinel");
        expected.forEach((peer, gets) -> {
            if (gets) {
                assertThat(peer.client().next()).as("peer %s", peer.id()).isEqualTo("42[\"" + event + "\",\"" + arg + "\"]");
            }
            assertThat(peer.client().next()).as("peer %s, after", peer.id()).isEqualTo("42[\"sentinel\"]");
        });
    }

    @Test
    void joinAndLeaveDecideWhoRoomBroadcastsReach() {
        Peer a = peer();
        Peer b = peer();

        a.socket().join("news", "sport");
        assertThat(a.socket().rooms()).containsExactlyInAnyOrder(a.id(), "news", "sport");
        assertThat(b.socket().rooms()).containsExactly(b.id());
        server.io().to("news").emit("headline", "one");
        assertReceived("headline", "one", Map.of(a, true, b, false));

        a.socket().leave("news");
        server.io().to("news").emit("headline", "two");
        assertReceived("headline", "two", Map.of(a, false, b, false));
        assertThat(server.io().sockets().adapter().rooms()).contains("sport").doesNotContain("news");
    }

    @Test
    void everySocketIsInItsOwnRoom() {
        Peer a = peer();
        Peer b = peer();

        server.io().to(a.id()).emit("private", "for a");

        assertReceived("private", "for a", Map.of(a, true, b, false));
    }

    @Test
    void severalRoomsAreAUnionAndEachSocketReceivesOnce() {
        Peer inBoth = peer();
        Peer inOne = peer();
        Peer inTwo = peer();
        Peer inNone = peer();
        inBoth.socket().join("one", "two");
        inOne.socket().join("one");
        inTwo.socket().join("two");

        server.io().to("one").to("two").emit("union", "x");
        assertReceived("union", "x", Map.of(inBoth, true, inOne, true, inTwo, true, inNone, false));

        server.io().in("one", "two").emit("union", "y");
        assertReceived("union", "y", Map.of(inBoth, true, inOne, true, inTwo, true, inNone, false));
    }

    @Test
    void exceptLeavesOutEverySocketInAnyExcludedRoom() {
        Peer plain = peer();
        Peer muted = peer();
        Peer banned = peer();
        Peer memberMuted = peer();
        muted.socket().join("muted");
        banned.socket().join("banned");
        memberMuted.socket().join("members", "muted");
        plain.socket().join("members");

        server.io().except("muted", "banned").emit("to all but", "a");
        assertReceived("to all but", "a", Map.of(plain, true, muted, false, banned, false, memberMuted, false));

        server.io().to("members").except("muted").emit("members not muted", "b");
        assertReceived("members not muted", "b", Map.of(plain, true, muted, false, banned, false, memberMuted, false));
    }

    @Test
    void socketBroadcastReachesEveryoneButTheSender() {
        Peer sender = peer();
        Peer other = peer();
        Peer third = peer();
        sender.socket().broadcast().emit("from sender", "hi");
        assertReceived("from sender", "hi", Map.of(sender, false, other, true, third, true));
    }

    @Test
    void socketToARoomLeavesOutTheSenderEvenWhenItIsInTheRoom() {
        Peer sender = peer();
        Peer member = peer();
        Peer outsider = peer();
        sender.socket().join("room");
        member.socket().join("room");

        sender.socket().to("room").emit("room talk", "x");
        assertReceived("room talk", "x", Map.of(sender, false, member, true, outsider, false));

        sender.socket().except("room").emit("not the room", "y");
        assertReceived("not the room", "y", Map.of(sender, false, member, false, outsider, true));
    }

    @Test
    void roomsAreLeftOnDisconnect() {
        Peer a = peer();
        Peer b = peer();
        a.socket().join("room");
        b.socket().join("room");

        a.client().send("41");

        await().atMost(WAIT).until(() -> !a.socket().connected());
        assertThat(server.io().sockets().adapter().sockets(
                new io.wsk.adapter.BroadcastOptions(Set.of("room"), Set.of(), io.wsk.adapter.BroadcastFlags.NONE)))
                .containsExactly(b.id());
        assertThat(a.socket().rooms()).isEmpty();
    }

    // ---- many sockets at once ----

    @Test
    void fetchSocketsReturnsTheTargetedSocketsWithRoomsDataAndHandshake() {
        Peer a = peer();
        SioClient bClient = open();
        String bId = bClient.connect("/", "{\"user\":\"bob\"}");
        Socket b = server.io().sockets().sockets().get(bId);
        a.socket().join("room");
        b.join("room", "other");
        a.socket().setData(Map.of("name", "alice", "score", 3));

        List<RemoteSocket> all = result(server.io().fetchSockets());
        assertThat(all).extracting(RemoteSocket::id).containsExactlyInAnyOrder(a.id(), bId);
        RemoteSocket remoteA = all.stream().filter(s -> s.id().equals(a.id())).findFirst().orElseThrow();
        RemoteSocket remoteB = all.stream().filter(s -> s.id().equals(bId)).findFirst().orElseThrow();
        assertThat(remoteA.rooms()).containsExactlyInAnyOrder(a.id(), "room");
        assertThat(remoteA.data()).isEqualTo(SioClient.json("{\"name\":\"alice\",\"score\":3}"));
        assertThat(remoteB.data().isNull()).as("no data set").isTrue();
        assertThat(remoteB.rooms()).containsExactlyInAnyOrder(bId, "room", "other");
        JsonNode handshake = remoteB.handshake();
        assertThat(handshake.get("auth")).isEqualTo(SioClient.json("{\"user\":\"bob\"}"));
        assertThat(handshake.get("query").get("EIO").asText()).isEqualTo("4");
        assertThat(handshake.get("query").get("transport").asText()).isEqualTo("websocket");
        assertThat(handshake.get("address").asText()).isNotEmpty();

        assertThat(result(server.io().sockets().in("other").fetchSockets())).extracting(RemoteSocket::id)
                .containsExactly(bId);
        assertThat(result(server.io().sockets().to("room").except("other").fetchSockets())).extracting(RemoteSocket::id)
                .containsExactly(a.id());
    }

    @Test
    void socketsJoinAndSocketsLeaveChangeTheTargetedSocketsRooms() {
        Peer a = peer();
        Peer b = peer();
        Peer c = peer();
        a.socket().join("red");
        b.socket().join("red");

        server.io().in("red").socketsJoin("blue", "green");
        assertThat(a.socket().rooms()).containsExactlyInAnyOrder(a.id(), "red", "blue", "green");
        assertThat(b.socket().rooms()).containsExactlyInAnyOrder(b.id(), "red", "blue", "green");
        assertThat(c.socket().rooms()).containsExactly(c.id());

        server.io().in(a.id()).socketsLeave("red", "green");
        assertThat(a.socket().rooms()).containsExactlyInAnyOrder(a.id(), "blue");

        server.io().socketsJoin("everyone");
        server.io().to("everyone").emit("hello", "all");
        assertReceived("hello", "all", Map.of(a, true, b, true, c, true));
    }

    @Test
    void remoteSocketsReachTheirSocket() {
        Peer a = peer();
        Peer b = peer();
        RemoteSocket remoteA = result(server.io().in(a.id()).fetchSockets()).get(0);

        remoteA.emit("direct", "to a");
        assertReceived("direct", "to a", Map.of(a, true, b, false));

        remoteA.join("vip");
        assertThat(a.socket().rooms()).contains("vip");
        remoteA.leave("vip");
        assertThat(a.socket().rooms()).doesNotContain("vip");

        remoteA.disconnect(false);
        assertThat(a.client().next()).isEqualTo("41");
    }

    @Test
    void disconnectSocketsWithoutCloseSendsDisconnectAndKeepsTheConnection() throws InterruptedException {
        Peer a = peer();
        Peer b = peer();
        Peer c = peer();
        a.socket().join("kick");
        b.socket().join("kick");

        server.io().in("kick").disconnectSockets(false);

        assertThat(a.client().next()).isEqualTo("41");
        assertThat(b.client().next()).isEqualTo("41");
        await().atMost(WAIT).until(() -> server.io().sockets().sockets().keySet().equals(Set.of(c.id())));
        c.client().assertSilentFor(Duration.ofMillis(100));

        // the connection is still there: the client may join again
        String again = a.client().connect();
        assertThat(again).isNotEqualTo(a.id());
    }

    @Test
    void disconnectSocketsWithCloseEndsTheConnections() {
        server.io().of("/other");
        Peer a = peer();
        Peer b = peer();
        a.client().connect("/other", null);

        server.io().in(a.id()).disconnectSockets(true);

        // every namespace of the connection is told, then the connection closes
        assertThat(a.client().awaitClose(WAIT)).containsExactlyInAnyOrder("41", "41/other,");
        await().atMost(WAIT).until(() -> server.io().sockets().sockets().keySet().equals(Set.of(b.id())));
        assertThat(server.io().of("/other").sockets()).isEmpty();
        server.io().emit("still", "here");
        assertThat(b.client().next()).isEqualTo("42[\"still\",\"here\"]");
    }
}
