package io.wsk.client;

import io.wsk.testkit.TinyproxyProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client through real proxies to a wsk peer: Debian's tinyproxy for HTTP CONNECT (with and
 * without basic auth), and a SOCKS5 proxy made of Netty's SOCKS codec ({@link Socks5Server}).
 * Each test checks in the proxy's own log (tinyproxy's) or record (the SOCKS5 server's) that its
 * connections went through the proxy: the peer is reachable directly too, so a client that
 * ignored the option would still pass the echo.
 */
class ProxyIT {

    private static PeerProcess peer;
    private static TinyproxyProcess tinyproxy;
    private static TinyproxyProcess tinyproxyWithAuth;

    @BeforeAll
    static void start() {
        peer = PeerProcess.start(PeerProcess.Kind.WSK);
        tinyproxy = TinyproxyProcess.start();
        tinyproxyWithAuth = TinyproxyProcess.start("alice", "s3cret");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {tinyproxy, tinyproxyWithAuth, peer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still stop
            }
        }
    }

    private static String target() {
        return "127.0.0.1:" + peer.port();
    }

    private static long tunnelsToPeer(TinyproxyProcess proxy) {
        return proxy.connectRequests().stream().filter(target()::equals).count();
    }

    /** Connects, echoes over {@code transport} (or the upgrade, for null), and closes. */
    private static void echoThrough(ClientProxy proxy, String... transports) throws Exception {
        ClientOptions.Builder options = ClientOptions.builder().proxy(proxy).reconnection(false);
        if (transports.length > 0) {
            options.transports(transports);
        }
        try (Manager manager = new Manager(URI.create(peer.url()), options.build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            recorder.awaitConnect();
            if (transports.length == 0) {
                await().atMost(Recorder.TIMEOUT).until(() -> "websocket".equals(manager.transport()));
            }
            assertThat(socket.emitWithAck("echo", "via proxy", new byte[] {7}).get(10, TimeUnit.SECONDS).string(0))
                    .isEqualTo("via proxy");
        }
    }

    @Test
    void pollingThroughHttpConnect() throws Exception {
        long before = tunnelsToPeer(tinyproxy);
        echoThrough(ClientProxy.http("127.0.0.1", tinyproxy.port()), "polling");
        // One tunnel for the GETs, one for the POSTs.
        await().atMost(Recorder.TIMEOUT).untilAsserted(() ->
                assertThat(tunnelsToPeer(tinyproxy) - before).as(tinyproxy.report()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void webSocketThroughHttpConnect() throws Exception {
        long before = tunnelsToPeer(tinyproxy);
        echoThrough(ClientProxy.http("127.0.0.1", tinyproxy.port()), "websocket");
        await().atMost(Recorder.TIMEOUT).untilAsserted(() ->
                assertThat(tunnelsToPeer(tinyproxy) - before).as(tinyproxy.report()).isEqualTo(1));
    }

    @Test
    void upgradeThroughHttpConnectWithBasicAuth() throws Exception {
        long before = tunnelsToPeer(tinyproxyWithAuth);
        echoThrough(ClientProxy.http("127.0.0.1", tinyproxyWithAuth.port(), "alice", "s3cret"));
        // The polling GET and POST tunnels, then the WebSocket's.
        await().atMost(Recorder.TIMEOUT).untilAsserted(() ->
                assertThat(tunnelsToPeer(tinyproxyWithAuth) - before).as(tinyproxyWithAuth.report()).isGreaterThanOrEqualTo(3));
    }

    @Test
    void wrongProxyCredentialsAreAConnectErrorNamingTheProxy() {
        ClientProxy proxy = ClientProxy.http("127.0.0.1", tinyproxyWithAuth.port(), "alice", "wrong");
        for (String transport : new String[] {"polling", "websocket"}) {
            try (Manager manager = new Manager(URI.create(peer.url()),
                    ClientOptions.builder().proxy(proxy).transports(transport).reconnection(false).build())) {
                ClientSocket socket = manager.socket("/");
                Recorder recorder = Recorder.on(socket);
                socket.connect();
                assertThat(recorder.awaitConnectError().getMessage())
                        .contains("http proxy 127.0.0.1:" + tinyproxyWithAuth.port())
                        // tinyproxy answers 401, not the 407 of RFC 9110.
                        .contains("refused the tunnel").containsPattern("status: 40[17]");
            }
        }
    }

    @Test
    void anUnreachableProxyIsAConnectErrorNamingIt() throws Exception {
        int nobody = io.wsk.testkit.FreePorts.next();
        try (Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder()
                .proxy(ClientProxy.socks5("127.0.0.1", nobody)).transports("websocket").reconnection(false).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            assertThat(recorder.awaitConnectError().getMessage()).contains("cannot connect to socks5 proxy 127.0.0.1:" + nobody);
        }
    }

    @Test
    void upgradeThroughSocks5WithPassword() throws Exception {
        try (Socks5Server socks = new Socks5Server("bob", "pw")) {
            echoThrough(ClientProxy.socks5("127.0.0.1", socks.port(), "bob", "pw"));
            assertThat(socks.tunnels).as("tunnels").hasSizeGreaterThanOrEqualTo(3).allMatch(target()::equals);

            try (Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder()
                    .proxy(ClientProxy.socks5("127.0.0.1", socks.port(), "bob", "nope")).reconnection(false).build())) {
                ClientSocket socket = manager.socket("/");
                Recorder recorder = Recorder.on(socket);
                socket.connect();
                assertThat(recorder.awaitConnectError().getMessage()).contains("socks5 proxy 127.0.0.1:" + socks.port());
                assertThat(socks.refusals).containsExactly("user bob");
            }
        }
    }

    @Test
    void pollingAndWebSocketThroughSocks5WithoutAuth() throws Exception {
        try (Socks5Server socks = new Socks5Server(null, null)) {
            echoThrough(ClientProxy.socks5("127.0.0.1", socks.port()), "polling");
            assertThat(socks.tunnels).hasSizeGreaterThanOrEqualTo(2).allMatch(target()::equals);
            int afterPolling = socks.tunnels.size();
            echoThrough(ClientProxy.socks5("127.0.0.1", socks.port()), "websocket");
            assertThat(socks.tunnels).hasSize(afterPolling + 1);
        }
    }
}
