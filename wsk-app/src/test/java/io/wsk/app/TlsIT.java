package io.wsk.app;

import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.TestCa;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wsk serve --tls-cert --tls-key}: the official client over {@code https://} and
 * {@code wss://} (polling, WebSocket, and the upgrade between them) with a throwaway CA made by
 * {@code openssl}, and a certificate replaced on disk served to the next connection.
 */
class TlsIT {

    private TestCa ca;
    private Path dir;
    private WskNode node;
    private final List<SocketIoClient> clients = new ArrayList<>();

    @BeforeEach
    void makeCa() {
        ca = TestCa.create("wsk test CA");
        dir = ca.dir();
    }

    @AfterEach
    void stop() {
        SocketIoClient.closeAll(clients);
        if (node != null) {
            node.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    /** A certificate for 127.0.0.1 signed by the CA, as {@code <name>.pem} and {@code <name>.key}. */
    private void leaf(String name) {
        ca.leaf(name);
    }

    private String httpsUrl() {
        return "https://127.0.0.1:" + node.port();
    }

    private SocketIoClient connect(List<String> transports) throws Exception {
        SocketIoClient client = SocketIoClient.connect(httpsUrl(), Map.of("transports", transports,
                "ca", Files.readString(dir.resolve("ca.pem"))));
        clients.add(client);
        return client;
    }

    /** The serial number of the certificate the node presents to a new connection. */
    private BigInteger servedSerial() throws Exception {
        try (SSLSocket socket = (SSLSocket) ca.socketFactory().createSocket("127.0.0.1", node.port())) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static BigInteger serialOf(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    @Test
    void theOfficialClientConnectsOverHttpsAndWssAndARenewedCertificateIsServed() throws Exception {
        leaf("first");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(dir.resolve("first.pem"), cert);
        Files.copy(dir.resolve("first.key"), key);
        node = WskNode.launchServe("--app", "bench", "--tls-cert", cert.toString(), "--tls-key", key.toString());
        node.awaitLog(line -> line.contains("wsk serving app"), Duration.ofSeconds(20));
        // The runnable server ships netty-tcnative: on Linux x86_64 (here) OpenSSL serves, not the JDK.
        assertThat(node.stderrLines()).as("the listener's log line")
                .anyMatch(line -> line.contains("listening on https://") && line.contains("TLS by OpenSSL"));
        assertThat(String.join("\n", node.stderrLines())).contains("TLS by ");

        SocketIoClient upgrading = connect(List.of("polling", "websocket"));
        upgrading.awaitConnect();
        upgrading.awaitEvent("upgrade"); // from polling over https to wss
        SocketIoClient webSocketOnly = connect(List.of("websocket"));
        webSocketOnly.awaitConnect();
        SocketIoClient pollingOnly = connect(List.of("polling"));
        assertThat(pollingOnly.awaitConnect().transport()).isEqualTo("polling");
        for (SocketIoClient client : clients) {
            assertThat(client.emitWithAck("echo", "over tls").await().get(0).asText()).isEqualTo("over tls");
        }
        assertThat(servedSerial()).isEqualTo(serialOf(dir.resolve("first.pem")));

        // As cert-manager does: new files in place of the old (moved in, so never half-written).
        leaf("second");
        Files.copy(dir.resolve("second.key"), dir.resolve("key.tmp"));
        Files.move(dir.resolve("key.tmp"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(dir.resolve("second.pem"), dir.resolve("cert.tmp"));
        Files.move(dir.resolve("cert.tmp"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        BigInteger renewed = serialOf(dir.resolve("second.pem"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!servedSerial().equals(renewed)) {
            assertThat(System.nanoTime()).as("the renewed certificate served").isLessThan(deadline);
            Thread.sleep(200);
        }
        // Connections made before go on; new ones get the new certificate.
        assertThat(webSocketOnly.emitWithAck("echo", "still").await().get(0).asText()).isEqualTo("still");
        SocketIoClient after = connect(List.of("websocket"));
        after.awaitConnect();
    }

    @Test
    void badTlsSettingsExitWithAClearMessage() throws Exception {
        leaf("only");
        for (String[] args : List.of(
                new String[] {"serve", "--tls-cert", dir.resolve("only.pem").toString()},
                new String[] {"serve", "--tls-cert", dir.resolve("only.pem").toString(), "--tls-key", dir.resolve("ca.pem").toString()},
                new String[] {"serve", "--tls-cert", dir.resolve("missing.pem").toString(), "--tls-key", dir.resolve("only.key").toString()})) {
            WskNode bad = WskNode.run(args);
            try {
                assertThat(bad.waitForExit(Duration.ofSeconds(20))).isEqualTo(2);
                assertThat(String.join("\n", bad.stderrLines())).containsAnyOf("go together", "cannot use TLS certificate", "cannot read");
            } finally {
                bad.close();
            }
        }
    }
}
