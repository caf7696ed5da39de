package io.wsk.server;

import io.wsk.engine.EngineOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How sockets end, and the reason their disconnect handlers are told: the client leaving the
 * namespace, the connection closing or timing out, the server disconnecting the socket, the
 * server shutting down. Disconnecting handlers still see the rooms; disconnect handlers come after.
 */
class SocketIoDisconnectTest extends SioTestSupport {

    /** "namespace socketId reason", in order, from the namespace-wide disconnect handlers. */
    private final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();

    @BeforeEach
    void recordDisconnects() {
        record(server.io());
    }

    private void record(SocketIoServer io) {
        io.onDisconnect((socket, reason) -> disconnects.add(socket.namespace().name() + " " + socket.id() + " " + reason));
        io.of("/other").onDisconnect((socket, reason) ->
                disconnects.add(socket.namespace().name() + " " + socket.id() + " " + reason));
    }

    private Socket serverSocket(String nsp, String sid) {
        Socket socket = server.io().of(nsp).sockets().get(sid);
        assertThat(socket).as("server socket " + sid).isNotNull();
        return socket;
    }

    @Test
    void clientNamespaceDisconnect() throws InterruptedException {
        SioClient client = open();
        String sid = client.connect();
        Socket socket = serverSocket("/", sid);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        socket.eventLoop().execute(() -> {
            socket.join("room");
            socket.onDisconnecting((s, reason) ->
                    seen.add("disconnecting " + reason + " " + new TreeSet<>(s.rooms()) + " " + s.connected()));
            socket.onDisconnect((s, reason) ->
                    seen.add("disconnect " + reason + " " + new TreeSet<>(s.rooms()) + " " + s.connected()));
        });
        String otherSid = client.connect("/other", null);

        client.send("41");

        assertThat(take(disconnects)).isEqualTo("/ " + sid + " client namespace disconnect");
        assertThat(take(seen))
                .isEqualTo("disconnecting client namespace disconnect " + new TreeSet<>(Set.of(sid, "room")) + " true");
        assertThat(take(seen)).isEqualTo("disconnect client namespace disconnect [] false");
        // only that namespace: the connection and its other namespace stay
        assertThat(server.io().of("/other").sockets()).containsOnlyKeys(otherSid);
        client.send("42/other,[\"still\"]");
        client.assertSilentFor(Duration.ofMillis(100));
        assertThat(disconnects).isEmpty();
    }

    @Test
    void transportCloseWhenTheClientSendsAClosePacket() {
        SioClient client = open();
        String sid = client.connect();
        String otherSid = client.connect("/other", null);

        client.send("1");

        // every namespace of the connection is told
        assertThat(List.of(take(disconnects), take(disconnects))).containsExactlyInAnyOrder(
                "/ " + sid + " transport close", "/other " + otherSid + " transport close");
        assertThat(client.awaitClose(WAIT)).isEmpty();
    }

    @Test
    void transportCloseWhenTheConnectionDrops() {
        SioClient client = open();
        String sid = client.connect();
        Socket socket = serverSocket("/", sid);

        client.close();

        assertThat(take(disconnects)).isEqualTo("/ " + sid + " transport close");
        assertThat(socket.connected()).isFalse();
        assertThat(server.io().sockets().sockets()).isEmpty();
    }

    @Test
    void pingTimeoutWhenTheClientStopsAnswering() throws Exception {
        restart(TestServer.start(o -> o.engine(EngineOptions.builder().path("/socket.io/")
                .pingIntervalMillis(100).pingTimeoutMillis(100).build())));
        record(server.io());
        SioClient client = open();
        String sid = client.connect();

        long start = System.nanoTime();
        assertThat(client.awaitClose(WAIT)).containsExactly("2");

        assertThat(take(disconnects)).isEqualTo("/ " + sid + " ping timeout");
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(150L);
    }

    @Test
    void serverNamespaceDisconnectKeepsTheConnection() {
        SioClient client = open();
        String sid = client.connect();
        String otherSid = client.connect("/other", null);

        serverSocket("/other", otherSid).disconnect();

        assertThat(client.next()).isEqualTo("41/other,");
        assertThat(take(disconnects)).isEqualTo("/other " + otherSid + " server namespace disconnect");
        assertThat(server.io().sockets().sockets()).containsOnlyKeys(sid);
        // the client may come back on the same connection
        assertThat(client.connect("/other", null)).isNotEqualTo(otherSid);
    }

    @Test
    void serverDisconnectWithCloseEndsTheConnection() {
        SioClient client = open();
        String sid = client.connect();
        SioClient bystander = connected();

        serverSocket("/", sid).disconnect(true);

        assertThat(client.awaitClose(WAIT)).containsExactly("41");
        assertThat(take(disconnects)).isEqualTo("/ " + sid + " server namespace disconnect");
        await().atMost(WAIT).until(() -> server.io().sockets().sockets().size() == 1);
        server.io().emit("still");
        assertThat(bystander.next()).isEqualTo("42[\"still\"]");
    }

    @Test
    void serverShuttingDown() {
        SioClient client = open();
        String sid = client.connect();

        server.io().close();

        assertThat(take(disconnects)).isEqualTo("/ " + sid + " server shutting down");
        client.awaitClose(WAIT);
    }

    @Test
    void emitsToADisconnectedSocketAreDropped() throws InterruptedException {
        SioClient client = open();
        Socket socket = serverSocket("/", client.connect());
        client.send("41");
        take(disconnects);

        socket.emit("nobody listens");
        socket.disconnect();
        socket.disconnect(true);

        client.assertSilentFor(Duration.ofMillis(100));
        assertThat(disconnects).isEmpty();
    }
}
