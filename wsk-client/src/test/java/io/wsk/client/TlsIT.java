package io.wsk.client;

import io.wsk.testkit.Executables;
import io.wsk.testkit.TinyproxyProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
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

    private static Path dir;
    private static PeerProcess peer;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("wsk-client-tls");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=wsk client test CA");
        // 127.0.0.1 only: "localhost" must then fail the host name check.
        Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext");
        peer = PeerProcess.start(PeerProcess.Kind.WSK, Map.of("tlsCert", dir.resolve("leaf.pem").toString(),
                "tlsKey", dir.resolve("leaf.key").toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Executables.require("openssl", "install OpenSSL: apt-get install -y openssl").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s\n%s", String.join(" ", args), output).isZero();
    }

    private static TrustManagerFactory trustingTheCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
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
