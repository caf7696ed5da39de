package io.wsk.client;

import io.wsk.testkit.TestCa;
import io.wsk.testkit.TinyproxyProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code https}/{@code wss} against a wsk peer with a certificate from a throwaway CA (made with
 * {@code openssl}): trusted through a given trust store, polling then the upgrade to {@code wss};
 * refused by the JVM's trust store; refused when the host name is not the certificate's; and
 * through an HTTP proxy (tinyproxy), TLS end to end inside its tunnels.
 */
class TlsIT {

    private static TestCa ca;
    private static PeerProcess peer;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.create("wsk client test CA");
        // 127.0.0.1 only: "localhost" must then fail the host name check.
        TestCa.Leaf leaf = ca.leaf("leaf", "IP:127.0.0.1");
        peer = PeerProcess.start(PeerProcess.Kind.WSK, Map.of("tlsCert", leaf.cert().toString(),
                "tlsKey", leaf.key().toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    private static TrustManagerFactory trustingTheCa() {
        return ca.trustManagers();
    }

    @Test
    void connectsOverHttpsAndUpgradesToWss() throws Exception {
        try (Manager manager = new Manager(URI.create(peer.url()),
                ClientOptions.builder().trustManager(trustingTheCa()).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            recorder.awaitConnect();
            await().atMost(Recorder.TIMEOUT).until(() -> "websocket".equals(manager.transport()));
            assertThat(socket.emitWithAck("echo", "over tls", new byte[] {1}).get(10, TimeUnit.SECONDS).string(0))
                    .isEqualTo("over tls");
        }
    }

    /** TLS inside the proxy's tunnel: the proxy handler first, the SslHandler after it. */
    @Test
    void httpsAndWssThroughAnHttpProxy() throws Exception {
        try (TinyproxyProcess proxy = TinyproxyProcess.start();
             Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder().trustManager(trustingTheCa())
                     .proxy(ClientProxy.http("127.0.0.1", proxy.port())).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            recorder.awaitConnect();
            await().atMost(Recorder.TIMEOUT).until(() -> "websocket".equals(manager.transport()));
            assertThat(socket.emitWithAck("echo", "tls via proxy").get(10, TimeUnit.SECONDS).string(0))
                    .isEqualTo("tls via proxy");
            // Polling's two tunnels and the WebSocket's, all to the peer.
            assertThat(proxy.connectRequests()).as(proxy.report()).hasSizeGreaterThanOrEqualTo(3)
                    .allMatch(("127.0.0.1:" + peer.port())::equals);
        }
    }

    @Test
    void theJvmTrustStoreDoesNotKnowTheTestCa() {
        try (Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder()
                .transports("websocket").reconnection(false).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            assertThat(recorder.awaitConnectError().getMessage()).contains("websocket error")
                    .containsAnyOf("PKIX", "certification path");
        }
    }

    @Test
    void theHostNameIsChecked() throws Exception {
        try (Manager manager = new Manager(URI.create("https://localhost:" + peer.port()), ClientOptions.builder()
                .transports("polling").trustManager(trustingTheCa()).reconnection(false).build())) {
            ClientSocket socket = manager.socket("/");
            Recorder recorder = Recorder.on(socket);
            socket.connect();
            assertThat(recorder.awaitConnectError().getMessage()).contains("xhr poll error")
                    .containsIgnoringCase("localhost");
        }
    }
}
