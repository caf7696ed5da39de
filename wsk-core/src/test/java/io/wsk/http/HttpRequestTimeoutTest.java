package io.wsk.http;

import io.wsk.engine.Engine;
import io.wsk.engine.EngineOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections that hold the server without completing requests are closed after the request
 * timeout (here 1 s); connections the server itself keeps waiting, or that became WebSockets, are not.
 */
class HttpRequestTimeoutTest {

    private Engine engine;
    private HttpServer server;

    @BeforeEach
    void start() throws InterruptedException {
        engine = new Engine(EngineOptions.builder().pingIntervalMillis(10_000).pingTimeoutMillis(10_000).build(),
                session -> { });
        server = engine.mountOn(HttpServer.builder().host("127.0.0.1").port(0).ioThreads(1)
                .requestTimeout(Duration.ofSeconds(1))).start();
    }

    @AfterEach
    void stop() {
        engine.close();
        server.close();
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(closedWithin(socket, 3000)).isTrue();
        }
    }

    @Test
    void headersDribbledByteByByteAreCutOff() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] request = "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean cut = false;
            // Each byte arrives well inside any idle timeout; the request never completes.
            for (int i = 0; i < request.length + 100 && System.nanoTime() - start < 5_000_000_000L; i++) {
                try {
                    out.write(i < request.length ? request[i] : 'a');
                    out.flush();
                } catch (IOException e) {
                    cut = true;
                    break;
                }
                if (closedWithin(socket, 100)) {
                    cut = true;
                    break;
                }
            }
            assertThat(cut).as("connection closed while the headers were still dribbling").isTrue();
            assertThat(System.nanoTime() - start).isLessThan(4_000_000_000L);
        }
    }

    @Test
    void aLongPollHeldByTheServerOutlivesTheTimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
            String open = readResponse(socket);
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"sid\":\"") + 27);
            send(socket, "GET /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
            // The server holds this GET (nothing to send, next ping in 10 s): 2.5 s is past the timeout.
            socket.setSoTimeout(2500);
            assertThat(readOrTimeout(socket.getInputStream())).isEqualTo("timeout");
            assertThat(engine.session(sid)).isNotNull();
        }
    }

    @Test
    void anIdleWebSocketIsNotClosedByTheRequestTimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            socket.setSoTimeout(2000);
            byte[] buf = new byte[4096];
            int n = socket.getInputStream().read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
            drainFor(socket, 300); // the Engine.IO open packet follows the 101
            socket.setSoTimeout(2500);
            assertThat(readOrTimeout(socket.getInputStream())).isEqualTo("timeout");
            assertThat(engine.sessionCount()).isEqualTo(1);
        }
    }

    private Socket connect() throws IOException {
        return new Socket("127.0.0.1", server.port());
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String readResponse(Socket socket) throws IOException {
        socket.setSoTimeout(2000);
        byte[] buf = new byte[4096];
        int n = socket.getInputStream().read(buf);
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** Reads until EOF ("closed"), data ("data") or the socket timeout ("timeout"). */
    private static String readOrTimeout(InputStream in) throws IOException {
        try {
            int b = in.read();
            return b < 0 ? "closed" : "data";
        } catch (SocketTimeoutException e) {
            return "timeout";
        }
    }

    private static void drainFor(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        byte[] buf = new byte[4096];
        try {
            while (socket.getInputStream().read(buf) > 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            // quiet now
        }
    }

    private static boolean closedWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
